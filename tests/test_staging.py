"""The staging copy: ≤ 100 file ranges per INSERT, each delivered file copied exactly once by consecutive
runs into its event-time slot or, when it came after its slot's run, the late partition (executed offline
on DuckDB over a stand-in raw table with Athena's ``$path``); the scheduled runs and the daily sweep
together read every event exactly once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import CATALOG, PROJECT, run_athena_sql
from trailhunt.deploy.ddl import TableSpec
from trailhunt.deploy.export import daily_options
from trailhunt.deploy.regions import COMMERCIAL_REGIONS
from trailhunt.deploy.schedule import Schedule, bind
from trailhunt.deploy.staging import MAX_PARTITIONS_PER_INSERT, SETTLE, Staging, catalogue_columns
from trailhunt.engines import duckdb as duckdb_engine
from trailhunt.ingest.load import load_files
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer
from trailhunt.render.window import format_time, window_predicate
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


def _raw(con, spec: TableSpec, stamps: list[datetime], delays: list[timedelta]) -> dict[str, tuple]:
    """Raw rows: one file per account, region and delivery stamp; event time = stamp − its delay."""
    con.execute(
        "CREATE TABLE cloudtrail (eventid VARCHAR, eventtime VARCHAR, account VARCHAR, region VARCHAR, "
        '"timestamp" VARCHAR, "$path" VARCHAR)'
    )
    con.execute(
        "CREATE TABLE trailhunt_staging (eventid VARCHAR, eventtime VARCHAR, slot VARCHAR, late VARCHAR)"
    )
    events = {}
    for account in spec.accounts:
        for region in spec.regions:
            for stamp, delay in zip(stamps, delays, strict=True):
                name = f"{account}_CloudTrail_{region}_{stamp:%Y%m%dT%H%M}Z_x1.json.gz"
                path = f"{spec.root}{account}/CloudTrail/{region}/{stamp:%Y/%m/%d}/{name}"
                event = f"{account}-{region}-{stamp:%H%M}"
                events[event] = (stamp, stamp - delay)
                con.execute(
                    "INSERT INTO cloudtrail VALUES (?, ?, ?, ?, ?, ?)",
                    [event, format_time(stamp - delay), account, region, f"{stamp:%Y/%m/%d}", path],
                )
    return events


LAG = timedelta(minutes=15)


def test_consecutive_runs_copy_each_delivered_file_once_into_its_slot_or_the_late_partition() -> None:
    spec = TableSpec("org-logs", ACCOUNTS[:3], org_id="o-abcdef1234", regions=("us-east-1", "eu-west-1"))
    staging = Staging(spec, ("eventid", "eventtime"), EVERY, LAG)
    t0 = datetime(2024, 3, 12, 21, 15, tzinfo=UTC)  # runs fire 15 minutes past the hour, cross midnight
    stamps = [t0 + timedelta(minutes=m) for m in range(0, 300, 7)]
    delays = [timedelta(minutes=(4, 13, 40, 190)[i % 4]) for i in range(len(stamps))]  # some come late
    con = duckdb_engine.connect()
    events = _raw(con, spec, stamps, delays)
    runs = [t0 + k * EVERY for k in range(1, 6)]
    for scheduled in runs:
        for chunk in staging.account_chunks():
            run_athena_sql(con, staging.copy_sql(chunk, "cloudtrail", scheduled))
    rows = duckdb_engine.query(con, "SELECT eventid, slot, late FROM trailhunt_staging")
    low, high = runs[0] - EVERY - SETTLE, runs[-1] - SETTLE
    assert sorted(r["eventid"] for r in rows) == sorted(
        e for e, (stamp, _) in events.items() if low <= stamp < high
    )  # once each, none outside the runs' delivery span
    kinds = set()
    for row in rows:
        stamp, at = events[row["eventid"]]
        run = next(r for r in runs if r - EVERY - SETTLE <= stamp < r - SETTLE)  # the run that copied it
        window_start = run - EVERY - LAG
        own_slot = at.replace(minute=0, second=0)
        late = at < window_start  # its own slot's run had already gone
        kinds.add(late)
        assert row["late"] == ("true" if late else "false")
        assert row["slot"] == f"{window_start if late else own_slot:%Y%m%dT%H%M}"
    assert kinds == {True, False}


def test_scheduled_runs_and_the_daily_sweep_read_every_event_exactly_once() -> None:
    spec = TableSpec("org-logs", ACCOUNTS[:2], org_id="o-abcdef1234", regions=("us-east-1",))
    staging = Staging(spec, ("eventid", "eventtime"), EVERY, LAG)
    day = datetime(2024, 3, 13, tzinfo=UTC)
    t0 = day + LAG  # the first run of the day, over [23:00, 00:00) of the day before
    stamps = [day - timedelta(hours=3) + timedelta(minutes=m) for m in range(0, 27 * 60, 11)]
    delays = [timedelta(minutes=(3, 12, 50, 300)[i % 4]) for i in range(len(stamps))]
    con = duckdb_engine.connect()
    events = _raw(con, spec, stamps, delays)
    runs = [t0 + k * EVERY for k in range(-2, 25)]  # yesterday's last runs through today's
    for scheduled in runs:
        for chunk in staging.account_chunks():
            run_athena_sql(con, staging.copy_sql(chunk, "cloudtrail", scheduled))
    hourly = Schedule(EVERY, LAG, "staged", "trailhunt_staging")
    sql = f"SELECT eventid FROM trailhunt_staging WHERE {window_predicate(hourly.window())}"
    today = runs[3:]  # the runs over [00:00, 24:00)
    seen = [r["eventid"] for run in today for r in duckdb_engine.query(con, bind(sql, run))]
    sweep_window = daily_options(AccountContext(), EVERY, late=True).window
    sweep = f"SELECT eventid FROM trailhunt_staging WHERE {window_predicate(sweep_window)}"
    swept = [r["eventid"] for r in duckdb_engine.query(con, bind(sweep, day + timedelta(days=1, minutes=30)))]
    copied_by = {e: next((r for r in runs if stamp < r - SETTLE), None) for e, (stamp, _) in events.items()}
    late = {e for e, (_, at) in events.items() if copied_by[e] and at < copied_by[e] - EVERY - LAG}
    on_time_today = {
        e for e, (_, at) in events.items() if copied_by[e] and day <= at < day + timedelta(days=1)
    } - late
    assert sorted(seen) == sorted(on_time_today)  # each once, by the run whose window holds it
    assert sorted(swept) == sorted(e for e in late if copied_by[e] in today)  # late ones staged today
    assert {e for e in late if events[e][1] < day} & set(swept)  # including yesterday's stragglers


def _string_literals(expression: str) -> list[tuple[str, str]]:
    """The (quote, raw text) of every string literal of a JSONata expression."""
    literals, quote, start, index = [], "", 0, 0
    while index < len(expression):
        char = expression[index]
        if quote and char == "\\":
            index += 2
            continue
        if char in "'\"" and (not quote or char == quote):
            if quote:
                literals.append((quote, expression[start:index]))
                quote = ""
            else:
                quote, start = char, index + 1
        index += 1
    assert not quote, "unterminated string"
    return literals


def test_the_copy_expression_writes_the_same_partitions_with_valid_string_escapes() -> None:
    """The JSONata spelling of the copy: its literals use only JSON's escapes and, joined with the
    scheduled-time values, they carry the same slot and late expressions as ``copy_sql``."""
    import json

    spec = TableSpec("org-logs", ACCOUNTS[:2], org_id="o-abcdef1234")
    staging = Staging(spec, ("eventid", "eventtime"), EVERY, LAG)
    expression = staging.copy_expression("cloudtrail")
    literals = _string_literals(expression[2:-2])

    def decode(quote: str, text: str) -> str:  # JSON's escapes only, and no escaped single quote
        assert "\\'" not in text, text
        return json.loads('"' + (text if quote == '"' else text.replace('"', '\\"')) + '"')

    decoded = "".join(decode(q, t) for q, t in literals)
    sql = staging.copy_sql(ACCOUNTS[:2], "cloudtrail", datetime(2024, 3, 13, 1, 15, tzinfo=UTC))
    partitions = sql.split("\n  ", 1)[1].split("\nFROM")[0]
    for piece in partitions.replace("20240313T0000", "\n").replace("2024-03-13T00:00:00Z", "\n").split("\n"):
        assert piece.strip() in decoded, piece
