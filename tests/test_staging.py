"""The staging copy: ≤ 100 partitions per INSERT, each delivered file copied exactly once by consecutive
runs (executed offline on DuckDB over a stand-in raw table with Athena's ``$path``), late events found."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import CATALOG, PROJECT, run_athena_sql
from trailhunt.deploy.ddl import TableSpec
from trailhunt.deploy.regions import COMMERCIAL_REGIONS
from trailhunt.deploy.schedule import Schedule, bind
from trailhunt.deploy.staging import MAX_PARTITIONS_PER_INSERT, SETTLE, Staging, catalogue_columns, late_only
from trailhunt.engines import duckdb as duckdb_engine
from trailhunt.ingest.load import load_files
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import format_time
from trailhunt.schema import columns
from trailhunt.validate.fixtures import case_options

ACCOUNTS = tuple(f"{200000000000 + i:012d}" for i in range(50))
EVERY = timedelta(hours=1)


def test_copy_is_chunked_to_at_most_100_partitions_per_insert() -> None:
    staging = Staging(TableSpec("org-logs", ACCOUNTS, org_id="o-abcdef1234"), ("eventid",), EVERY)
    chunks = staging.account_chunks()
    assert [a for chunk in chunks for a in chunk] == list(ACCOUNTS)
    assert all(len(chunk) * len(COMMERCIAL_REGIONS) <= MAX_PARTITIONS_PER_INSERT for chunk in chunks)
    sql = staging.copy_sql(chunks[0], "cloudtrail", datetime(2024, 3, 13, tzinfo=UTC))
    assert f"account IN ('{chunks[0][0]}', '{chunks[0][1]}')" in sql and ACCOUNTS[2] not in sql
    assert sql.count('"$path" >=') == len(chunks[0]) * len(COMMERCIAL_REGIONS)


def _staged_columns() -> list[str]:
    schedule = Schedule(EVERY, timedelta(minutes=15), "staged", "trailhunt_staging")
    renderer = Renderer(PROJECT)
    return catalogue_columns(
        [renderer.render(d, schedule.options(AccountContext(), "athena")) for d in CATALOG.detections]
    )


KEPT = _staged_columns()
CASES = [
    pytest.param(d, i, id=f"{d.id}::{c.case_id(i)}")
    for d in CATALOG.detections
    for i, c in enumerate(d.meta.tests)
]


def test_staging_keeps_fewer_columns_than_the_table() -> None:
    assert {"eventtime", "eventid", "useridentity", "requestparameters"} <= set(KEPT) < set(columns())


@pytest.mark.parametrize(("detection", "index"), CASES)
def test_detections_give_the_same_rows_on_the_staged_columns(detection, index) -> None:
    """The copy keeps only the catalogue's columns: every case returns the same rows on that table."""
    renderer = Renderer(PROJECT)
    case = detection.meta.tests[index]
    con = duckdb_engine.connect()
    load_files(con, [PROJECT.fixtures / case.fixture])
    con.execute(f"CREATE TABLE trailhunt_staging AS SELECT {', '.join(KEPT)} FROM cloudtrail")
    options = case_options(renderer, case)
    raw = duckdb_engine.query(con, renderer.render(detection, options))
    staged = duckdb_engine.query(con, renderer.render(detection, replace(options, table="trailhunt_staging")))
    assert sorted(map(repr, staged)) == sorted(map(repr, raw))  # same rows; order is not part of the contract


def _raw(con, spec: TableSpec, stamps: list[datetime], delay: timedelta) -> list[str]:
    con.execute(
        "CREATE TABLE cloudtrail (eventid VARCHAR, eventtime VARCHAR, account VARCHAR, region VARCHAR, "
        '"timestamp" VARCHAR, "$path" VARCHAR)'
    )
    con.execute(
        "CREATE TABLE trailhunt_staging (eventid VARCHAR, eventtime VARCHAR, batch VARCHAR, account VARCHAR, "
        "region VARCHAR)"
    )
    ids = []
    for account in spec.accounts:
        for region in spec.regions:
            for stamp in stamps:
                name = f"{account}_CloudTrail_{region}_{stamp:%Y%m%dT%H%M}Z_x1.json.gz"
                path = f"{spec.root}{account}/CloudTrail/{region}/{stamp:%Y/%m/%d}/{name}"
                event = f"{account}-{region}-{stamp:%H%M}"
                ids.append(event)
                con.execute(
                    "INSERT INTO cloudtrail VALUES (?, ?, ?, ?, ?, ?)",
                    [event, format_time(stamp - delay), account, region, f"{stamp:%Y/%m/%d}", path],
                )
    return ids


def test_consecutive_runs_copy_each_delivered_file_exactly_once() -> None:
    spec = TableSpec("org-logs", ACCOUNTS[:3], org_id="o-abcdef1234", regions=("us-east-1", "eu-west-1"))
    staging = Staging(spec, ("eventid", "eventtime"), EVERY)
    t0 = datetime(2024, 3, 12, 21, 0, tzinfo=UTC)  # the runs cross midnight
    stamps = [t0 + timedelta(minutes=m) for m in range(0, 300, 7)]
    con = duckdb_engine.connect()
    ids = _raw(con, spec, stamps, timedelta(minutes=4))
    runs = [t0 + k * EVERY for k in range(1, 6)]
    for scheduled in runs:
        for chunk in staging.account_chunks():
            run_athena_sql(con, staging.copy_sql(chunk, "cloudtrail", scheduled))
    rows = duckdb_engine.query(con, "SELECT eventid, batch FROM trailhunt_staging")
    copied = [r["eventid"] for r in rows]
    low, high = runs[0] - EVERY - SETTLE, runs[-1] - SETTLE
    expected = [i for i, s in zip(ids, stamps * 6, strict=True) if low <= s < high]
    assert sorted(copied) == sorted(expected)  # once each, none outside the runs' delivery span
    for row in rows:  # the batch is the run that copied the file: the first run after its delivery
        stamp = next(s for i, s in zip(ids, stamps * 6, strict=True) if i == row["eventid"])
        run = next(r for r in runs if r - EVERY - SETTLE <= stamp < r - SETTLE)
        assert row["batch"] == f"{run:%Y%m%dT%H%M}"


def test_late_events_are_those_staged_after_their_windows_run() -> None:
    con = duckdb_engine.connect()
    con.execute("CREATE TABLE trailhunt_staging (eventid VARCHAR, eventtime VARCHAR, batch VARCHAR)")
    lag = timedelta(minutes=15)
    rows = [
        ("on-time", "2024-03-13T09:50:00Z", "20240313T1100"),  # window of run 11:00 is [09:45, 10:45)
        ("on-time-edge", "2024-03-13T10:44:59Z", "20240313T1100"),
        ("late", "2024-03-13T10:44:59Z", "20240313T1200"),
        ("late-hours", "2024-03-13T03:10:00Z", "20240313T1100"),
    ]
    con.executemany("INSERT INTO trailhunt_staging VALUES (?, ?, ?)", rows)
    staging = Staging(TableSpec("org-logs", ACCOUNTS[:1]), ("eventid",), EVERY)
    sql = bind(staging.late_event_ids(lag, timedelta(days=1)), datetime(2024, 3, 14, 3, 0, tzinfo=UTC))
    assert {r["eventid"] for r in duckdb_engine.query(con, sql)} == {"late", "late-hours"}


def test_the_sweep_keeps_only_findings_of_late_events() -> None:
    """Yesterday's sweep of a detection alerts only on the events its hourly runs could not see."""
    con = duckdb_engine.connect()
    load_files(
        con,
        [PROJECT.fixtures / f"cloudtrail/defense_evasion/{n}.json" for n in ("stop_logging", "delete_trail")],
    )
    due = "strftime(to_timestamp((floor((epoch(CAST(eventtime AS TIMESTAMPTZ)) + 900) / 3600) + 1) * 3600), '%Y%m%dT%H%M')"
    con.execute(f"CREATE TABLE trailhunt_staging AS SELECT {', '.join(KEPT)}, {due} AS batch FROM cloudtrail")
    detection = CATALOG.get("cloudtrail_logging_stopped")
    renderer = Renderer(PROJECT)
    sql = renderer.render(detection, RenderOptions(table="trailhunt_staging"))
    fired = [r["event_id"] for r in duckdb_engine.query(con, sql)]
    assert len(fired) >= 2
    con.execute(
        f"UPDATE trailhunt_staging SET batch = '29991231T2300' WHERE eventid = '{fired[0]}'"
    )  # staged late
    staging = Staging(TableSpec("org-logs", ACCOUNTS[:1]), tuple(KEPT), EVERY)
    late = staging.late_event_ids(timedelta(minutes=15), timedelta(days=400000))
    swept = duckdb_engine.query(con, bind(late_only(sql, late), datetime(3000, 1, 1, tzinfo=UTC)))
    assert [r["event_id"] for r in swept] == [fired[0]]
