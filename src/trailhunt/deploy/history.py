"""Baselines without re-scanning: the daily per-principal history summary and configuration tables.

Once a day, ``daily_sql`` summarises one day of events (from the staging table, or any CloudTrail
table) into ``trailhunt_principal_history``: per principal, account, and each *dimension*
(``render.history.DIMENSIONS``) the value seen, its first and last time and the event count,
partitioned by ``day`` and ``dimension`` (10 partitions per INSERT); ``config_daily_sql`` keeps that day's configuration calls whole in
``trailhunt_config_events``. A look-back of 30–90 days then reads 30–90 small daily partitions
instead of 30–90 days of logs (the ``principal_history`` and ``config_history`` macros).
``raw_baseline_sql`` is the same answer computed straight from the events; the tests prove both give
the same rows on DuckDB and on Trino, and that every look-back detection returns the same rows either way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from trailhunt.deploy.cfn_iam import parquet_table
from trailhunt.deploy.staging import glue_type
from trailhunt.render.history import (
    COLUMNS,
    CONFIG_COLUMNS,
    CONFIG_TABLE,
    HISTORY_TABLE,
    aggregate_sql,
    config_insert_sql,
    summary_sql,
)
from trailhunt.render.window import Layout, Window, time_text

__all__ = ["CONFIG_TABLE", "HISTORY_TABLE"]
HISTORY_DDL_COLUMNS = (
    ("principal", "string"),
    ("account", "string"),
    ("value", "string"),
    ("first_seen", "string"),
    ("last_seen", "string"),
    ("events", "bigint"),
)
HISTORY_PARTITIONS = ("day", "dimension")  # a detection reads only its dimensions' partitions


def history_table_sql(bigint: str = "BIGINT", varchar: str = "VARCHAR") -> str:
    """``CREATE TABLE`` of the summary for a local engine: the Glue table's columns, partitions last."""
    columns = [f"{n} {bigint if t == 'bigint' else varchar}" for n, t in HISTORY_DDL_COLUMNS]
    return f"CREATE TABLE {HISTORY_TABLE} ({', '.join(columns + [f'{p} {varchar}' for p in HISTORY_PARTITIONS])})"


def daily_sql(table: str, day: date, layout: Layout = "flat") -> str:
    """The INSERT adding ``day``'s summary partition (events of that UTC day, from ``table``)."""
    window = Window(_start(day), _start(day + timedelta(days=1)), layout)
    return insert_sql(table, window, f"'{day:%Y-%m-%d}'")


def config_daily_sql(table: str, day: date, layout: Layout = "flat") -> str:
    """The INSERT adding ``day``'s configuration calls (from ``table``)."""
    window = Window(_start(day), _start(day + timedelta(days=1)), layout)
    return config_insert_sql(table, window, f"'{day:%Y-%m-%d}'")


def scheduled_day(window: Window) -> str:
    """The ``day`` partition of a relative daily window: its start's date, from the scheduled time."""
    return time_text(window, window.start, "date")


def scheduled_sql(table: str, window: Window) -> str:
    """The daily run's INSERT: ``window`` is relative (a day ending at the scheduled time less a lag)."""
    return insert_sql(table, window, scheduled_day(window))


def scheduled_config_sql(table: str, window: Window) -> str:
    """The daily run's INSERT of the day's configuration calls."""
    return config_insert_sql(table, window, scheduled_day(window))


def insert_sql(table: str, window: Window, day: str) -> str:
    """INSERT the summary of ``window``'s events as partition ``day`` (an SQL expression)."""
    data = ", ".join(name for name, _ in HISTORY_DDL_COLUMNS)
    return (
        f"INSERT INTO {HISTORY_TABLE}\nSELECT {data}, {day} AS day, dimension\n"
        f"FROM (\n{summary_sql(table, window)}\n) AS summary\n"
    )


def baseline_sql(first: date, last: date) -> str:
    """The history over the days ``first``..``last`` (inclusive), from the summary partitions."""
    return aggregate_sql(HISTORY_TABLE, f"day BETWEEN '{first:%Y-%m-%d}' AND '{last:%Y-%m-%d}'") + "\n"


def raw_baseline_sql(table: str, first: date, last: date) -> str:
    """The same history scanned straight from the events of ``first``..``last``."""
    window = Window(_start(first), _start(last + timedelta(days=1)))
    return f"SELECT {COLUMNS}\nFROM (\n{summary_sql(table, window)}\n) AS summary\n"


def _start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def history_table(location: object) -> dict[str, object]:
    """The ``AWS::Glue::Table`` of the summary (parquet, ZSTD, partitioned by ``day`` and ``dimension``)."""
    return parquet_table(HISTORY_TABLE, list(HISTORY_DDL_COLUMNS), list(HISTORY_PARTITIONS), location)


def config_table(location: object) -> dict[str, object]:
    """The ``AWS::Glue::Table`` of the configuration calls (parquet, ZSTD, partitioned by ``day``)."""
    return parquet_table(CONFIG_TABLE, [(c, glue_type(c)) for c in CONFIG_COLUMNS], ["day"], location)
