"""Authoring commands: ``validate`` and ``test`` over ids or paths, ``coverage`` and ``new``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trailhunt import __version__
from trailhunt.escape import for_terminal
from trailhunt.problems import EXIT_FINDINGS, EXIT_OK, UsageError
from trailhunt.report.labels import plural
from trailhunt.workspace import Workspace


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate all detections or the ones named: text, SARIF or GitHub annotations; exit 1 on errors."""
    from trailhunt.validate.formats import github_annotations, sarif_text

    workspace = Workspace.open(args.project)
    detections, problems = workspace.validate(args.targets or None)
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "sarif":
        sys.stdout.write(sarif_text(problems, workspace.project.root, __version__))
    elif args.format == "github":
        sys.stdout.write(github_annotations(problems, workspace.project.root))
    else:
        for problem in problems:
            print(for_terminal(problem))
        print(f"{plural(len(detections), 'detection')}, {plural(errors, 'error')}, {plural(len(problems) - errors, 'warning')}")  # fmt: skip
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    """Run test cases; one line per case, failures with expected and actual rows."""
    from trailhunt.validate.case_diff import expected_vs_actual

    results = Workspace.open(args.project).test(args.detections or None, args.k)
    for result in results:
        print(f"{'PASS' if result.passed else 'FAIL'} {result.full_id}")
        for line in [] if result.passed else [*result.failures, *expected_vs_actual(result)]:
            print(f"     {for_terminal(line)}")
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return EXIT_FINDINGS if failed else EXIT_OK


def cmd_coverage(args: argparse.Namespace) -> int:
    """Techniques x detections as text, an ATT&CK Navigator layer, or the README table."""
    from trailhunt.catalog import coverage

    workspace = Workspace.open(args.project)
    detections = workspace.catalog.detections
    if not detections:
        raise UsageError(f"no detections under {workspace.project.detections}: nothing to cover")
    if args.format == "navigator":
        text = json.dumps(coverage.navigator_layer(detections, workspace.project.root, args.link_base), indent=2) + "\n"  # fmt: skip
    elif args.format == "readme":
        text = coverage.readme_table(detections) + "\n"
        if args.output is not None:  # readme: replace the table between the README's markers
            text = coverage.with_readme_table(args.output.read_text(encoding="utf-8"), text.rstrip("\n"))
    else:
        text = coverage.coverage_text(detections)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold ``detections/TACTIC/ID.sql`` with a firing and a near-miss fixture."""
    from trailhunt.catalog.scaffold import new_detection

    made = new_detection(Workspace.open(args.project).project, args.target, args.event, args.attack)
    for path in (made.detection, made.fires, made.near_miss):
        print(f"wrote {path}")
    print(f"next: edit them, then `trailhunt validate {made.detection.stem}` and `trailhunt test {made.detection.stem}`")  # fmt: skip
    return EXIT_OK


def register(verbs: argparse._SubParsersAction, project: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """Add ``validate``, ``test``, ``coverage`` and ``new``."""
    validate = verbs.add_parser("validate", parents=[project], help="check detections; exit 1 on errors")
    validate.add_argument("targets", nargs="*", help="detection ids, or .sql files or folders (default: all)")
    validate.add_argument("--format", choices=["text", "sarif", "github"], default="text")
    test = verbs.add_parser("test", parents=[project], help="run detections against their fixtures")
    test.add_argument("detections", nargs="*", help="detection ids, or .sql files or folders (default: all)")
    test.add_argument("-k", metavar="PATTERN", help="only cases whose detection::case id contains PATTERN")
    cover = verbs.add_parser("coverage", parents=[project], help="ATT&CK techniques x detections")
    cover.add_argument("--format", choices=["text", "navigator", "readme"], default="text")
    cover.add_argument("--output", type=Path, help="write there (readme: replace the README's table)")
    cover.add_argument("--link-base", help="URL the layer's links start with (default: file:// paths)")
    new = verbs.add_parser("new", parents=[project], help="scaffold a detection, a firing and a near-miss fixture")  # fmt: skip
    new.add_argument("target", metavar="TACTIC/ID", help="e.g. persistence/iam_group_backdoor")
    new.add_argument("--event", default="iam.amazonaws.com:CreateUser", help="SOURCE:EventName to detect")
    new.add_argument("--attack", help="ATT&CK technique id (default: a cloud technique of the tactic)")
