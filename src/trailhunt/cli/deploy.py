"""``ddl`` and ``export``: parsing over ``trailhunt.deploy.export``."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from trailhunt.cli import options as opt
from trailhunt.identifiers import argument
from trailhunt.render.window import parse_duration, parse_time
from trailhunt.workspace import Workspace


def cmd_ddl(args: argparse.Namespace) -> int:
    """Print the CREATE EXTERNAL TABLE for the trail's bucket (accounts from --account or the context)."""
    from trailhunt.deploy.ddl import TableSpec
    from trailhunt.deploy.export import table_ddl

    sys.stdout.write(table_ddl(args.account or [], args.context, **opt.fields_of(TableSpec, args)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the catalogue as SQL, EventBridge patterns or a CloudFormation template."""
    from trailhunt.deploy.export import ExportOptions, export

    workspace = Workspace.open(args.project, args.context)
    options = ExportOptions(**opt.fields_of(ExportOptions, args))
    exported = export(
        args.what, workspace.renderer, workspace.select(args.detections), workspace.context, options
    )
    exported.tell(sys.stderr)
    opt.write(exported.text, args.output)
    return 0


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``ddl`` and ``export``."""
    ddl = verbs.add_parser("ddl", parents=[opt.CONTEXT, opt.TABLE, opt.TRAIL], help="print the Athena CREATE TABLE for your CloudTrail bucket")  # fmt: skip
    ddl.add_argument("--bucket", required=True)
    ddl.add_argument("--account", type=opt.split_list, action="append", help="account id(s) in the log path, comma-separated or repeated (default: the context's account_ids)")  # fmt: skip
    ddl.add_argument("--account-projection", choices=["enum", "injected"], default="enum", help="enum: the listed accounts; injected: every query names its accounts")  # fmt: skip
    ddl.add_argument("--regions", type=opt.split_list, default=(), help="comma-separated regions to project (default: all commercial regions)")  # fmt: skip
    ddl.add_argument("--start", default="2024/01/01", help="first day projected (yyyy/MM/dd)")
    common = argparse.ArgumentParser(add_help=False, parents=opt.QUERYING)
    common.add_argument("--every", type=opt.arg_type(parse_duration), default=timedelta(hours=1), help="schedule interval")  # fmt: skip
    common.add_argument("--lag", type=opt.arg_type(parse_duration), default=timedelta(minutes=15), help="delivery delay")  # fmt: skip
    kinds = verbs.add_parser("export", help="SQL, EventBridge patterns or a CloudFormation template").add_subparsers(dest="what", required=True, metavar="KIND")  # fmt: skip
    sql = kinds.add_parser("sql", parents=[common], help="scheduled SQL per detection")
    sql.add_argument("--target", choices=["athena", "trino", "lake"], default="athena")
    sql.add_argument("--event-data-store", help="CloudTrail Lake event data store id (--target lake)")
    sql.add_argument("--scheduled-time", type=opt.arg_type(parse_time), help="render for the run scheduled at this time (else ? parameters)")  # fmt: skip
    kinds.add_parser("eventbridge", parents=[common], help="event patterns as JSON, and what stays SQL only")
    cfn = kinds.add_parser("cloudformation", parents=[common, opt.TRAIL, opt.PRICE], help="named queries, one scheduled run, alarms, roles")  # fmt: skip
    cfn.add_argument("--database", type=argument("database"), required=True)
    cfn.add_argument("--cloudtrail-bucket", required=True, help="bucket the trail writes to")
    cfn.add_argument("--max-bytes-per-query", type=opt.SIZE, default=10 * 1024**3)
    cfn.add_argument("--max-concurrency", type=int, default=5, help="queries of one run at once")
    cfn.add_argument("--daily-volume", type=opt.SIZE, help="compressed log volume per day (e.g. 100GB): print the cost estimate")  # fmt: skip
    cfn.add_argument("--no-staging", action="store_true", help="run detections on the raw table, not the parquet copy")  # fmt: skip
    cfn.add_argument("--realtime", action="store_true", help="also add EventBridge rules (this region only)")
    cfn.add_argument("--realtime-only", action="store_true", help="the rules-only stack to deploy in every region (StackSets)")  # fmt: skip
    cfn.add_argument("--format", choices=["yaml", "json"], default="yaml")
