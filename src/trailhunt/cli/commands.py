"""The ``trailhunt`` command: argument parsing, one ``Workspace`` call per verb, and the exit codes,
decided here only: 0 ok, 1 a finding at/above ``--fail-on`` (or a failing test or validation),
2 usage or input error (one line, no traceback), 3 internal error."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from trailhunt import __version__
from trailhunt.cli import deploy, hunt
from trailhunt.cli import options as opt
from trailhunt.escape import for_terminal
from trailhunt.problems import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, TrailhuntError
from trailhunt.workspace import Workspace


def cmd_list(args: argparse.Namespace) -> int:
    """Print the catalogue: id, tactic, ATT&CK, confidence, severity, title."""
    catalog = Workspace.open(args.project).catalog
    for d in catalog.detections:
        print(f"{d.id:45} {d.tactic:22} {','.join(d.meta.attack):22} {d.meta.confidence:6} {d.meta.severity:8} {d.meta.title}")  # fmt: skip
    print(f"{len(catalog.detections)} detections")
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    """Print one detection's rendered SQL for a target."""
    sys.stdout.write(Workspace.open(args.project, args.context).render(args.detection, args.target))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate all detections or the ones named: text, SARIF or GitHub annotations; exit 1 on errors."""
    from trailhunt.validate.formats import validation_text

    workspace = Workspace.open(args.project)
    detections, problems = workspace.validate(args.targets or None)
    sys.stdout.write(validation_text(problems, len(detections), args.format, workspace.project.root))
    return EXIT_FINDINGS if any(p.severity == "error" for p in problems) else EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    """Run test cases; one line per case, failures with expected and actual rows."""
    from trailhunt.validate.case_diff import case_report

    results = Workspace.open(args.project).test(args.detections or None, args.k)
    print("\n".join(case_report(results)))
    return EXIT_FINDINGS if any(not r.passed for r in results) else EXIT_OK


def cmd_coverage(args: argparse.Namespace) -> int:
    """Techniques x detections as text, an ATT&CK Navigator layer, or the README table."""
    opt.write(Workspace.open(args.project).coverage(args.format, args.link_base, args.output), args.output)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold ``detections/TACTIC/ID.sql`` with a firing and a near-miss fixture."""
    sys.stdout.write(Workspace.open(args.project).new(args.target, args.event, args.attack).summary())
    return EXIT_OK


def add_authoring(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the authoring verbs: ``validate`` and ``test`` over ids or paths, ``coverage`` and ``new``."""
    validate = verbs.add_parser("validate", parents=[opt.PROJECT], help="check detections; exit 1 on errors")
    validate.add_argument("targets", nargs="*", help="detection ids, or .sql files or folders (default: all)")
    validate.add_argument("--format", choices=["text", "sarif", "github"], default="text")
    test = verbs.add_parser("test", parents=[opt.PROJECT], help="run detections against their fixtures")
    test.add_argument("detections", nargs="*", help="detection ids, or .sql files or folders (default: all)")
    test.add_argument("-k", metavar="PATTERN", help="only cases whose detection::case id contains PATTERN")
    cover = verbs.add_parser("coverage", parents=[opt.PROJECT], help="ATT&CK techniques x detections")
    cover.add_argument("--format", choices=["text", "navigator", "readme"], default="text")
    cover.add_argument("--output", type=Path, help="write there (readme: replace the README's table)")
    cover.add_argument("--link-base", help="URL the layer's links start with (default: file:// paths)")
    new = verbs.add_parser("new", parents=[opt.PROJECT], help="scaffold a detection, a firing and a near-miss fixture")  # fmt: skip
    new.add_argument("target", metavar="TACTIC/ID", help="e.g. persistence/iam_group_backdoor")
    new.add_argument("--event", default="iam.amazonaws.com:CreateUser", help="SOURCE:EventName to detect")
    new.add_argument("--attack", help="ATT&CK technique id (default: a cloud technique of the tactic)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every verb."""
    parser = argparse.ArgumentParser(prog="trailhunt", description="Detection-as-code threat hunting for AWS CloudTrail.")  # fmt: skip
    parser.add_argument("--version", action="version", version=f"trailhunt {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")
    verbs.add_parser("list", parents=[opt.PROJECT], help="show the detection catalogue")
    render = verbs.add_parser("render", parents=[opt.PROJECT, opt.CONTEXT], help="print a detection's SQL")
    render.add_argument("detection")
    render.add_argument("--target", choices=["athena", "trino", "duckdb"], default="athena")
    hunt.register(verbs)
    add_authoring(verbs)
    deploy.register(verbs)
    return parser


COMMANDS = {
    "list": cmd_list, "render": cmd_render, "hunt": hunt.cmd_hunt, "validate": cmd_validate,
    "test": cmd_test, "coverage": cmd_coverage, "new": cmd_new,
    "ddl": deploy.cmd_ddl, "export": deploy.cmd_export,
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (the one place errors become exit codes)."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.verb](args)
    except TrailhuntError as error:
        for line in error.lines():
            print(f"trailhunt: {for_terminal(line)}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return error.exit_code
    except BrokenPipeError:  # `trailhunt list | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if args.debug:
            traceback.print_exc()
        print(f"trailhunt: internal error: {for_terminal(repr(error))} (rerun with --debug)", file=sys.stderr)
        return EXIT_INTERNAL
