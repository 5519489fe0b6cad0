"""Production commands: ``hunt --engine athena``, ``ddl`` and ``export``. Thin parsing over the library;
``cli.py`` wires them in (``add_athena_options`` on the hunt parser, ``register`` for the verbs)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from trailhunt.escape import for_terminal
from trailhunt.window import Window, parse_duration, parse_time

if TYPE_CHECKING:
    from trailhunt.ddl import TableSpec
    from trailhunt.hunt import HuntResult
    from trailhunt.render import Renderer

Command = Callable[[argparse.Namespace], int]
DEFAULT_SINCE = timedelta(hours=24)


def since_value(text: str) -> datetime | timedelta:
    """``--since``: a duration back from now (``24h``, ``7d``) or an ISO time."""
    try:
        return parse_duration(text)
    except ValueError:
        return parse_time(text)


def _size(text: str) -> int:
    units = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    text = text.strip().upper().removesuffix("B")
    factor = units.get(text[-1:], 1)
    return int(float(text[:-1] if text[-1:] in units else text) * factor)


def add_athena_options(hunt: argparse.ArgumentParser) -> None:
    """Options of ``hunt --engine athena`` (``--since`` takes a duration there: use ``since_value``)."""
    group = hunt.add_argument_group("Athena (--engine athena)")
    group.add_argument("--engine", choices=["duckdb", "athena", "trino"], default="duckdb")
    group.add_argument("--database", help="Glue database of the CloudTrail table")
    group.add_argument("--table", default="cloudtrail", help="CloudTrail table (see `trailhunt ddl`)")
    group.add_argument("--workgroup", default="primary")
    group.add_argument("--output-location", help="s3:// for query results (default: the workgroup's)")
    group.add_argument("--region")
    group.add_argument("--profile", help="AWS profile for credentials")
    group.add_argument("--layout", choices=["projection", "manual", "flat"], default="projection")
    group.add_argument("--concurrency", type=int, default=4, help="queries running at once")
    group.add_argument("--max-bytes", type=_size, help="cancel a query once it has scanned this (e.g. 20G)")
    group.add_argument(
        "--max-total-bytes", type=_size, help="start no more queries after the hunt scanned this"
    )
    group.add_argument(
        "--price-per-tb", type=float, default=5.0, help="Athena $ per TB scanned for the estimate"
    )
    trino = hunt.add_argument_group("Trino (--engine trino; also uses --table, --layout, --since)")
    trino.add_argument("--trino-host", default="localhost")
    trino.add_argument("--trino-port", type=int, default=8080)
    trino.add_argument("--trino-user", default="trailhunt")
    trino.add_argument("--trino-catalog", default="hive")
    trino.add_argument("--trino-schema", default="default")


def _window(args: argparse.Namespace, layout: str, now: datetime) -> Window:
    since = args.since or DEFAULT_SINCE
    until = getattr(args, "until", None) or now
    start = until - since if isinstance(since, timedelta) else since
    return Window(start, until, layout)  # type: ignore[arg-type]


def _print_queries(result: object) -> None:
    queries = getattr(result, "queries", [])
    for q in queries:
        line = (
            f"{q.detection_id:45} {q.state:10} {q.bytes_scanned / 1024**2:10.1f} MB {q.engine_ms / 1000:7.1f} s "
            f"${q.cost_usd:8.4f}  {q.query_id or '-'}"
        )
        print(line + (f"  {for_terminal(q.reason, 200)}" if q.reason else ""), file=sys.stderr)
    total_mb = sum(q.bytes_scanned for q in queries) / 1024**2
    cost = sum(q.cost_usd for q in queries)
    print(f"{len(queries)} queries, {total_mb:.1f} MB scanned, estimated ${cost:.4f}", file=sys.stderr)


def hunt_athena(args: argparse.Namespace) -> int:
    """``hunt --engine athena``: run the catalogue on Athena and print the same report as the local hunt."""
    from trailhunt.athena_engine import AthenaSettings, run_on_athena
    from trailhunt.catalog import load_catalog
    from trailhunt.context import load_context
    from trailhunt.project import Project
    from trailhunt.render import Renderer

    if not args.database:
        print("trailhunt: --engine athena needs --database", file=sys.stderr)
        return 2
    settings = AthenaSettings(
        database=args.database, table=args.table, workgroup=args.workgroup, output_location=args.output_location,
        region=args.region, profile=args.profile, layout=args.layout, concurrency=args.concurrency,
        max_bytes=args.max_bytes, max_total_bytes=args.max_total_bytes, price_per_tb=args.price_per_tb,
    )  # fmt: skip
    project = Project.locate(args.project)
    catalog, renderer = load_catalog(project), Renderer(project)
    detections = catalog.select(args.detections)
    context = load_context(args.context)
    window = _window(args, settings.layout, datetime.now(UTC))
    result = run_on_athena(renderer, detections, context, settings, window)
    _print_queries(result)
    return _report_remote(args, result, renderer, len(detections))


def _report_remote(args: argparse.Namespace, result: HuntResult, renderer: Renderer, asked: int) -> int:
    """Print per-detection errors and the report of a remote hunt; its exit code.

    2 when nothing ran at all (credentials, address, table or workgroup are wrong), 1 when a finding
    reaches ``--fail-on``, else 0.
    """
    from trailhunt.report.build import build_report
    from trailhunt.report.write import format_for, write_report

    for detection_id, reason in result.errors:
        print(f"detection {detection_id}: {for_terminal(reason, 300)}", file=sys.stderr)
    report = build_report(result, renderer)
    write_report(report, format_for(args.output, args.format), args.output)
    if asked and not result.detections_run:
        return 2
    return 1 if report.fails(args.fail_on) else 0


def hunt_trino(args: argparse.Namespace) -> int:
    """``hunt --engine trino``: run the catalogue on your own Trino cluster, same report and exit codes."""
    from trailhunt import trino_engine
    from trailhunt.catalog import load_catalog
    from trailhunt.context import load_context
    from trailhunt.project import Project
    from trailhunt.render import Renderer
    from trailhunt.trino_hunt import run_on_trino

    project = Project.locate(args.project)
    catalog, renderer = load_catalog(project), Renderer(project)
    detections = catalog.select(args.detections)
    connection = trino_engine.connect(
        args.trino_host, args.trino_port, args.trino_catalog, args.trino_schema, args.trino_user
    )
    window = _window(args, args.layout, datetime.now(UTC))
    result = run_on_trino(renderer, detections, load_context(args.context), window, connection, args.table)
    return _report_remote(args, result, renderer, len(detections))


def _csv(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


def cmd_ddl(args: argparse.Namespace) -> int:
    """Print the CREATE EXTERNAL TABLE for the trail's bucket (accounts from --account or the context)."""
    from trailhunt.context import load_context
    from trailhunt.ddl import TableSpec, create_table
    from trailhunt.regions import COMMERCIAL_REGIONS

    accounts = tuple(a for group in args.account or [] for a in _csv(group))
    if not accounts and args.context:
        accounts = tuple(load_context(args.context).account_ids)
    try:
        spec = TableSpec(
            bucket=args.bucket, accounts=accounts, prefix=args.prefix, org_id=args.org_id, table=args.table,
            regions=_csv(args.regions) if args.regions else COMMERCIAL_REGIONS,
            account_projection=args.account_projection, start=args.start,
        )  # fmt: skip
    except ValueError as error:
        print(f"trailhunt ddl: {for_terminal(error)}", file=sys.stderr)
        return 2
    sys.stdout.write(create_table(spec))
    return 0


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def cmd_export(args: argparse.Namespace) -> int:
    """Export the catalogue as SQL, EventBridge patterns or a CloudFormation template."""
    from trailhunt import export
    from trailhunt.catalog import load_catalog
    from trailhunt.context import load_context
    from trailhunt.export_cfn import Deployment
    from trailhunt.project import Project
    from trailhunt.render import Renderer
    from trailhunt.schedule import Schedule, bind

    project = Project.locate(args.project)
    renderer, detections = Renderer(project), load_catalog(project).select(args.detections)
    context = load_context(args.context)
    try:
        regions = _csv(args.regions) if args.regions else ()
        schedule = Schedule(
            args.every, args.lag, args.layout, args.table, tuple(context.account_ids), regions
        )
        if args.what == "sql":
            texts = export.export_sql(
                renderer, detections, context, args.target, schedule, args.event_data_store
            )
            if args.scheduled_time:  # rendered for one run: every ? becomes the scheduled time
                texts = {i: bind(sql, args.scheduled_time) for i, sql in texts.items()}
            _write("\n".join(f"-- detection: {i}\n{sql}" for i, sql in texts.items()), args.output)
        elif args.what == "eventbridge":
            document = export.export_eventbridge(renderer, detections, context)
            _write(json.dumps(document, indent=2) + "\n", args.output)
            print(
                f"{len(document['rules'])} event patterns, {len(document['sql_only'])} SQL only",
                file=sys.stderr,
            )
            _warn(document)
        else:
            deployment = Deployment(
                args.database, args.cloudtrail_bucket, schedule, args.max_bytes_per_query, args.realtime,
                args.max_concurrency,
            )  # fmt: skip
            raw = None if args.no_staging else _raw_table(args, context.account_ids, regions)
            document = export.export_cloudformation(
                renderer, detections, context, deployment, args.realtime_only, raw
            )
            _write(export.dump_template(document, args.format), args.output)
            if args.daily_volume:
                from trailhunt.cost import format_estimate

                result = export.cost_estimate(
                    renderer, detections, context, deployment, raw, args.daily_volume, args.price_per_tb
                )
                print(format_estimate(result, args.daily_volume), end="", file=sys.stderr)
            if args.realtime or args.realtime_only:
                _warn(export.export_eventbridge(renderer, detections, context))
    except ValueError as error:
        print(f"trailhunt export: {for_terminal(error)}", file=sys.stderr)
        return 2
    return 0


def _raw_table(args: argparse.Namespace, accounts: list[str], regions: tuple[str, ...]) -> TableSpec:
    """The CloudTrail table's layout, which the staging copy reads file by file."""
    from trailhunt.ddl import TableSpec
    from trailhunt.regions import COMMERCIAL_REGIONS

    if not accounts:
        raise ValueError(
            "the staging copy reads each account's files: list them as account_ids in --context, "
            "or pass --no-staging (every detection then scans the raw logs itself)"
        )
    return TableSpec(
        args.cloudtrail_bucket, tuple(accounts), args.prefix, args.org_id, args.table,
        regions or COMMERCIAL_REGIONS,
    )  # fmt: skip


def _warn(document: dict[str, object]) -> None:
    """Print every note of the EventBridge document (patterns that did not fit, exclusions moved)."""
    for rule in document["rules"]:  # type: ignore[attr-defined]
        for note in rule["notes"]:
            print(
                f"trailhunt export: warning: {rule['detection']}: {for_terminal(note, 300)}", file=sys.stderr
            )


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", type=Path, help="folder with detections/ and templates/")
    parser.add_argument("--context", type=Path, help="account context YAML (its globs shape the SQL)")
    parser.add_argument("--detection", action="append", dest="detections", help="only these ids")
    parser.add_argument("--output", type=Path, help="write here instead of stdout")
    parser.add_argument("--every", type=parse_duration, default=timedelta(hours=1), help="schedule interval")
    parser.add_argument("--lag", type=parse_duration, default=timedelta(minutes=15), help="delivery delay")
    parser.add_argument("--layout", choices=["projection", "manual", "flat"], default="projection")
    parser.add_argument("--table", default="cloudtrail")
    parser.add_argument(
        "--regions", help="comma-separated region partitions to read (default: all projected)"
    )


def register(verbs: argparse._SubParsersAction) -> dict[str, Command]:  # type: ignore[type-arg]
    """Add ``ddl`` and ``export`` to the CLI; returns their commands by verb."""
    ddl = verbs.add_parser("ddl", help="print the Athena CREATE TABLE for your CloudTrail bucket")
    ddl.add_argument("--bucket", required=True)
    ddl.add_argument(
        "--account",
        action="append",
        help="account id(s) in the log path, comma-separated or repeated "
        "(default: the context's account_ids)",
    )
    ddl.add_argument("--context", type=Path, help="account context YAML whose account_ids are projected")
    ddl.add_argument("--prefix", default="", help="key prefix before AWSLogs/")
    ddl.add_argument("--org-id", help="organization trail: the o-... folder after AWSLogs/")
    ddl.add_argument(
        "--account-projection",
        choices=["enum", "injected"],
        default="enum",
        help="enum: the listed accounts; injected: every query names its accounts",
    )
    ddl.add_argument("--regions", help="comma-separated regions to project (default: all commercial regions)")
    ddl.add_argument("--table", default="cloudtrail")
    ddl.add_argument("--start", default="2024/01/01", help="first day projected (yyyy/MM/dd)")

    exporter = verbs.add_parser("export", help="SQL, EventBridge patterns or a CloudFormation template")
    kinds = exporter.add_subparsers(dest="what", required=True)
    sql = kinds.add_parser("sql", help="scheduled SQL per detection")
    sql.add_argument("--target", choices=["athena", "trino", "lake"], default="athena")
    sql.add_argument("--event-data-store", help="CloudTrail Lake event data store id (--target lake)")
    sql.add_argument(
        "--scheduled-time",
        type=parse_time,
        help="render for the run scheduled at this time (else ? parameters)",
    )
    eventbridge = kinds.add_parser("eventbridge", help="event patterns as JSON, and what stays SQL only")
    cfn = kinds.add_parser("cloudformation", help="named queries, schedules, rules, workgroup, roles")
    cfn.add_argument("--database", required=True)
    cfn.add_argument("--cloudtrail-bucket", required=True, help="bucket the trail writes to")
    cfn.add_argument("--max-bytes-per-query", type=_size, default=10 * 1024**3)
    cfn.add_argument("--max-concurrency", type=int, default=5, help="queries of one run at once")
    cfn.add_argument("--org-id", help="organisation trail: the o-... folder after AWSLogs/")
    cfn.add_argument(
        "--daily-volume",
        type=_size,
        help="compressed log volume per day (e.g. 100GB): print the cost estimate",
    )
    cfn.add_argument("--price-per-tb", type=float, default=5.0, help="Athena $ per TB scanned")
    cfn.add_argument("--prefix", default="", help="key prefix before AWSLogs/")
    cfn.add_argument(
        "--no-staging",
        action="store_true",
        help="run detections on the raw table instead of the parquet copy",
    )
    cfn.add_argument("--realtime", action="store_true", help="also add EventBridge rules (this region only)")
    cfn.add_argument(
        "--realtime-only",
        action="store_true",
        help="the rules-only stack to deploy in every region (StackSets)",
    )
    cfn.add_argument("--format", choices=["yaml", "json"], default="yaml")
    for parser in (sql, eventbridge, cfn):
        _common(parser)
    return {"ddl": cmd_ddl, "export": cmd_export}
