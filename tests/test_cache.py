"""The parquet cache: reused for identical input, incremental per file, private, verified, bounded."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CATALOG
from tests.test_ingest import RECORD
from trailhunt.engines.duckdb import connect
from trailhunt.hunt import HuntResult, hunt
from trailhunt.ingest.cache import cache_root, load_cached
from trailhunt.render.context import load_context
from trailhunt.render.renderer import Renderer

STOP_LOGGING = {
    **RECORD,
    "eventSource": "cloudtrail.amazonaws.com",
    "eventName": "StopLogging",
    "eventID": "stop-1",
    "readOnly": False,
}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch) -> Path:
    """Each test gets its own cache folder."""
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _log(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(json.dumps({"Records": records}).encode()))
    return path


def _folder(tmp_path: Path, events: int) -> Path:
    folder = tmp_path / "logs"
    _log(folder / "a.json.gz", [{**RECORD, "eventID": f"e{i}"} for i in range(events)])
    (folder / "broken.json").write_text("{")
    return folder


def test_second_load_comes_from_cache_with_the_same_report(tmp_path) -> None:
    folder = _folder(tmp_path, 3)
    first = load_cached(connect(), [folder])
    con = connect()
    second = load_cached(con, [folder])
    assert (first.from_cache, second.from_cache) == (False, True)
    assert (second.files_read, second.events, second.events_in) == (1, 3, first.events_in)
    assert [p.name for p, _ in second.rejected] == ["broken.json"]
    assert con.execute(
        "SELECT count(*), min(useridentity.sessioncontext.sessionissuer.arn) FROM cloudtrail"
    ).fetchone() == (3, "arn:aws:iam::111122223333:role/r")


def test_changed_content_is_read_again(tmp_path) -> None:
    folder = _folder(tmp_path, 3)
    load_cached(connect(), [folder])
    _folder(tmp_path, 4)
    report = load_cached(connect(), [folder])
    assert (report.from_cache, report.files_from_cache, report.events) == (False, 1, 4)  # broken.json cached


def test_a_new_file_is_the_only_one_parsed_and_duplicates_across_segments_drop(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "logs"
    for hour in range(3):
        _log(folder / f"h{hour}.json.gz", [{**RECORD, "eventID": f"h{hour}-{i}"} for i in range(5)])
    load_cached(connect(), [folder])
    _log(folder / "h3.json.gz", [{**RECORD, "eventID": "h3-0"}, {**RECORD, "eventID": "h0-0"}])
    parsed: list[str] = []
    import trailhunt.ingest.cache as cache_module

    real = cache_module.load_sources
    monkeypatch.setattr(
        cache_module,
        "load_sources",
        lambda con, s, *a: parsed.extend(x.path.name for x in s) or real(con, s, *a),
    )
    con = connect()
    report = load_cached(con, [folder])
    assert parsed == ["h3.json.gz"]
    assert (report.files_from_cache, report.events_in, report.events, report.duplicates) == (3, 17, 16, 1)
    assert con.execute("SELECT count(*), count(DISTINCT eventid) FROM cloudtrail").fetchone() == (16, 16)


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path, private_cache) -> None:
    folder = _folder(tmp_path, 2)
    assert load_cached(connect(), [folder], use_cache=False).from_cache is False
    assert not private_cache.exists()
    load_cached(connect(), [folder])
    assert load_cached(connect(), [folder], use_cache=False).files_from_cache == 0


def test_cache_is_private(tmp_path) -> None:
    load_cached(connect(), [_folder(tmp_path, 2)])
    root = cache_root()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    files = list(root.iterdir())
    assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert not [f for f in files if f.name.startswith(".part-")]


def test_a_tampered_segment_is_discarded_and_the_finding_survives(tmp_path) -> None:
    folder = tmp_path / "logs"
    _log(folder / "a.json.gz", [RECORD, STOP_LOGGING])
    load_cached(connect(), [folder])
    [parquet] = cache_root().glob("*.parquet")
    forged = connect()  # rewrite the segment without the StopLogging row, as an attacker would
    forged_file = tmp_path / "forged.parquet"
    forged.execute(
        f"COPY (SELECT * FROM read_parquet(?) WHERE eventname <> 'StopLogging') TO '{forged_file}' (FORMAT parquet)",
        [str(parquet)],
    )
    forged_file.replace(parquet)
    result = _hunt_stop_logging(folder)
    assert result.load.from_cache is False
    assert any("discarded" in w for w in result.load.warnings)
    assert [f.event_name for f in result.findings] == ["StopLogging"]


def test_a_corrupt_manifest_is_discarded(tmp_path) -> None:
    folder = _folder(tmp_path, 2)
    load_cached(connect(), [folder])
    [manifest] = cache_root().glob("*.json")
    manifest.write_text("{not json")
    report = load_cached(connect(), [folder])
    assert (report.from_cache, report.events) == (False, 2)
    assert report.warnings


def test_least_recently_used_segments_are_evicted_beyond_the_cap(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TRAILHUNT_CACHE_MAX_MB", "0")
    for name in ("one", "two"):
        _log(tmp_path / name / "a.json.gz", [{**RECORD, "eventID": name}])
        load_cached(connect(), [tmp_path / name])
    assert len(list(cache_root().glob("*.json"))) == 1  # only the segment in use survives
    assert load_cached(connect(), [tmp_path / "two"]).from_cache is True


CONCURRENT = """
import sys
from pathlib import Path
from trailhunt.ingest.cache import load_cached
from trailhunt.engines.duckdb import connect
for _ in range(3):
    report = load_cached(connect(), [Path(sys.argv[1])])
    assert report.events == 200, report.summary()
"""


def test_two_concurrent_loads_do_not_break_each_other(tmp_path, private_cache) -> None:
    folder = tmp_path / "logs"
    for n in range(4):
        _log(folder / f"f{n}.json.gz", [{**RECORD, "eventID": f"{n}-{i}"} for i in range(50)])
    env = {**os.environ, "TRAILHUNT_CACHE": str(private_cache), "PYTHONPATH": os.pathsep.join(sys.path)}
    runs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(folder)], env=env) for _ in range(2)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]


def _hunt_stop_logging(folder: Path, use_cache: bool = True) -> HuntResult:
    """A library hunt with the real StopLogging detection."""
    detections = [CATALOG.get("cloudtrail_logging_stopped")]
    return hunt([folder], Renderer(CATALOG.project), detections, load_context(None), use_cache=use_cache)


def test_no_cache_hunt_touches_no_cache_at_all(tmp_path, private_cache) -> None:
    folder = tmp_path / "logs"
    _log(folder / "a.json.gz", [RECORD, STOP_LOGGING])
    result = _hunt_stop_logging(folder, use_cache=False)
    assert [f.event_name for f in result.findings] == ["StopLogging"]
    assert sorted(p.name for p in private_cache.iterdir()) == ["spill"]  # DuckDB's spill folder only
    _hunt_stop_logging(folder)
    assert {"parquet", "duckdb-sql"} <= {p.name for p in private_cache.iterdir()}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in private_cache.iterdir())


def test_a_segment_evicted_by_a_concurrent_hunt_is_parsed_again(tmp_path, monkeypatch) -> None:
    import trailhunt.ingest.cache

    folder = _folder(tmp_path, 3)
    load_cached(connect(), [folder])
    real_intact = trailhunt.ingest.cache._intact

    def verified_then_evicted(segment, report):  # the other hunt deletes it right after our check
        ok = real_intact(segment, report)
        segment.parquet.unlink(missing_ok=True)
        return ok

    monkeypatch.setattr(trailhunt.ingest.cache, "_intact", verified_then_evicted)
    con = connect()
    report = load_cached(con, [folder])
    assert (report.from_cache, report.events, report.files_read) == (False, 3, 1)
    assert any("parsed again" in w for w in report.warnings)
    assert con.execute("SELECT count(*) FROM cloudtrail").fetchone() == (3,)


def _kept(folder: Path) -> dict[str, str]:
    """eventID -> eventName of the events a hunt's load keeps (the engine's own load settings)."""
    from trailhunt.engines.duckdb import DuckDBEngine

    engine, _ = DuckDBEngine.load([folder])
    try:
        return dict(engine.con.execute("SELECT eventid, eventname FROM cloudtrail").fetchall())
    finally:
        engine.close()


def test_of_events_sharing_an_eventid_one_file_keeps_the_first_and_cold_equals_cached(tmp_path) -> None:
    folder = tmp_path / "logs"
    records = [{**RECORD, "eventID": f"e{i}", "eventName": f"Call{i}"} for i in range(5000)]
    records[10] = {**RECORD, "eventID": "twice", "eventName": "First"}
    records[4990] = {**RECORD, "eventID": "twice", "eventName": "Second"}
    _log(folder / "a.json.gz", records)
    lines = [{**RECORD, "eventID": "line-twice", "eventName": name} for name in ("Alpha", "Beta")]
    (folder / "b.json").write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    cold, cached = _kept(folder), _kept(folder)
    assert cold["twice"] == "First"
    assert cold["line-twice"] in ("Alpha", "Beta") and len(cold) == 5000
    assert cached == cold
