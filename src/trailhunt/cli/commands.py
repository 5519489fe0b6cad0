"""The ``trailhunt`` command: argument parsing, one ``Workspace`` call per verb, and the exit codes,
decided here only: 0 ok, 1 a finding at/above ``--fail-on`` (or a failing test or validation),
2 usage or input error (one line, no traceback), 3 internal error."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from trailhunt import __version__
from trailhunt.cli import deploy, production, report
from trailhunt.cli.production import arg_type, hunt_report
from trailhunt.engines.base import Limits
from trailhunt.escape import for_terminal
from trailhunt.problems import EXIT_INTERNAL, EXIT_OK, TrailhuntError, UsageError
from trailhunt.render.window import parse_since, parse_time
from trailhunt.workspace import Workspace

Command = Callable[[argparse.Namespace], int]


def _workspace(args: argparse.Namespace) -> Workspace:
    return Workspace.open(args.project, getattr(args, "context", None))


def cmd_list(args: argparse.Namespace) -> int:
    """Print the catalogue: id, tactic, ATT&CK, confidence, severity, title."""
    catalog = _workspace(args).catalog
    for d in catalog.detections:
        print(f"{d.id:45} {d.tactic:22} {','.join(d.meta.attack):22} {d.meta.confidence:6} {d.meta.severity:8} {d.meta.title}")  # fmt: skip
    print(f"{len(catalog.detections)} detections")
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    """Print one detection's rendered SQL for a target."""
    sys.stdout.write(_workspace(args).render(args.detection, args.target))
    return EXIT_OK


def cmd_hunt(args: argparse.Namespace) -> int:
    """Hunt and print the report; exit 1 when a finding is at least ``--fail-on`` severe."""
    if args.output is not None and not args.output.parent.is_dir():
        raise UsageError(f"--output {args.output}: folder {args.output.parent} does not exist")
    workspace = _workspace(args)
    limits = Limits(args.max_bytes, args.max_total_bytes)
    if args.engine != "duckdb":
        return production.hunt_remote(args, workspace, limits)
    if not args.paths:
        raise UsageError("hunt needs log files or folders (or --engine athena|trino)")
    if isinstance(args.since, timedelta):
        raise UsageError("a duration --since (e.g. 24h) needs --engine athena|trino; give an ISO time")
    from trailhunt.report.render_terminal import hunt_progress, make_console

    count = len(workspace.select(args.detections))
    with hunt_progress(make_console(file=sys.stderr), count) as (loaded, ran):
        result = workspace.hunt_files(
            args.paths, args.detections, args.since, args.until, limits, args.memory_limit,
            not args.no_cache, loaded, ran,
        )  # fmt: skip
    return hunt_report(args, workspace, result)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every verb."""
    parser = argparse.ArgumentParser(prog="trailhunt", description="Detection-as-code threat hunting for AWS CloudTrail.")  # fmt: skip
    parser.add_argument("--version", action="version", version=f"trailhunt {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", type=Path, help="folder with detections/ and templates/")
    verbs.add_parser("list", parents=[project], help="show the detection catalogue")
    render = verbs.add_parser("render", parents=[project], help="print a detection's SQL")
    render.add_argument("detection")
    render.add_argument("--target", choices=["athena", "trino", "duckdb"], default="athena")
    render.add_argument("--context", type=Path)
    hunt = verbs.add_parser("hunt", parents=[project], help="hunt over CloudTrail log files or folders")
    hunt.add_argument("paths", nargs="*", type=Path, help="log files or folders (DuckDB engine)")
    hunt.add_argument("--context", type=Path, help="account context YAML")
    hunt.add_argument("--since", type=arg_type(parse_since), help="ISO time, or 24h/7d back from now (remote engines); default: data start")  # fmt: skip
    hunt.add_argument(
        "--until", type=arg_type(parse_time), help="end of window (ISO time); default: data end"
    )
    hunt.add_argument("--detection", action="append", dest="detections", help="run only these ids")
    hunt.add_argument("--format", choices=["terminal", "md", "json", "jsonl", "html"], help="default: terminal, or the --output suffix (json: one document; jsonl: a finding per line)")  # fmt: skip
    hunt.add_argument("--output", type=Path, help="write the report to this file instead of stdout")
    hunt.add_argument("--fail-on", choices=["low", "medium", "high", "critical"], help="exit 1 when a finding is at least this severe")  # fmt: skip
    hunt.add_argument("--no-cache", action="store_true", help="re-read JSON; skip the parquet cache")
    hunt.add_argument(
        "--memory-limit", help="DuckDB memory limit (e.g. 2GB); beyond it DuckDB spills to disk"
    )
    hunt.add_argument("--drafts", action="store_true", help="print the detection drafts' SQL in the terminal report")  # fmt: skip
    production.add_engine_options(hunt)
    report.register(verbs, project)
    deploy.register(verbs)
    return parser


COMMANDS: dict[str, Command] = {
    "list": cmd_list, "render": cmd_render, "hunt": cmd_hunt, "validate": report.cmd_validate,
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
