"""Authoring commands: ``validate`` and ``test`` over ids or paths, ``coverage`` and ``new``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trailhunt import __version__
from trailhunt.cli.options import PROJECT
from trailhunt.problems import EXIT_FINDINGS, EXIT_OK
from trailhunt.workspace import Workspace


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate all detections or the ones named: text, SARIF or GitHub annotations; exit 1 on errors."""
    from trailhunt.validate.formats import validation_text

    workspace = Workspace.open(args.project)
    detections, problems = workspace.validate(args.targets or None)
    sys.stdout.write(
        validation_text(problems, len(detections), args.format, workspace.project.root, __version__)
    )
    return EXIT_FINDINGS if any(p.severity == "error" for p in problems) else EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    """Run test cases; one line per case, failures with expected and actual rows."""
    from trailhunt.validate.case_diff import case_report

    results = Workspace.open(args.project).test(args.detections or None, args.k)
    print("\n".join(case_report(results)))
    return EXIT_FINDINGS if any(not r.passed for r in results) else EXIT_OK


def cmd_coverage(args: argparse.Namespace) -> int:
    """Techniques x detections as text, an ATT&CK Navigator layer, or the README table."""
    text = Workspace.open(args.project).coverage(args.format, args.link_base, args.output)
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


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``validate``, ``test``, ``coverage`` and ``new``."""
    validate = verbs.add_parser("validate", parents=[PROJECT], help="check detections; exit 1 on errors")
    validate.add_argument("targets", nargs="*", help="detection ids, or .sql files or folders (default: all)")
    validate.add_argument("--format", choices=["text", "sarif", "github"], default="text")
    test = verbs.add_parser("test", parents=[PROJECT], help="run detections against their fixtures")
    test.add_argument("detections", nargs="*", help="detection ids, or .sql files or folders (default: all)")
    test.add_argument("-k", metavar="PATTERN", help="only cases whose detection::case id contains PATTERN")
    cover = verbs.add_parser("coverage", parents=[PROJECT], help="ATT&CK techniques x detections")
    cover.add_argument("--format", choices=["text", "navigator", "readme"], default="text")
    cover.add_argument("--output", type=Path, help="write there (readme: replace the README's table)")
    cover.add_argument("--link-base", help="URL the layer's links start with (default: file:// paths)")
    new = verbs.add_parser("new", parents=[PROJECT], help="scaffold a detection, a firing and a near-miss fixture")  # fmt: skip
    new.add_argument("target", metavar="TACTIC/ID", help="e.g. persistence/iam_group_backdoor")
    new.add_argument("--event", default="iam.amazonaws.com:CreateUser", help="SOURCE:EventName to detect")
    new.add_argument("--attack", help="ATT&CK technique id (default: a cloud technique of the tactic)")
