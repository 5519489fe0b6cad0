"""Report-side commands and options: ``hunt --drafts``, ``coverage``, ``new``, and ``validate`` /
``test`` that take paths or ids. Thin parsing over the library; ``cli.py`` wires them in with
``register``, which returns the commands by verb (replacing ``validate`` and ``test``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from trailhunt.catalog import load_catalog
from trailhunt.problems import Problem, ProblemError
from trailhunt.project import Project

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
    return {"coverage": cmd_coverage}
