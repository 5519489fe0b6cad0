"""``trailhunt export``: the catalogue as deployable artefacts.

- ``sql``: each detection's SQL for a scheduled run (the window is relative to query time, ``every``
  long and ending ``lag`` ago, since CloudTrail delivers files minutes after the events) on Athena,
  Trino or, best-effort, CloudTrail Lake;
- ``eventbridge``: the compiled event patterns, and the SQL-only detections with their reasons;
- ``cloudformation``: every detection scheduled on Athena, optionally with the rules (``export_cfn``),
  or the rules-only stack to deploy in every region.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any, Literal

import yaml

from trailhunt.catalog.detection import Detection
from trailhunt.deploy.cfn_staging import daily_schedule, history_sql
from trailhunt.deploy.cloudformation import Deployment, lookback_days, realtime_template, template
from trailhunt.deploy.cost import DetectionLoad, Estimate, estimate, history_share, share
from trailhunt.deploy.ddl import TableSpec
from trailhunt.deploy.eventbridge import Rule, compile_detection, export_document
from trailhunt.deploy.history import CONFIG_TABLE
from trailhunt.deploy.lake import to_lake
from trailhunt.deploy.schedule import Schedule
from trailhunt.deploy.staging import STAGING_TABLE, Staging, catalogue_columns
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.schema import TABLE_NAME

SqlTarget = Literal["athena", "trino", "lake"]


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
