"""Baselines without re-scanning: a daily per-principal history summary table.

Once a day, ``daily_sql`` summarises one day of events (from the staging table, or any CloudTrail
table) into ``trailhunt_principal_history``: per principal (the role behind a session, else the
caller), account, and each *dimension* (``api`` = service:action, ``service``, ``source_ip``,
``user_agent``) the value seen, its first and last time and the event count, partitioned by ``day``.
A look-back of 30–90 days then reads 30–90 small daily partitions (``baseline_sql``) instead of
30–90 days of logs. ``raw_baseline_sql`` is the same answer computed straight from the events; the
tests prove both give the same rows on DuckDB and on Trino.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from trailhunt.deploy.cfn_iam import parquet_table
from trailhunt.render.window import SCHEDULE_ANCHOR, Layout, Window, window_predicate

HISTORY_TABLE = "trailhunt_principal_history"
PRINCIPAL = (
    "coalesce(useridentity.sessioncontext.sessionissuer.arn, useridentity.arn, useridentity.principalid)"
)
DIMENSIONS = {
    "api": "concat(eventsource, ':', eventname)",
    "service": "eventsource",
    "source_ip": "sourceipaddress",
    "user_agent": "useragent",
}
COLUMNS = "principal, account, dimension, value, first_seen, last_seen, events"
HISTORY_DDL_COLUMNS = (
    ("principal", "string"),
    ("account", "string"),
    ("dimension", "string"),
    ("value", "string"),
    ("first_seen", "string"),
    ("last_seen", "string"),
    ("events", "bigint"),
)


def _summary(table: str, window: Window) -> str:
    """Per principal × account × dimension value: first and last event time and the count."""
    selects = [
        f"SELECT principal, account, '{name}' AS dimension, {expression} AS value,\n"
        "  min(eventtime) AS first_seen, max(eventtime) AS last_seen, count(*) AS events\n"
        f"FROM events WHERE {expression} IS NOT NULL\nGROUP BY principal, account, {expression}"
        for name, expression in DIMENSIONS.items()
    ]
    return (
        "WITH events AS (\n"
        f"  SELECT {PRINCIPAL} AS principal, coalesce(recipientaccountid, useridentity.accountid) AS account,\n"
        "    eventtime, eventsource, eventname, sourceipaddress, useragent\n"
        f"  FROM {table}\n  WHERE {window_predicate(window)}\n"
        f"    AND {PRINCIPAL} IS NOT NULL\n)\n" + "\nUNION ALL\n".join(selects)
    )


def daily_sql(table: str, day: date, layout: Layout = "flat") -> str:
    """The INSERT adding ``day``'s summary partition (events of that UTC day, from ``table``)."""
    window = Window(_start(day), _start(day + timedelta(days=1)), layout)
    return insert_sql(table, window, f"'{day:%Y-%m-%d}'")


def scheduled_sql(table: str, window: Window) -> str:
    """The daily run's INSERT: ``window`` is relative (a day ending at the scheduled time less a lag)."""
    day = f"date_format(from_iso8601_timestamp(?) - INTERVAL '{int((SCHEDULE_ANCHOR - window.start).total_seconds())}' SECOND, '%Y-%m-%d')"
    return insert_sql(table, window, day)


def insert_sql(table: str, window: Window, day: str) -> str:
    """INSERT the summary of ``window``'s events as partition ``day`` (an SQL expression)."""
    return (
        f"INSERT INTO {HISTORY_TABLE}\nSELECT {COLUMNS}, {day} AS day\n"
        f"FROM (\n{_summary(table, window)}\n) AS summary\n"
    )


def baseline_sql(first: date, last: date) -> str:
    """The history over the days ``first``..``last`` (inclusive), from the summary partitions."""
    return (
        "SELECT principal, account, dimension, value, min(first_seen) AS first_seen,\n"
        "  max(last_seen) AS last_seen, sum(events) AS events\n"
        f"FROM {HISTORY_TABLE}\nWHERE day BETWEEN '{first:%Y-%m-%d}' AND '{last:%Y-%m-%d}'\n"
        "GROUP BY principal, account, dimension, value\n"
    )


def raw_baseline_sql(table: str, first: date, last: date) -> str:
    """The same history scanned straight from the events of ``first``..``last``."""
    window = Window(_start(first), _start(last + timedelta(days=1)))
    return f"SELECT {COLUMNS}\nFROM (\n{_summary(table, window)}\n) AS summary\n"


def _start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def history_table(location: object) -> dict[str, object]:
    """The ``AWS::Glue::Table`` of the summary (parquet, ZSTD, partitioned by ``day``)."""
    return parquet_table(HISTORY_TABLE, list(HISTORY_DDL_COLUMNS), ["day"], location)
