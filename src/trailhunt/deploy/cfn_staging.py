"""The staged part of the CloudFormation export: the parquet tables, the Stage Map items, the daily run.

The state machine builds each copy INSERT from the run's scheduled time and the item's accounts
(``Staging.copy_expression``); an account chunk holds at most 100 account × region ``$path`` ranges.
Staging data lives under ``staging/`` in the results bucket and expires after a few days (look-back
detections read the history tables under ``history/``, kept 400 days; ``staging_retention_days``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from trailhunt.deploy.cfn_iam import run_schedule, sub
from trailhunt.deploy.history import config_table, history_table, scheduled_config_sql, scheduled_sql
from trailhunt.deploy.schedule import Schedule
from trailhunt.deploy.staging import STAGING_TABLE, Staging, staging_table

DAILY_LAG = timedelta(minutes=30)  # the daily run: 00:30 UTC, over yesterday
DAILY_CRON = "cron(30 0 * * ? *)"


def daily_schedule(slot: timedelta) -> Schedule:
    """The daily run's schedule over yesterday's ``slot``-long staging slots, late rows included."""
    return Schedule(timedelta(days=1), DAILY_LAG, "staged", STAGING_TABLE, slot=slot)


DAILY_TIMEOUT = timedelta(hours=6)


def staging_resources(
    staging: Staging, raw_table: str
) -> tuple[dict[str, Any], tuple[list[dict[str, Any]], str]]:
    """The Glue table resource, and the Stage Map's items with the INSERT's JSONata expression."""
    resources = {"StagingTable": staging_table(staging, sub("s3://${ResultsBucket}/staging/"))}
    items = [
        {"id": f"stage-{i}", "accounts": list(c)} for i, c in enumerate(staging.account_chunks(), start=1)
    ]
    return resources, (items, staging.copy_expression(raw_table))


def lifecycle_rules(retention_days: int) -> list[dict[str, Any]]:
    """Results expire after 30 days; staged parquet after ``retention_days``; the history summary and
    configuration calls (small) after 400 days."""
    return [
        {"Id": "expire-results", "Status": "Enabled", "Prefix": "athena/", "ExpirationInDays": 30},
        {
            "Id": "expire-staging",
            "Status": "Enabled",
            "Prefix": "staging/",
            "ExpirationInDays": retention_days,
        },
        {"Id": "expire-history", "Status": "Enabled", "Prefix": "history/", "ExpirationInDays": 400},
    ]


def history_sql(slot: timedelta) -> list[str]:
    """The daily run's INSERTs of yesterday's per-principal summary and configuration calls, read
    from the staging table (every row staged into yesterday's slots, late or not)."""
    window = replace(daily_schedule(slot).window(), arrival="any")
    return [scheduled_sql(STAGING_TABLE, window), scheduled_config_sql(STAGING_TABLE, window)]


def daily_resources() -> dict[str, Any]:
    """The history and configuration tables and the daily schedule (input ``{"daily": true}``)."""
    return {
        "HistoryTable": history_table(sub("s3://${ResultsBucket}/history/")),
        "ConfigTable": config_table(sub("s3://${ResultsBucket}/history/config/")),
        "DailySchedule": run_schedule(
            "trailhunt: daily history summary and look-back detections over yesterday",
            DAILY_CRON,
            '{"scheduled": "<aws.scheduler.scheduled-time>", "daily": true}',
        ),
    }
