"""Report-side commands and options: ``hunt --drafts``, ``coverage``, ``new``, and ``validate`` /
``test`` that take paths or ids. Thin parsing over the library; ``cli.py`` wires them in with
``register``, which returns the commands by verb (replacing ``validate`` and ``test``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from trailhunt.case_diff import expected_vs_actual
from trailhunt.catalog import Catalog, load_catalog
from trailhunt.escape import for_terminal
from trailhunt.problem_formats import github_annotations, sarif_text
from trailhunt.problems import Problem, ProblemError
from trailhunt.project import Project
from trailhunt.render import Renderer
from trailhunt.report.labels import plural
from trailhunt.scaffold import new_detection
from trailhunt.selection import problems_under, select
from trailhunt.testing import run_case
from trailhunt.validate import Validator

Command = Callable[[argparse.Namespace], int]


def cmd_coverage(args: argparse.Namespace) -> int:
    """Techniques x detections as text, an ATT&CK Navigator layer, or the README table."""
    from trailhunt import coverage

    project = Project.locate(args.project)
    detections = load_catalog(project).detections
    if not detections:
        raise ProblemError([Problem("CLI010", f"no detections under {project.detections}: nothing to cover")])
    if args.format == "navigator":
        text = json.dumps(coverage.navigator_layer(detections, project.root, args.link_base), indent=2) + "\n"
    elif args.format == "readme":
        table = coverage.readme_table(detections)
        if args.output is not None:
            try:
                readme = args.output.read_text(encoding="utf-8")
                args.output.write_text(coverage.with_readme_table(readme, table), encoding="utf-8")
            except (OSError, ValueError) as error:
                raise ProblemError([Problem("CLI011", f"{args.output}: {error}")]) from error
            return 0
        text = table + "\n"
    else:
        text = coverage.coverage_text(detections)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise ProblemError(
                [Problem("CLI011", f"cannot write {args.output}: {error.strerror}")]
            ) from error
    return 0


def _catalog(args: argparse.Namespace) -> tuple[Catalog, Renderer, Project]:
    project = Project.locate(args.project)
    return load_catalog(project), Renderer(project), project


def _version() -> str:
    try:
        return metadata.version("trailhunt")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate all detections or the ones named; text, SARIF or GitHub annotations. Exit 1 on errors."""
    catalog, renderer, project = _catalog(args)
    targets = args.targets or None
    detections = select(catalog, targets)
    problems = problems_under(catalog, targets)
    if not detections and not problems:
        raise ProblemError(
            [Problem("CLI022", f"nothing to validate: no detections under {project.detections}")]
        )
    validator = Validator(catalog, renderer)
    problems += (
        validator.validate_all()
        if targets is None
        else [p for d in detections for p in validator.validate(d)]
    )
    problems = list(dict.fromkeys(problems))
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "sarif":
        sys.stdout.write(sarif_text(problems, project.root, _version()))
    elif args.format == "github":
        sys.stdout.write(github_annotations(problems, project.root))
    else:
        for problem in problems:
            print(for_terminal(problem))
        print(f"{plural(len(detections), 'detection')}, {plural(errors, 'error')}, "
              f"{plural(len(problems) - errors, 'warning')}")  # fmt: skip
    return 1 if errors else 0


def cmd_test(args: argparse.Namespace) -> int:
    """Run the test cases of all detections or the ones named (``-k`` filters ``detection::case``)."""
    catalog, renderer, _ = _catalog(args)
    failed = total = 0
    for detection in select(catalog, args.detections or None):
        for index, case in enumerate(detection.meta.tests):
            full_id = f"{detection.id}::{case.case_id(index)}"
            if args.k and args.k not in full_id:
                continue
            total += 1
            result = run_case(renderer, detection, index)
            print(f"{'PASS' if result.passed else 'FAIL'} {full_id}")
            if not result.passed:
                failed += 1
                for line in [*result.failures, *expected_vs_actual(result)]:
                    print(f"     {for_terminal(line)}")
    if total == 0:
        raise ProblemError([Problem("CLI023", "no test case matches: check the ids, paths and -k pattern")])
    print(f"{total - failed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold ``detections/TACTIC/ID.sql`` with a firing and a near-miss fixture."""
    project = Project.locate(args.project)
    made = new_detection(project, args.target, args.event, args.attack)
    for path in (made.detection, made.fires, made.near_miss):
        print(f"wrote {path}")
    detection_id = made.detection.stem
    print(f"next: edit them, then `trailhunt validate {detection_id}` and `trailhunt test {detection_id}`")
    return 0


def register(verbs: argparse._SubParsersAction) -> dict[str, Command]:  # type: ignore[type-arg]
    """Add the report-side options and verbs; returns their commands by verb."""
    verbs.choices["hunt"].add_argument(
        "--drafts", action="store_true", help="print the detection drafts' SQL in the terminal report"
    )
    cover = verbs.add_parser(
        "coverage", help="ATT&CK techniques x detections (text, Navigator layer, README)"
    )
    cover.add_argument("--format", choices=["text", "navigator", "readme"], default="text")
    cover.add_argument(
        "--output", type=Path, help="write there (readme: replace the table between the README's markers)"
    )
    cover.add_argument("--link-base", help="URL the layer's links start with (default: file:// paths)")
    cover.add_argument("--project", type=Path, help="folder with detections/ and templates/")
    validate = verbs.choices["validate"]
    validate.add_argument("targets", nargs="*", help="detection ids, or .sql files or folders (default: all)")
    validate.add_argument("--format", choices=["text", "sarif", "github"], default="text")
    test = verbs.choices["test"]
    test.add_argument("-k", metavar="PATTERN", help="only cases whose detection::case id contains PATTERN")
    new = verbs.add_parser("new", help="scaffold a detection with a firing and a near-miss fixture")
    new.add_argument("target", metavar="TACTIC/ID", help="e.g. persistence/iam_group_backdoor")
    new.add_argument("--event", default="iam.amazonaws.com:CreateUser", help="SOURCE:EventName to detect")
    new.add_argument("--attack", help="ATT&CK technique id (default: a cloud technique of the tactic)")
    new.add_argument("--project", type=Path, help="folder with detections/ and templates/")
    return {"coverage": cmd_coverage, "validate": cmd_validate, "test": cmd_test, "new": cmd_new}
