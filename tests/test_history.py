"""The daily principal-history summary gives the same baseline as scanning the events themselves,
executed offline on DuckDB over every fixture of the catalogue (the Trino lane repeats it on Trino)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import PROJECT, run_athena_sql
from trailhunt.deploy.history import (
    baseline_sql,
    daily_sql,
    history_table_sql,
    raw_baseline_sql,
)
from trailhunt.engines import duckdb as duckdb_engine
from trailhunt.ingest.load import load_files

FIXTURES = sorted((PROJECT.fixtures / "cloudtrail").rglob("*.json"))


def key(row: dict) -> tuple:
    return tuple(
        str(row[c])
        for c in ("principal", "account", "dimension", "value", "first_seen", "last_seen", "events")
    )


def history_matches_raw(execute, table: str) -> tuple[int, int]:
    """Summarise day by day, then compare the baseline with the raw scan; (days, rows) compared."""
    [span] = execute(f"SELECT min(eventtime) AS first, max(eventtime) AS last FROM {table}")
    first, last = date.fromisoformat(span["first"][:10]), date.fromisoformat(span["last"][:10])
    days = (last - first).days + 1
    for offset in range(days):
        execute(daily_sql(table, first + timedelta(days=offset)))
    summary = sorted(key(r) for r in execute(baseline_sql(first, last)))
    raw = sorted(key(r) for r in execute(raw_baseline_sql(table, first, last)))
    assert summary == raw and raw
    # a window inside the span: the partitions of those days only
    middle = first + timedelta(days=days // 2)
    assert sorted(key(r) for r in execute(baseline_sql(first, middle))) == sorted(
        key(r) for r in execute(raw_baseline_sql(table, first, middle))
    )
    return days, len(raw)


def test_summary_baseline_equals_the_raw_scan_on_duckdb() -> None:
    con = duckdb_engine.connect()
    report = load_files(con, FIXTURES)
    assert not report.rejected
    con.execute(history_table_sql())
    days, rows = history_matches_raw(lambda sql: run_athena_sql(con, sql), "cloudtrail")
    assert days > 30 and rows > 100  # the fixtures span months: a real multi-partition baseline


def test_first_seen_comes_from_the_earliest_day() -> None:
    con = duckdb_engine.connect()
    load_files(con, [PROJECT.fixtures / "cloudtrail/iam/console_login_history.json"])
    con.execute(history_table_sql())
    [span] = duckdb_engine.query(con, "SELECT min(eventtime) AS f, max(eventtime) AS l FROM cloudtrail")
    first, last = date.fromisoformat(span["f"][:10]), date.fromisoformat(span["l"][:10])
    for offset in range((last - first).days + 1):
        run_athena_sql(con, daily_sql("cloudtrail", first + timedelta(days=offset)))
    [ip] = [r for r in duckdb_engine.query(con, baseline_sql(first, last)) if r["dimension"] == "source_ip"
            and r["principal"].endswith("user/alice") and r["value"] == "185.220.101.47"]  # fmt: skip
    assert ip["events"] == 1 and ip["first_seen"] == ip["last_seen"] == "2024-03-13T14:02:05Z"
