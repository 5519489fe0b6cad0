"""The ``trailhunt`` command: thin argument parsing over the library."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

from trailhunt import cli_production, cli_report
from trailhunt.catalog import Catalog, load_catalog
from trailhunt.context import load_context
from trailhunt.escape import for_terminal
from trailhunt.hunt import DEFAULT_MEMORY_LIMIT, hunt
from trailhunt.problems import Problem, ProblemError
from trailhunt.project import Project
from trailhunt.render import Renderer, RenderOptions
from trailhunt.testing import run_detection
from trailhunt.validate import Validator
from trailhunt.window import parse_time


def _catalog(args: argparse.Namespace) -> tuple[Catalog, Renderer]:
    project = Project.locate(args.project)
    return load_catalog(project), Renderer(project)


def cmd_list(args: argparse.Namespace) -> int:
    """Print the catalogue: id, tactic, ATT&CK, confidence, severity, title."""
    catalog, _ = _catalog(args)
    for d in catalog.detections:
        techniques = ",".join(d.meta.attack)
        print(
            f"{d.id:45} {d.tactic:22} {techniques:22} {d.meta.confidence:6} {d.meta.severity:8} {d.meta.title}"
        )
    print(f"{len(catalog.detections)} detections")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem; exit 1 when any is an error."""
    catalog, renderer = _catalog(args)
    problems = Validator(catalog, renderer).validate_all()
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{len(catalog.detections)} detections, {errors} errors, {len(problems) - errors} warnings")
    return 1 if errors else 0


def cmd_render(args: argparse.Namespace) -> int:
    """Print one detection's rendered SQL for a target."""
    catalog, renderer = _catalog(args)
    options = RenderOptions(context=load_context(args.context), target=args.target)
    sql = renderer.render(catalog.get(args.detection), options)
    if args.target == "duckdb":
        from trailhunt.transpile import to_duckdb

        sql = to_duckdb(sql, args.detection) + "\n"
    sys.stdout.write(sql)
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    """Run test cases; print one line per case and the failures in detail."""
    catalog, renderer = _catalog(args)
    failed = total = 0
    for detection in catalog.select(args.detections):
        for result in run_detection(renderer, detection):
            total += 1
            print(f"{'PASS' if result.passed else 'FAIL'} {result.full_id}")
            if not result.passed:
                failed += 1
                for failure in result.failures:
                    print(f"     {for_terminal(failure)}")
    print(f"{total - failed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_hunt(args: argparse.Namespace) -> int:
    """Hunt over files and print the report; exit 1 when a finding is at least ``--fail-on`` severe."""
    if args.engine == "athena":
        return cli_production.hunt_athena(args)
    if args.engine == "trino":
        return cli_production.hunt_trino(args)
    if not args.paths:
        raise ProblemError([Problem("CLI001", "hunt needs log files or folders (or --engine athena|trino)")])
    if isinstance(args.since, timedelta):
        raise ProblemError([Problem("CLI002", "a duration --since (e.g. 24h) needs --engine athena|trino")])
    from trailhunt.report.build import build_report
    from trailhunt.report.render_terminal import hunt_progress, make_console
    from trailhunt.report.write import format_for, write_report

    catalog, renderer = _catalog(args)
    context = load_context(args.context)
    detections = catalog.select(args.detections)
    with hunt_progress(make_console(file=sys.stderr), len(detections)) as (loaded, ran):
        result = hunt(
            args.paths,
            renderer,
            detections,
            context,
            args.since,
            args.until,
            progress=loaded,
            on_detection=ran,
            use_cache=not args.no_cache,
            memory_limit=args.memory_limit,
        )
    report = build_report(result, renderer)
    write_report(report, format_for(args.output, args.format), args.output, drafts=args.drafts)
    return 1 if report.fails(args.fail_on) else 0


COMMANDS = {
    "list": cmd_list,
    "validate": cmd_validate,
    "render": cmd_render,
    "test": cmd_test,
    "hunt": cmd_hunt,
}


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", type=Path, help="folder with detections/ and templates/")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every verb."""
    parser = argparse.ArgumentParser(prog="trailhunt", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)

    _common(verbs.add_parser("list", help="show the detection catalogue"))
    _common(verbs.add_parser("validate", help="check every detection; exit 1 on errors"))

    render = verbs.add_parser("render", help="print a detection's SQL")
    render.add_argument("detection")
    render.add_argument("--target", choices=["athena", "trino", "duckdb"], default="athena")
    render.add_argument("--context", type=Path)
    _common(render)

    test = verbs.add_parser("test", help="run detections against their fixtures")
    test.add_argument("detections", nargs="*")
    _common(test)

    hunt = verbs.add_parser("hunt", help="hunt over CloudTrail log files or folders")
    hunt.add_argument("paths", nargs="*", type=Path, help="log files or folders (DuckDB engine)")
    hunt.add_argument("--context", type=Path, help="account context YAML")
    hunt.add_argument(
        "--since",
        type=cli_production.since_value,
        help="start of window: ISO time, or 24h/7d back from now (Athena); default: data start",
    )
    hunt.add_argument("--until", type=parse_time, help="end of window (ISO time); default: data end")
    hunt.add_argument("--detection", action="append", dest="detections", help="run only these ids")
    hunt.add_argument(
        "--format",
        choices=["terminal", "md", "json", "jsonl", "html"],
        help="default: terminal, or the --output suffix (json: one document; jsonl: a finding per line)",
    )
    hunt.add_argument("--output", type=Path, help="write the report to this file instead of stdout")
    hunt.add_argument(
        "--fail-on",
        choices=["low", "medium", "high", "critical"],
        help="exit 1 when a finding is at least this severe (for CI)",
    )
    hunt.add_argument("--no-cache", action="store_true", help="re-read JSON; skip the parquet cache")
    hunt.add_argument(
        "--memory-limit",
        default=DEFAULT_MEMORY_LIMIT,
        help="DuckDB memory limit; beyond it DuckDB spills to disk",
    )
    cli_production.add_athena_options(hunt)
    _common(hunt)
    COMMANDS.update(cli_production.register(verbs))
    COMMANDS.update(cli_report.register(verbs))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.verb](args)
    except ProblemError as error:
        for problem in error.problems:
            print(for_terminal(problem), file=sys.stderr)
        return 2
    except KeyError as error:
        print(f"trailhunt: {for_terminal(error.args[0])}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
