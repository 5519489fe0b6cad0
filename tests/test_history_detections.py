"""Every look-back detection returns the same rows whether its baseline comes from the daily tables
(scheduled: ``trailhunt_principal_history`` and ``trailhunt_config_events`` over the staging table)
or is computed in-process from the events (DuckDB, Trino, fixtures): executed on DuckDB for every test
case of those detections, with the window starting on each day of the case's fixture, so the days
before it are the baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import CATALOG, PROJECT, run_athena_sql
from trailhunt.deploy.cloudformation import lookback_days
from trailhunt.deploy.history import config_daily_sql, daily_sql, history_table_sql
from trailhunt.engines import duckdb as duckdb_engine
from trailhunt.ingest.load import load_files
from trailhunt.render.history import CONFIG_COLUMNS, CONFIG_TABLE, HISTORY_TABLE
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Window
from trailhunt.validate.fixtures import case_options

LOOKING_BACK = [d for d in CATALOG.detections if lookback_days(d)]
CASES = [
    pytest.param(d, i, id=f"{d.id}::{c.case_id(i)}") for d in LOOKING_BACK for i, c in enumerate(d.meta.tests)
]
END = datetime(2100, 1, 1, tzinfo=UTC)
SLOT = "concat(substr(eventtime, 1, 4), substr(eventtime, 6, 2), substr(eventtime, 9, 2), 'T', substr(eventtime, 12, 2), '00')"


def _tables(con) -> list[date]:
    """The staging, history and configuration tables the daily run would have built; the event days."""
    con.execute(
        f"CREATE TABLE trailhunt_staging AS SELECT *, {SLOT} AS slot, 'false' AS late FROM cloudtrail"
    )
    con.execute(history_table_sql())
    con.execute(
        f"CREATE TABLE {CONFIG_TABLE} AS SELECT {', '.join(CONFIG_COLUMNS)}, '' AS day FROM cloudtrail WHERE FALSE"
    )
    rows = duckdb_engine.query(
        con, "SELECT DISTINCT substr(eventtime, 1, 10) AS d FROM cloudtrail ORDER BY d"
    )
    days = [date.fromisoformat(r["d"]) for r in rows]
    for day in days:
        run_athena_sql(con, daily_sql("trailhunt_staging", day))
        run_athena_sql(con, config_daily_sql("trailhunt_staging", day))
    return days


def test_every_look_back_detection_is_here() -> None:
    assert len(LOOKING_BACK) == 10


@pytest.mark.parametrize(("detection", "index"), CASES)
def test_baseline_from_the_daily_tables_equals_the_in_process_one(detection, index) -> None:
    renderer = Renderer(PROJECT)
    case = detection.meta.tests[index]
    con = duckdb_engine.connect()
    load_files(con, [PROJECT.fixtures / case.fixture])
    days = _tables(con)
    options = case_options(renderer, case)
    for day in sorted({days[0], days[len(days) // 2], days[-1]} | set(days[1:2])):
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        local = replace(options, window=Window(start, END))
        staged = replace(
            options,
            window=Window(start, END, "staged", slack=timedelta(hours=1), arrival="any"),
            table="trailhunt_staging",
        )
        sql = renderer.render(detection, staged)
        assert HISTORY_TABLE in sql or CONFIG_TABLE in sql
        expected = duckdb_engine.query(con, renderer.render(detection, local))
        assert sorted(map(repr, duckdb_engine.query(con, sql))) == sorted(map(repr, expected)), day


def test_a_baseline_from_the_tables_silences_and_fires() -> None:
    """Not vacuous: with the window on the fixture's last day, Erin's sign-in from a new address fires only
    because the tables hold her earlier sign-ins from other addresses."""
    renderer = Renderer(PROJECT)
    detection = CATALOG.get("console_login_from_new_ip")
    con = duckdb_engine.connect()
    load_files(con, [PROJECT.fixtures / detection.meta.tests[0].fixture])
    days = _tables(con)
    start = datetime(days[-1].year, days[-1].month, days[-1].day, tzinfo=UTC)
    window = Window(start, END, "staged", slack=timedelta(hours=1), arrival="any")
    rows = duckdb_engine.query(
        con, renderer.render(detection, RenderOptions(window=window, table="trailhunt_staging"))
    )
    assert rows and all(r["prior_logins"] >= 1 for r in rows)
    con.execute(f"DELETE FROM {HISTORY_TABLE}")
    assert not duckdb_engine.query(
        con, renderer.render(detection, RenderOptions(window=window, table="trailhunt_staging"))
    )
