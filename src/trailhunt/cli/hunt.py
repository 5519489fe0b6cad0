"""``hunt``: a local hunt over CloudTrail files with DuckDB, or a remote one on Athena or Trino."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trailhunt.cli import options as opt
from trailhunt.engines.base import Limits
from trailhunt.identifiers import argument, workgroup
from trailhunt.problems import UsageError
from trailhunt.render.window import parse_since, parse_time
from trailhunt.result import HuntResult
from trailhunt.workspace import Workspace


def cmd_hunt(args: argparse.Namespace) -> int:
    """Hunt and print the report; exit 1 when a finding is at least ``--fail-on`` severe."""
    from trailhunt.report.render_terminal import hunt_progress, make_console
    from trailhunt.report.write import check_output

    check_output(args.output)
    workspace = Workspace.open(args.project, args.context)
    limits = Limits(args.max_bytes, args.max_total_bytes)
    if args.engine != "duckdb":
        return hunt_remote(args, workspace, limits)
    count = len(workspace.select(args.detections))
    with hunt_progress(make_console(file=sys.stderr), count) as (loaded, ran):
        result = workspace.hunt_files(
            args.paths, args.detections, args.since, args.until, limits, args.memory_limit,
            not args.no_cache, loaded, ran,
        )  # fmt: skip
    return hunt_report(args, workspace, result)


def hunt_remote(args: argparse.Namespace, workspace: Workspace, limits: Limits) -> int:
    """``hunt --engine athena|trino``: the same loop and report as a local hunt, and the query log."""
    from trailhunt.engines.athena import AthenaSettings
    from trailhunt.report.write import write_query_log

    workspace.huntable(args.detections)  # a project that fails the sandbox stops before any connection
    window = workspace.remote_window(args.since, args.until, args.layout, args.regions)
    if args.engine == "athena":
        engine = workspace.athena(window, **opt.fields_of(AthenaSettings, args))
    else:
        engine = workspace.trino(args.trino_host, args.trino_port, args.trino_catalog, args.trino_schema, args.trino_user, args.table, args.max_bytes)  # fmt: skip
    result = workspace.hunt_on(engine, window, args.detections, limits)
    write_query_log(result)
    if result.errors and not result.detections_run:
        raise UsageError(f"no detection ran on {args.engine}: {result.errors[-1][1]}")
    return hunt_report(args, workspace, result)


def hunt_report(args: argparse.Namespace, workspace: Workspace, result: HuntResult) -> int:
    """Write the report; 1 when a finding reaches ``--fail-on``, else 0."""
    report = workspace.write_report(result, args.format, args.output, args.drafts)
    return 1 if report.fails(args.fail_on) else 0


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``hunt``: the window, the report, the engine and its cost guard, and each engine's connection."""
    hunt = verbs.add_parser("hunt", parents=[*opt.QUERYING, opt.PRICE], help="hunt over CloudTrail log files or folders")  # fmt: skip
    hunt.add_argument("paths", nargs="*", type=Path, help="log files or folders (DuckDB engine)")
    hunt.add_argument("--since", type=opt.arg_type(parse_since), help="ISO time, or 24h/7d back from now (remote engines); default: data start")  # fmt: skip
    hunt.add_argument("--until", type=opt.arg_type(parse_time), help="end of window (ISO time); default: data end")  # fmt: skip
    hunt.add_argument("--format", choices=["terminal", "md", "json", "jsonl", "html"], help="default: terminal, or the --output suffix (json: one document; jsonl: a finding per line)")  # fmt: skip
    hunt.add_argument("--fail-on", choices=["low", "medium", "high", "critical"], help="exit 1 when a finding is at least this severe")  # fmt: skip
    hunt.add_argument("--no-cache", action="store_true", help="re-read JSON; skip the parquet cache")
    hunt.add_argument("--memory-limit", help="DuckDB memory limit (e.g. 2GB); beyond it DuckDB spills to disk")  # fmt: skip
    hunt.add_argument("--drafts", action="store_true", help="print the detection drafts' SQL in the terminal report")  # fmt: skip
    hunt.add_argument("--engine", choices=["duckdb", "athena", "trino"], default="duckdb")
    hunt.add_argument("--max-bytes", type=opt.SIZE, help="cancel a query past this scan (e.g. 20G)")
    hunt.add_argument("--max-total-bytes", type=opt.SIZE, help="start no query after the hunt scanned this")
    athena = hunt.add_argument_group("Athena (--engine athena)")
    athena.add_argument("--database", type=argument("database"), help="Glue database of the CloudTrail table")
    athena.add_argument("--workgroup", type=argument("workgroup", workgroup), default="primary")
    athena.add_argument("--output-location", help="s3:// for query results (default: the workgroup's)")
    athena.add_argument("--region")
    athena.add_argument("--profile", help="AWS profile for credentials")
    athena.add_argument("--concurrency", type=int, default=4, help="queries running at once")
    trino = hunt.add_argument_group("Trino (--engine trino)")
    trino.add_argument("--trino-host", default="localhost")
    trino.add_argument("--trino-port", type=int, default=8080)
    trino.add_argument("--trino-user", default="trailhunt")
    trino.add_argument("--trino-catalog", type=argument("catalog"), default="hive")
    trino.add_argument("--trino-schema", type=argument("schema"), default="default")
