"""Scheduled windows hang off the scheduled time and consecutive runs tile event time: proven on the
arithmetic and by executing the rendered, parameter-bound SQL offline on DuckDB."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailhunt.deploy.schedule import Schedule, bind, placeholder_offsets
from trailhunt.engines import duckdb as duckdb_engine
from trailhunt.render.window import format_time, window_predicate

T0 = datetime(2024, 3, 12, 22, 0, tzinfo=UTC)  # runs cross midnight and a month boundary below
DIVISORS = [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440]


@given(
    every=st.sampled_from(DIVISORS),
    lag=st.integers(min_value=0, max_value=180),
    runs=st.integers(min_value=2, max_value=30),
)
def test_consecutive_runs_tile_time(every, lag, runs) -> None:
    schedule = Schedule(timedelta(minutes=every), timedelta(minutes=lag), "flat")
    windows = [schedule.window_at(T0 + k * schedule.every) for k in range(runs)]
    for k, window in enumerate(windows):
        scheduled = T0 + k * schedule.every
        assert (window.start, window.end) == (
            scheduled - schedule.every - schedule.lag,
            scheduled - schedule.lag,
        )
    assert all(a.end == b.start for a, b in itertools.pairwise(windows))


def test_the_window_does_not_move_when_the_query_starts_late() -> None:
    """The SQL has no clock in it: binding the same scheduled time gives the same text, whenever it runs."""
    schedule = Schedule(timedelta(hours=1), timedelta(minutes=15), "projection", accounts=("111122223333",))
    sql = f"SELECT eventid FROM cloudtrail WHERE {window_predicate(schedule.window())}"
    assert "current_timestamp" not in sql and "now()" not in sql
    assert len(placeholder_offsets(sql)) == sql.count("from_iso8601_timestamp(?)")
    bound = bind(sql, T0)
    assert "?" not in bound and f"'{format_time(T0)}'" in bound


def _events(con, start: datetime, minutes: int) -> list[str]:
    times = [format_time(start + timedelta(minutes=m, seconds=s)) for m in range(minutes) for s in (0, 59)]
    con.execute("CREATE TABLE cloudtrail (eventid VARCHAR, eventtime VARCHAR)")
    con.executemany("INSERT INTO cloudtrail VALUES (?, ?)", [(t, t) for t in times])
    return times


@pytest.mark.parametrize(("every", "lag"), [(60, 15), (15, 10), (30, 0)])
def test_bound_sql_selects_every_event_exactly_once_across_runs(every, lag) -> None:
    schedule = Schedule(timedelta(minutes=every), timedelta(minutes=lag), "flat")
    runs = [T0 + k * schedule.every for k in range(1, 9)]
    first, last = schedule.window_at(runs[0]).start, schedule.window_at(runs[-1]).end
    con = duckdb_engine.connect()
    times = _events(con, first - timedelta(minutes=30), int((last - first).total_seconds() // 60) + 60)
    sql = f"SELECT eventid FROM cloudtrail WHERE {window_predicate(schedule.window())}"
    seen: list[str] = []
    for scheduled in runs:
        seen += [row["eventid"] for row in duckdb_engine.query(con, bind(sql, scheduled))]
    covered = [t for t in times if format_time(first) <= t < format_time(last)]
    assert sorted(seen) == covered  # nothing twice, nothing missing, nothing outside the runs' span


def test_staged_window_reads_the_batches_from_its_start_to_its_run() -> None:
    schedule = Schedule(timedelta(hours=1), timedelta(minutes=15), "staged")
    predicate = bind(window_predicate(schedule.window()), datetime(2024, 3, 13, 0, 0, tzinfo=UTC))
    batches = predicate.split(" AND eventtime")[0] + ")"
    con = duckdb_engine.connect()
    for batch, hit in [("20240312T2300", True), ("20240313T0000", True), ("20240312T2200", False),
                       ("20240313T0100", False)]:  # fmt: skip
        [row] = duckdb_engine.query(con, f"SELECT {batches} AS hit FROM (SELECT '{batch}' AS batch)")
        assert row["hit"] is hit, batch


@pytest.mark.parametrize(
    ("every", "expression"),
    [
        (timedelta(hours=1), "cron(0 * * * ? *)"),
        (timedelta(minutes=15), "cron(0/15 * * * ? *)"),
        (timedelta(hours=6), "cron(0 0/6 * * ? *)"),
        (timedelta(days=1), "cron(0 0 * * ? *)"),
    ],
)
def test_schedule_expression_is_aligned_to_the_interval(every, expression) -> None:
    assert Schedule(every).expression == expression


@pytest.mark.parametrize(
    "every", [timedelta(minutes=7), timedelta(hours=5), timedelta(days=2), timedelta(minutes=2)]
)
def test_intervals_the_schedule_cannot_align_are_refused(every) -> None:
    with pytest.raises(ValueError, match="--every"):
        Schedule(every)
