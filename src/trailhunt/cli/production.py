"""Remote hunts (``hunt --engine athena|trino``): parsing over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from trailhunt.engines.base import Limits, parse_size
from trailhunt.escape import for_terminal
from trailhunt.identifiers import argument, workgroup
from trailhunt.problems import UsageError
from trailhunt.render.window import Window
from trailhunt.result import HuntResult
from trailhunt.workspace import Workspace

DEFAULT_SINCE = timedelta(hours=24)
LAYOUTS = ["projection", "manual", "flat"]


def arg_type(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type whose error is the parser's own message (no function names)."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def add_engine_options(hunt: argparse.ArgumentParser) -> None:
    """Engine choice, the cost guard, and the Athena and Trino connection options of ``hunt``."""
    hunt.add_argument("--engine", choices=["duckdb", "athena", "trino"], default="duckdb")
    hunt.add_argument(
        "--max-bytes", type=arg_type(parse_size), help="cancel a query past this scan (e.g. 20G)"
    )
    hunt.add_argument("--max-total-bytes", type=arg_type(parse_size), help="start no query after the hunt scanned this")  # fmt: skip
    hunt.add_argument("--table", type=argument("table"), default="cloudtrail", help="CloudTrail table (see `trailhunt ddl`)")  # fmt: skip
    hunt.add_argument("--layout", choices=LAYOUTS, default="projection")
    athena = hunt.add_argument_group("Athena (--engine athena)")
    athena.add_argument("--database", type=argument("database"), help="Glue database of the CloudTrail table")
    athena.add_argument("--workgroup", type=argument("workgroup", workgroup), default="primary")
    athena.add_argument("--output-location", help="s3:// for query results (default: the workgroup's)")
    athena.add_argument("--region")
    athena.add_argument("--profile", help="AWS profile for credentials")
    athena.add_argument("--concurrency", type=int, default=4, help="queries running at once")
    athena.add_argument("--price-per-tb", type=float, default=5.0, help="$ per TB scanned for the estimate")
    trino = hunt.add_argument_group("Trino (--engine trino)")
    trino.add_argument("--trino-host", default="localhost")
    trino.add_argument("--trino-port", type=int, default=8080)
    trino.add_argument("--trino-user", default="trailhunt")
    trino.add_argument("--trino-catalog", type=argument("catalog"), default="hive")
    trino.add_argument("--trino-schema", type=argument("schema"), default="default")


def window_of(args: argparse.Namespace, now: datetime) -> Window:
    """A remote hunt's window: ``--since`` (duration back from ``--until`` or an ISO time) to ``--until``."""
    since, until = args.since or DEFAULT_SINCE, args.until or now
    start = until - since if isinstance(since, timedelta) else since
    if start >= until:
        raise UsageError("--since is not before --until")
    return Window(start, until, args.layout)


def hunt_remote(args: argparse.Namespace, workspace: Workspace, limits: Limits) -> int:
    """``hunt --engine athena|trino``: the same loop and report as a local hunt."""
    workspace.huntable(args.detections)  # a project that fails the sandbox stops before any connection
    window = window_of(args, datetime.now(UTC))
    if args.engine == "athena":
        from trailhunt.engines.athena import AthenaSettings

        if not args.database:
            raise UsageError("--engine athena needs --database (the Glue database of the CloudTrail table)")
        try:
            settings = AthenaSettings(
                database=args.database, table=args.table, workgroup=args.workgroup, output_location=args.output_location,
                region=args.region, profile=args.profile, layout=args.layout, concurrency=args.concurrency,
                max_bytes=args.max_bytes, max_total_bytes=args.max_total_bytes, price_per_tb=args.price_per_tb,
            )  # fmt: skip
        except ValueError as error:
            raise UsageError(str(error)) from error
        engine = workspace.athena(settings)
    else:
        engine = workspace.trino(args.trino_host, args.trino_port, args.trino_catalog, args.trino_schema, args.trino_user, args.table, args.max_bytes)  # fmt: skip
    try:
        result = workspace.hunt_on(engine, window, args.detections, limits)
    finally:
        engine.close()
    for q in result.queries:
        reason = f"  {for_terminal(q.reason, 200)}" if q.reason else ""
        print(f"{q.label:45} {q.state:10} {q.bytes_scanned / 1024**2:10.1f} MB {q.elapsed_ms / 1000:7.1f} s ${q.cost_usd:8.4f}  {q.query_id or '-'}{reason}", file=sys.stderr)  # fmt: skip
    print(f"{len(result.queries)} queries, {result.bytes_scanned / 1024**2:.1f} MB scanned, estimated ${result.cost_usd:.4f}", file=sys.stderr)  # fmt: skip
    if result.errors and not result.detections_run:
        raise UsageError(f"no detection ran on {args.engine}: {result.errors[-1][1]}")
    return hunt_report(args, workspace, result)


def hunt_report(args: argparse.Namespace, workspace: Workspace, result: HuntResult) -> int:
    """Write the report; 1 when a finding reaches ``--fail-on``, else 0."""
    from trailhunt.report.write import format_for, write_report

    report = workspace.report(result)
    write_report(report, format_for(args.output, args.format), args.output, drafts=args.drafts)
    return 1 if report.fails(args.fail_on) else 0
