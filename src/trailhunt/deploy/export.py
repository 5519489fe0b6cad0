"""``trailhunt export``: the catalogue as deployable artefacts.

- ``sql``: each detection's SQL for a scheduled run (the window is relative to query time, ``every``
  long and ending ``lag`` ago, since CloudTrail delivers files minutes after the events) on Athena,
  Trino or, best-effort, CloudTrail Lake;
- ``eventbridge``: the compiled event patterns, and the SQL-only detections with their reasons;
- ``cloudformation``: every detection scheduled on Athena, optionally with the rules (``export_cfn``),
  or the rules-only stack to deploy in every region.

``export`` builds any of them from ``ExportOptions`` (the command's options); ``table_ddl`` is
``trailhunt ddl``. Both turn a bad option into one ``UsageError`` line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, Literal

import yaml

from trailhunt.catalog.detection import Detection
from trailhunt.deploy.cfn_staging import daily_schedule, history_sql
from trailhunt.deploy.cloudformation import Deployment, lookback_days, realtime_template, template
from trailhunt.deploy.cost import DetectionLoad, Estimate, estimate, format_estimate, history_share, share
from trailhunt.deploy.ddl import TableSpec, create_table
from trailhunt.deploy.eventbridge import Rule, compile_detection, export_document
from trailhunt.deploy.history import CONFIG_TABLE
from trailhunt.deploy.lake import to_lake
from trailhunt.deploy.schedule import Schedule, bind
from trailhunt.deploy.staging import STAGING_TABLE, Staging, catalogue_columns
from trailhunt.escape import for_terminal
from trailhunt.problems import UsageError
from trailhunt.render.context import AccountContext, load_context
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Layout
from trailhunt.schema import TABLE_NAME

SqlTarget = Literal["athena", "trino", "lake"]
ExportKind = Literal["sql", "eventbridge", "cloudformation"]


@dataclass(frozen=True)
class ExportOptions:
    """What ``trailhunt export`` was asked for; the defaults are the command's."""

    every: timedelta = Schedule.every
    lag: timedelta = Schedule.lag
    layout: Layout = Schedule.layout
    table: str = Schedule.table
    regions: tuple[str, ...] = Schedule.regions  # region partitions to read; all projected when empty
    target: SqlTarget = "athena"  # sql
    event_data_store: str | None = None  # sql --target lake
    scheduled_time: datetime | None = None  # sql: rendered for this run instead of ? parameters
    database: str = ""  # cloudformation, from here on
    cloudtrail_bucket: str = ""
    max_bytes_per_query: int = 10 * 1024**3
    max_concurrency: int = 5
    org_id: str | None = None
    prefix: str = ""
    daily_volume: int | None = None  # print the cost estimate for this compressed volume per day
    price_per_tb: float = 5.0
    no_staging: bool = False
    realtime: bool = False
    realtime_only: bool = False
    format: Literal["yaml", "json"] = "yaml"


@dataclass
class Exported:
    """An export's text, what to tell the user beside it (counts, the estimate), and its warnings."""

    text: str
    notes: str = ""
    warnings: list[str] = field(default_factory=list)

    def tell(self, file: IO[str]) -> None:
        """Write the notes, then each warning on a line (escaped for a terminal), to ``file``."""
        print(self.notes, end="", file=file)
        for warning in self.warnings:
            print(f"trailhunt export: warning: {for_terminal(warning, 300)}", file=file)


def export_sql(
    renderer: Renderer,
    detections: list[Detection],
    context: AccountContext,
    target: SqlTarget,
    schedule: Schedule,
    event_data_store: str | None = None,
) -> dict[str, str]:
    """Scheduled SQL per detection id for ``target`` (Lake: rewritten from flat-layout Athena SQL)."""
    if target == "lake":
        if not event_data_store:
            raise ValueError("--target lake needs --event-data-store")
        flat = Schedule(schedule.every, schedule.lag, "flat", TABLE_NAME)  # the table becomes the store id
        options = flat.options(context, "athena")
        return {d.id: to_lake(renderer.render(d, options), d.id, event_data_store) for d in detections}
    options = schedule.options(context, target)
    return {d.id: renderer.render(d, options) for d in detections}


def export_eventbridge(
    renderer: Renderer, detections: list[Detection], context: AccountContext
) -> dict[str, Any]:
    """The EventBridge document: compiled rules and the SQL-only list with reasons."""
    return export_document([compile_detection(renderer, d, context) for d in detections], context.name)


def daily_options(context: AccountContext, slot: timedelta, late: bool) -> RenderOptions:
    """The daily run over yesterday's slots: a look-back detection reads on-time and late rows, a
    late-delivery sweep (``late``) the late rows only."""
    options = daily_schedule(slot).options(context, "athena")
    return replace(options, window=replace(options.window, arrival="late" if late else "any"))


def export_cloudformation(
    renderer: Renderer,
    detections: list[Detection],
    context: AccountContext,
    deployment: Deployment,
    realtime_only: bool = False,
    raw: TableSpec | None = None,
) -> dict[str, Any]:
    """The CloudFormation template for the catalogue under ``context`` (or the rules-only regional stack).

    With ``raw`` (the CloudTrail table's layout), each run first copies the new files to the parquet
    staging table and the detections are rendered against it.
    """
    schedule = deployment.schedule
    if raw is not None:
        schedule = replace(schedule, layout="staged", table=STAGING_TABLE, accounts=(), regions=())
        deployment = replace(deployment, schedule=schedule, raw_table=deployment.schedule.table)
    options = schedule.options(context, "athena")
    items: list[tuple[Detection, str, Rule]] = [
        (d, renderer.render(d, options), compile_detection(renderer, d, context)) for d in detections
    ]
    if realtime_only:
        return realtime_template(items)
    staging, daily = None, None
    if raw is not None:
        read = [sql for _, sql, _ in items] + history_sql(schedule.every)  # the daily INSERTs read it too
        staging = Staging(raw, tuple(catalogue_columns(read)), schedule.every, schedule.lag)
        daily = [(d, renderer.render(d, daily_options(context, schedule.every, late=not lookback_days(d))))
                 for d in detections]  # fmt: skip
    return template(deployment, items, staging, daily)


class _TemplateDumper(yaml.SafeDumper):
    """YAML with multi-line strings (the SQL) as literal blocks, and no aliases (CloudFormation rejects them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_TemplateDumper.add_representer(str, _string)


def dump_template(document: dict[str, Any], fmt: Literal["yaml", "json"]) -> str:
    """The template as YAML (long-form intrinsic functions) or JSON."""
    if fmt == "json":
        return json.dumps(document, indent=2) + "\n"
    return yaml.dump(document, Dumper=_TemplateDumper, sort_keys=False, width=120, allow_unicode=True)


def cost_estimate(
    renderer: Renderer,
    detections: list[Detection],
    context: AccountContext,
    deployment: Deployment,
    raw: TableSpec | None,
    daily_bytes: float,
    price_per_tb: float = 5.0,
) -> Estimate:
    """What the template's schedule scans per day for ``daily_bytes`` of compressed logs (``cost``)."""
    schedule = deployment.schedule
    if raw is None:
        options = schedule.options(context, "athena")
        loads = [
            DetectionLoad(d.id, share(renderer.render(d, options)), lookback_days(d)) for d in detections
        ]
        return estimate(daily_bytes, schedule.every, schedule.lag, loads, 0, price_per_tb)
    schedule = replace(schedule, layout="staged", table=STAGING_TABLE, accounts=(), regions=())
    hourly = schedule.options(context, "athena")
    daily = daily_options(context, schedule.every, late=False)
    loads = []
    for d in detections:
        sql = renderer.render(d, daily if lookback_days(d) else hourly)
        loads.append(
            DetectionLoad(d.id, share(sql), lookback_days(d), history_share(sql), CONFIG_TABLE in sql)
        )
    chunks = len(Staging(raw, (), schedule.every).account_chunks())
    return estimate(daily_bytes, schedule.every, schedule.lag, loads, chunks, price_per_tb)


def split_list(text: str | None) -> tuple[str, ...]:
    """``a,b, c`` as ``("a", "b", "c")``; empty for None."""
    return tuple(v.strip() for v in (text or "").split(",") if v.strip())


def raw_table(
    bucket: str, accounts: list[str], prefix: str, org_id: str | None, table: str, regions: tuple[str, ...]
) -> TableSpec:
    """The CloudTrail table's layout, which the staging copy reads file by file."""
    from trailhunt.deploy.regions import COMMERCIAL_REGIONS

    if not accounts:
        raise ValueError(
            "the staging copy reads each account's files: list them as account_ids in --context, "
            "or pass --no-staging (every detection then scans the raw logs itself)"
        )
    return TableSpec(bucket, tuple(accounts), prefix, org_id, table, regions or COMMERCIAL_REGIONS)


def pattern_warnings(document: dict[str, Any]) -> list[str]:
    """Every note of an EventBridge document: patterns that did not fit, exclusions moved to targets."""
    return [f"{rule['detection']}: {note}" for rule in document["rules"] for note in rule["notes"]]


def export(
    kind: ExportKind, renderer: Renderer, detections: list[Detection], context: AccountContext, options: ExportOptions
) -> Exported:  # fmt: skip
    """``trailhunt export KIND``: scheduled SQL, the EventBridge document or the CloudFormation template."""
    try:
        return _export(kind, renderer, detections, context, options)
    except ValueError as error:
        raise UsageError(f"export: {error}") from error


def _export(
    kind: ExportKind, renderer: Renderer, detections: list[Detection], context: AccountContext, o: ExportOptions
) -> Exported:  # fmt: skip
    schedule = Schedule(o.every, o.lag, o.layout, o.table, tuple(context.account_ids), o.regions)
    if kind == "sql":
        texts = export_sql(renderer, detections, context, o.target, schedule, o.event_data_store)
        if o.scheduled_time:  # rendered for one run: every ? becomes the scheduled time
            texts = {i: bind(sql, o.scheduled_time) for i, sql in texts.items()}
        return Exported("\n".join(f"-- detection: {i}\n{sql}" for i, sql in texts.items()))
    if kind == "eventbridge":
        document = export_eventbridge(renderer, detections, context)
        notes = f"{len(document['rules'])} event patterns, {len(document['sql_only'])} SQL only\n"
        return Exported(json.dumps(document, indent=2) + "\n", notes, pattern_warnings(document))
    deployment = Deployment(o.database, o.cloudtrail_bucket, schedule, o.max_bytes_per_query, o.realtime, o.max_concurrency)  # fmt: skip
    raw = None if o.no_staging else raw_table(o.cloudtrail_bucket, context.account_ids, o.prefix, o.org_id, o.table, o.regions)  # fmt: skip
    document = export_cloudformation(renderer, detections, context, deployment, o.realtime_only, raw)
    exported = Exported(dump_template(document, o.format))
    if o.realtime or o.realtime_only:
        exported.warnings = pattern_warnings(export_eventbridge(renderer, detections, context))
    if o.daily_volume:
        load = cost_estimate(renderer, detections, context, deployment, raw, o.daily_volume, o.price_per_tb)
        exported.notes = format_estimate(load, o.daily_volume)
    return exported


def table_ddl(account_groups: Iterable[Iterable[str]], context: Path | None, **spec: Any) -> str:
    """``trailhunt ddl``: the CREATE TABLE for ``TableSpec`` fields; the accounts are the groups given
    (``--account``, repeated), else the context's ``account_ids``; regions default to all commercial."""
    from trailhunt.deploy.regions import COMMERCIAL_REGIONS

    accounts = tuple(a for group in account_groups for a in group)
    if not accounts and context:
        accounts = tuple(load_context(context).account_ids)
    try:
        return create_table(TableSpec(**{**spec, "accounts": accounts, "regions": spec.get("regions") or COMMERCIAL_REGIONS}))  # fmt: skip
    except ValueError as error:
        raise UsageError(f"ddl: {error}") from error
