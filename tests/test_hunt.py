"""The one hunt loop on DuckDB: baseline first, one outcome per detection, the cost guard."""

from __future__ import annotations

from tests.conftest import CATALOG, PROJECT
from trailhunt.engines.base import Limits
from trailhunt.hunt import hunt
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer

LOGS = [PROJECT.fixtures / "cloudtrail/defense_evasion/stop_logging.json"]
RENDERER = Renderer(PROJECT)
DETECTIONS = CATALOG.detections[:6]


def test_one_outcome_per_statement_baseline_first() -> None:
    result = hunt(LOGS, RENDERER, DETECTIONS, AccountContext(), use_cache=False)
    assert [q.label for q in result.queries] == ["baseline", *(d.id for d in DETECTIONS)]
    assert all(q.ok and q.bytes_scanned > 0 for q in result.queries)
    assert result.bytes_scanned == sum(q.bytes_scanned for q in result.queries)
    assert result.detections_run == len(DETECTIONS) and result.engine == "duckdb"


def test_max_total_bytes_skips_what_is_left_on_duckdb() -> None:
    result = hunt(
        LOGS, RENDERER, DETECTIONS, AccountContext(), use_cache=False, limits=Limits(max_total_bytes=1)
    )
    assert result.baseline is not None  # nothing was spent before it
    assert [q.state for q in result.queries[1:]] == ["SKIPPED"] * len(DETECTIONS)
    assert result.detections_run == 0
    assert all("--max-total-bytes 1 reached" in reason for _, reason in result.errors)


def test_max_bytes_refuses_a_scan_over_the_limit_on_duckdb() -> None:
    result = hunt(LOGS, RENDERER, DETECTIONS, AccountContext(), use_cache=False, limits=Limits(max_bytes=1))
    assert {q.state for q in result.queries} == {"REFUSED"}
    assert result.baseline is None and result.findings == []
    assert all("over --max-bytes 1" in reason for _, reason in result.errors)


def test_first_line_of_an_empty_error_is_its_type() -> None:
    from trailhunt.problems import first_line

    assert first_line(ValueError("")) == "ValueError"
    assert first_line(RuntimeError("\n  \nsecond\nthird")) == "second"


def test_every_cursor_detections_run_on_counts_time_in_utc(monkeypatch) -> None:
    """hour() must match Athena's whatever the machine's zone; each cursor is a DuckDB session of its own."""
    import time as clock

    from trailhunt.engines.duckdb import DuckDBEngine

    hour = "SELECT hour(from_iso8601_timestamp('2024-03-11T00:30:00Z')) AS h"
    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    try:
        engine, _ = DuckDBEngine.load(
            [PROJECT.fixtures / "cloudtrail/defense_evasion/stop_logging.json"], use_cache=False
        )
        try:
            hours = [engine.run(hour, f"hour{n}").rows for n in range(engine.concurrency)]
        finally:
            engine.close()
    finally:
        monkeypatch.delenv("TZ")
        clock.tzset()
    assert engine.concurrency == 2 and hours == [[{"h": 0}]] * 2
