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


def test_staged_window_reads_exactly_one_slot_of_on_time_rows() -> None:
    """The run at 00:15 (1h every, 15m lag) covers [23:00, 00:00): partition slot 23:00, not late."""
    schedule = Schedule(timedelta(hours=1), timedelta(minutes=15), "staged")
    predicate = bind(window_predicate(schedule.window()), datetime(2024, 3, 13, 0, 15, tzinfo=UTC))
    partitions = predicate.split(" AND eventtime")[0] + ")"
    con = duckdb_engine.connect()
    for slot, late, hit in [("20240312T2300", "false", True), ("20240312T2300", "true", False),
                            ("20240312T2200", "false", False), ("20240313T0000", "false", False)]:  # fmt: skip
        [row] = duckdb_engine.query(
            con, f"SELECT {partitions} AS hit FROM (SELECT '{slot}' AS slot, '{late}' AS late)"
        )
        assert row["hit"] is hit, (slot, late)


@pytest.mark.parametrize(
    ("every", "lag", "expression"),
    [
        (timedelta(hours=1), timedelta(minutes=15), "cron(15 * * * ? *)"),
        (timedelta(minutes=15), timedelta(minutes=15), "cron(0/15 * * * ? *)"),
        (timedelta(minutes=10), timedelta(minutes=15), "cron(5/10 * * * ? *)"),
        (timedelta(hours=6), timedelta(minutes=90), "cron(30 1/6 * * ? *)"),
        (timedelta(days=1), timedelta(minutes=30), "cron(30 0 * * ? *)"),
    ],
)
def test_schedule_fires_lag_after_each_interval_so_a_window_is_one_slot(every, lag, expression) -> None:
    schedule = Schedule(every, lag)
    assert schedule.expression == expression
    minute, hour = expression[5:-1].split()[:2]
    first = datetime(2024, 3, 13, int(hour.split("/")[0]) if hour != "*" else 0, int(minute.split("/")[0]),
                     tzinfo=UTC)  # fmt: skip
    window = schedule.window_at(first)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert (window.start - epoch) % every == timedelta(0) and window.end - window.start == every


@pytest.mark.parametrize(
    "every", [timedelta(minutes=7), timedelta(hours=5), timedelta(days=2), timedelta(minutes=2)]
)
def test_intervals_the_schedule_cannot_align_are_refused(every) -> None:
    with pytest.raises(ValueError, match="--every"):
        Schedule(every)
