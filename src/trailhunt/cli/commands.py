"""The ``trailhunt`` command: argument parsing, one ``Workspace`` call per verb, and the exit codes,
decided here only: 0 ok, 1 a finding at/above ``--fail-on`` (or a failing test or validation),
2 usage or input error (one line, no traceback), 3 internal error."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable

from trailhunt import __version__
from trailhunt.cli import deploy, hunt, report
from trailhunt.cli.options import CONTEXT, PROJECT
from trailhunt.escape import for_terminal
from trailhunt.problems import EXIT_INTERNAL, EXIT_OK, TrailhuntError
from trailhunt.workspace import Workspace

Command = Callable[[argparse.Namespace], int]


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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every verb."""
    parser = argparse.ArgumentParser(prog="trailhunt", description="Detection-as-code threat hunting for AWS CloudTrail.")  # fmt: skip
    parser.add_argument("--version", action="version", version=f"trailhunt {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")
    verbs.add_parser("list", parents=[PROJECT], help="show the detection catalogue")
    render = verbs.add_parser("render", parents=[PROJECT, CONTEXT], help="print a detection's SQL")
    render.add_argument("detection")
    render.add_argument("--target", choices=["athena", "trino", "duckdb"], default="athena")
    hunt.register(verbs)
    report.register(verbs)
    deploy.register(verbs)
    return parser


COMMANDS: dict[str, Command] = {
    "list": cmd_list, "render": cmd_render, "hunt": hunt.cmd_hunt, "validate": report.cmd_validate,
    "test": report.cmd_test, "coverage": report.cmd_coverage, "new": report.cmd_new,
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
