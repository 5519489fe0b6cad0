"""``ddl`` and ``export``: parsing over ``trailhunt.deploy``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path

from trailhunt.cli.production import arg_type
from trailhunt.engines.base import parse_size
from trailhunt.escape import for_terminal
from trailhunt.identifiers import argument
from trailhunt.problems import UsageError
from trailhunt.render.window import parse_duration, parse_time
from trailhunt.workspace import Workspace


def cmd_ddl(args: argparse.Namespace) -> int:
    """Print the CREATE EXTERNAL TABLE for the trail's bucket (accounts from --account or the context)."""
    from trailhunt.deploy.ddl import TableSpec, create_table
    from trailhunt.deploy.export import split_list
    from trailhunt.deploy.regions import COMMERCIAL_REGIONS
    from trailhunt.render.context import load_context

    accounts = tuple(a for group in args.account or [] for a in split_list(group))
    if not accounts and args.context:
        accounts = tuple(load_context(args.context).account_ids)
    try:
        spec = TableSpec(bucket=args.bucket, accounts=accounts, prefix=args.prefix, org_id=args.org_id, table=args.table,
                         regions=split_list(args.regions) or COMMERCIAL_REGIONS, account_projection=args.account_projection,
                         start=args.start)  # fmt: skip
    except ValueError as error:
        raise UsageError(f"ddl: {error}") from error
    sys.stdout.write(create_table(spec))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the catalogue as SQL, EventBridge patterns or a CloudFormation template."""
    from trailhunt.deploy import export
    from trailhunt.deploy.cloudformation import Deployment
    from trailhunt.deploy.schedule import Schedule, bind

    workspace = Workspace.open(args.project, args.context)
    detections, renderer, context = workspace.select(args.detections), workspace.renderer, workspace.context
    regions, warnings = export.split_list(args.regions), []
    try:
        schedule = Schedule(
            args.every, args.lag, args.layout, args.table, tuple(context.account_ids), regions
        )
        if args.what == "sql":
            texts = export.export_sql(
                renderer, detections, context, args.target, schedule, args.event_data_store
            )
            if args.scheduled_time:  # rendered for one run: every ? becomes the scheduled time
                texts = {i: bind(sql, args.scheduled_time) for i, sql in texts.items()}
            text = "\n".join(f"-- detection: {i}\n{sql}" for i, sql in texts.items())
        elif args.what == "eventbridge":
            document = export.export_eventbridge(renderer, detections, context)
            text, warnings = json.dumps(document, indent=2) + "\n", export.pattern_warnings(document)
            print(
                f"{len(document['rules'])} event patterns, {len(document['sql_only'])} SQL only",
                file=sys.stderr,
            )
        else:
            deployment = Deployment(args.database, args.cloudtrail_bucket, schedule, args.max_bytes_per_query,
                                    args.realtime, args.max_concurrency)  # fmt: skip
            raw = None if args.no_staging else export.raw_table(
                args.cloudtrail_bucket, context.account_ids, args.prefix, args.org_id, args.table, regions)  # fmt: skip
            document = export.export_cloudformation(
                renderer, detections, context, deployment, args.realtime_only, raw
            )
            text = export.dump_template(document, args.format)
            if args.realtime or args.realtime_only:
                warnings = export.pattern_warnings(export.export_eventbridge(renderer, detections, context))
            if args.daily_volume:
                from trailhunt.deploy.cost import format_estimate

                estimate = export.cost_estimate(renderer, detections, context, deployment, raw, args.daily_volume, args.price_per_tb)  # fmt: skip
                print(format_estimate(estimate, args.daily_volume), end="", file=sys.stderr)
    except ValueError as error:
        raise UsageError(f"export: {error}") from error
    for warning in warnings:
        print(f"trailhunt export: warning: {for_terminal(warning, 300)}", file=sys.stderr)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``ddl`` and ``export`` to the CLI."""
    ddl = verbs.add_parser("ddl", help="print the Athena CREATE TABLE for your CloudTrail bucket")
    ddl.add_argument("--bucket", required=True)
    ddl.add_argument("--account", action="append", help="account id(s) in the log path, comma-separated or repeated (default: the context's account_ids)")  # fmt: skip
    ddl.add_argument("--context", type=Path, help="account context YAML whose account_ids are projected")
    ddl.add_argument("--prefix", default="", help="key prefix before AWSLogs/")
    ddl.add_argument("--org-id", help="organization trail: the o-... folder after AWSLogs/")
    ddl.add_argument("--account-projection", choices=["enum", "injected"], default="enum", help="enum: the listed accounts; injected: every query names its accounts")  # fmt: skip
    ddl.add_argument("--regions", help="comma-separated regions to project (default: all commercial regions)")
    ddl.add_argument("--table", type=argument("table"), default="cloudtrail")
    ddl.add_argument("--start", default="2024/01/01", help="first day projected (yyyy/MM/dd)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", type=Path, help="folder with detections/ and templates/")
    common.add_argument("--context", type=Path, help="account context YAML (its globs shape the SQL)")
    common.add_argument("--detection", action="append", dest="detections", help="only these ids")
    common.add_argument("--output", type=Path, help="write here instead of stdout")
    common.add_argument("--every", type=arg_type(parse_duration), default=timedelta(hours=1), help="schedule interval")  # fmt: skip
    common.add_argument("--lag", type=arg_type(parse_duration), default=timedelta(minutes=15), help="delivery delay")  # fmt: skip
    common.add_argument("--layout", choices=["projection", "manual", "flat"], default="projection")
    common.add_argument("--table", type=argument("table"), default="cloudtrail")
    common.add_argument(
        "--regions", help="comma-separated region partitions to read (default: all projected)"
    )
    kinds = verbs.add_parser("export", help="SQL, EventBridge patterns or a CloudFormation template").add_subparsers(dest="what", required=True, metavar="KIND")  # fmt: skip
    sql = kinds.add_parser("sql", parents=[common], help="scheduled SQL per detection")
    sql.add_argument("--target", choices=["athena", "trino", "lake"], default="athena")
    sql.add_argument("--event-data-store", help="CloudTrail Lake event data store id (--target lake)")
    sql.add_argument("--scheduled-time", type=arg_type(parse_time), help="render for the run scheduled at this time (else ? parameters)")  # fmt: skip
    kinds.add_parser("eventbridge", parents=[common], help="event patterns as JSON, and what stays SQL only")
    cfn = kinds.add_parser("cloudformation", parents=[common], help="named queries, one scheduled run, alarms, roles")  # fmt: skip
    cfn.add_argument("--database", type=argument("database"), required=True)
    cfn.add_argument("--cloudtrail-bucket", required=True, help="bucket the trail writes to")
    cfn.add_argument("--max-bytes-per-query", type=arg_type(parse_size), default=10 * 1024**3)
    cfn.add_argument("--max-concurrency", type=int, default=5, help="queries of one run at once")
    cfn.add_argument("--org-id", help="organisation trail: the o-... folder after AWSLogs/")
    cfn.add_argument("--prefix", default="", help="key prefix before AWSLogs/")
    cfn.add_argument("--daily-volume", type=arg_type(parse_size), help="compressed log volume per day (e.g. 100GB): print the cost estimate")  # fmt: skip
    cfn.add_argument("--price-per-tb", type=float, default=5.0, help="Athena $ per TB scanned")
    cfn.add_argument("--no-staging", action="store_true", help="run detections on the raw table, not the parquet copy")  # fmt: skip
    cfn.add_argument("--realtime", action="store_true", help="also add EventBridge rules (this region only)")
    cfn.add_argument("--realtime-only", action="store_true", help="the rules-only stack to deploy in every region (StackSets)")  # fmt: skip
    cfn.add_argument("--format", choices=["yaml", "json"], default="yaml")
