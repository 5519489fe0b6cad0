"""The parquet cache: reused for identical input, incremental per file, private, verified, bounded."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.conftest import CATALOG
from tests.test_ingest import RECORD
from trailhunt.engines.duckdb import connect
from trailhunt.hunt import HuntResult, hunt
from trailhunt.ingest.cache import cache_root, load_cached, open_links
from trailhunt.ingest.links import SegmentLinks, sweep
from trailhunt.ingest.load import LoadReport
from trailhunt.ingest.sources import hash_file
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
def private_cache(tmp_path, monkeypatch) -> Iterator[Path]:
    """Each test gets its own cache folder; the link folders its loads opened are closed after it."""
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path / "cache"))
    yield tmp_path / "cache"
    while OPENED:
        OPENED.pop().close()


OPENED: list[SegmentLinks] = []


def _cached(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> LoadReport:
    """``load_cached`` through the cache, as a hunt does it (its links stay open until the test ends)."""
    OPENED.append(open_links())
    return load_cached(con, paths, OPENED[-1])


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
    first = _cached(connect(), [folder])
    con = connect()
    second = _cached(con, [folder])
    assert (first.from_cache, second.from_cache) == (False, True)
    assert (second.files_read, second.events, second.events_in) == (1, 3, first.events_in)
    assert [p.name for p, _ in second.rejected] == ["broken.json"]
    assert con.execute(
        "SELECT count(*), min(useridentity.sessioncontext.sessionissuer.arn) FROM cloudtrail"
    ).fetchone() == (3, "arn:aws:iam::111122223333:role/r")


def test_changed_content_is_read_again(tmp_path) -> None:
    folder = _folder(tmp_path, 3)
    _cached(connect(), [folder])
    _folder(tmp_path, 4)
    report = _cached(connect(), [folder])
    assert (report.from_cache, report.files_from_cache, report.events) == (False, 1, 4)  # broken.json cached


def test_a_new_file_is_the_only_one_parsed_and_duplicates_across_segments_drop(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "logs"
    for hour in range(3):
        _log(folder / f"h{hour}.json.gz", [{**RECORD, "eventID": f"h{hour}-{i}"} for i in range(5)])
    _cached(connect(), [folder])
    _log(folder / "h3.json.gz", [{**RECORD, "eventID": "h3-0"}, {**RECORD, "eventID": "h0-0"}])
    parsed: list[str] = []
    import trailhunt.ingest.cache as cache_module

    real = cache_module.parse_segment
    monkeypatch.setattr(
        cache_module,
        "parse_segment",
        lambda con, root, s, *a: parsed.extend(x.path.name for x in s) or real(con, root, s, *a),
    )
    con = connect()
    report = _cached(con, [folder])
    assert parsed == ["h3.json.gz"]
    assert (report.files_from_cache, report.events_in, report.events, report.duplicates) == (3, 17, 16, 1)
    assert con.execute("SELECT count(*), count(DISTINCT eventid) FROM cloudtrail").fetchone() == (16, 16)


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path, private_cache) -> None:
    folder = _folder(tmp_path, 2)
    assert load_cached(connect(), [folder], None).from_cache is False
    assert not private_cache.exists()
    _cached(connect(), [folder])
    assert load_cached(connect(), [folder], None).files_from_cache == 0


def test_cache_is_private(tmp_path) -> None:
    _cached(connect(), [_folder(tmp_path, 2)])
    root = cache_root()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    files = [f for f in root.rglob("*") if f.is_file()]
    folders = [root, *(f for f in root.rglob("*") if f.is_dir())]
    assert len(folders) == 2  # the cache and this hunt's link folder
    modes = {f.name.rsplit(".", 1)[-1]: stat.S_IMODE(f.stat().st_mode) for f in files}
    assert modes == {"json": 0o600, "parquet": 0o400, "lock": 0o600}  # segments read-only
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o700 for f in folders)
    assert not [f for f in files if f.name.startswith(".part-")]


def test_a_tampered_segment_is_discarded_and_the_finding_survives(tmp_path) -> None:
    folder = tmp_path / "logs"
    _log(folder / "a.json.gz", [RECORD, STOP_LOGGING])
    _cached(connect(), [folder])
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
    _cached(connect(), [folder])
    [manifest] = cache_root().glob("*.json")
    manifest.write_text("{not json")
    report = _cached(connect(), [folder])
    assert (report.from_cache, report.events) == (False, 2)
    assert report.warnings


def test_least_recently_used_segments_are_evicted_beyond_the_cap(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TRAILHUNT_CACHE_MAX_MB", "0")
    for name in ("one", "two"):
        _log(tmp_path / name / "a.json.gz", [{**RECORD, "eventID": name}])
        _cached(connect(), [tmp_path / name])
    assert len(list(cache_root().glob("*.json"))) == 1  # only the segment in use survives
    assert _cached(connect(), [tmp_path / "two"]).from_cache is True


CONCURRENT = """
import sys
from pathlib import Path
from trailhunt.ingest.cache import load_cached, open_links
from trailhunt.engines.duckdb import connect
for _ in range(3):
    links, con = open_links(), connect()
    report = load_cached(con, [Path(sys.argv[1])], links)
    assert report.events == 200, report.summary()
    assert con.execute("SELECT count(*) FROM cloudtrail").fetchone() == (200,)
    links.close()
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
    result = _hunt_stop_logging(folder, None)
    assert [f.event_name for f in result.findings] == ["StopLogging"]
    assert sorted(p.name for p in private_cache.iterdir()) == ["spill"]  # DuckDB's spill folder only
    _hunt_stop_logging(folder)
    assert {"parquet", "duckdb-sql"} <= {p.name for p in private_cache.iterdir()}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in private_cache.iterdir())


def test_a_segment_evicted_before_it_is_linked_is_parsed_again(tmp_path, monkeypatch) -> None:
    import trailhunt.ingest.segments

    folder = _folder(tmp_path, 3)
    _cached(connect(), [folder])
    real_read = trailhunt.ingest.segments._read_segment

    def read_then_evicted(manifest, report):  # the other hunt deletes it right after we read the manifest
        segment = real_read(manifest, report)
        manifest.with_suffix(".parquet").unlink()
        return segment

    monkeypatch.setattr(trailhunt.ingest.segments, "_read_segment", read_then_evicted)
    con = connect()
    report = _cached(con, [folder])
    assert (report.from_cache, report.events, report.files_read) == (False, 3, 1)
    assert any("parsed again" in w for w in report.warnings)
    assert con.execute("SELECT count(*) FROM cloudtrail").fetchone() == (3,)


def test_a_segment_evicted_while_its_hunt_runs_is_still_read(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TRAILHUNT_CACHE_MAX_MB", "0")
    folder = _folder(tmp_path, 3)
    _cached(connect(), [folder])
    con = connect()
    assert _cached(con, [folder]).from_cache is True
    other = _log(tmp_path / "other" / "b.json.gz", [{**RECORD, "eventID": "other"}]).parent
    _cached(connect(), [other])  # a concurrent hunt evicts our segment
    assert len(list(cache_root().glob("seg-*.parquet"))) == 1  # only the other hunt's segment is cached
    assert con.execute("SELECT count(*) FROM cloudtrail").fetchone() == (3,)


DIES_WITH_LINKS = "from trailhunt.ingest.cache import open_links; print(open_links().folder)"


def test_link_folders_go_with_their_hunt_and_dead_hunts_folders_are_swept(tmp_path, private_cache) -> None:
    links = open_links()
    assert links.folder.parent == cache_root() and stat.S_IMODE(links.folder.stat().st_mode) == 0o700
    links.close()
    assert not links.folder.exists()
    env = {**os.environ, "TRAILHUNT_CACHE": str(private_cache), "PYTHONPATH": os.pathsep.join(sys.path)}
    dead = Path(
        subprocess.run(
            [sys.executable, "-c", DIES_WITH_LINKS], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    live = open_links()
    for folder in (dead, live.folder):
        os.utime(folder, (0, 0))  # both look old; only the live one's hunt still holds its lock
    sweep(cache_root())
    assert live.folder.exists() and not dead.exists()
    live.close()


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


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT eventid, eventname, eventtime FROM cloudtrail ORDER BY ALL").fetchall()


def test_a_load_split_into_many_segments_keeps_what_one_table_keeps(tmp_path, monkeypatch) -> None:
    import trailhunt.ingest.cache as cache_module

    folder = tmp_path / "logs"
    for n in range(5):  # each file repeats one eventID of the file before it, with another name
        records = [{**RECORD, "eventID": f"{n}-{i}", "eventName": f"Call{n}"} for i in range(40)]
        if n:
            records[0] = {**RECORD, "eventID": f"{n - 1}-1", "eventName": f"Again{n}"}
        _log(folder / f"f{n}.json.gz", records)
    table = connect()
    alone = load_cached(table, [folder], None)
    monkeypatch.setattr(cache_module, "SEGMENT_TEXT_BYTES", 1)  # one segment per file
    con = connect()
    split = _cached(con, [folder])
    assert len(list(cache_root().glob("seg-*.parquet"))) == 5
    assert (split.events, split.duplicates) == (alone.events, alone.duplicates) == (196, 4)
    assert _rows(con) == _rows(table)
    assert not con.execute("SELECT * FROM cloudtrail WHERE eventname LIKE 'Again%'").fetchall()
    again = connect()
    assert _cached(again, [folder]).from_cache is True
    assert _rows(again) == _rows(table)


def test_a_hunt_over_some_files_of_a_segment_reads_only_theirs(tmp_path) -> None:
    folder = tmp_path / "logs"
    for name in ("a", "b"):
        _log(
            folder / f"{name}.json.gz",
            [{**RECORD, "eventID": f"{name}{i}", "eventName": name} for i in range(3)],
        )
    _cached(connect(), [folder])
    con = connect()
    report = _cached(con, [folder / "b.json.gz"])
    assert (report.from_cache, report.events) == (True, 3)
    assert con.execute("SELECT DISTINCT eventname FROM cloudtrail").fetchall() == [("b",)]


def test_a_gzip_file_is_sized_by_its_text(tmp_path) -> None:
    text = json.dumps({"Records": [{**RECORD, "eventID": f"e{i}"} for i in range(500)]}).encode()
    packed = _log(tmp_path / "a.json.gz", json.loads(text)["Records"])
    plain = tmp_path / "b.json"
    plain.write_bytes(text)
    assert packed.stat().st_size < len(text) // 5
    assert hash_file(packed).text_bytes == hash_file(plain).text_bytes == len(text)


def test_hunts_that_each_add_a_file_keep_few_segments_and_every_event(tmp_path, monkeypatch) -> None:
    import trailhunt.ingest.segments as segments_module

    monkeypatch.setattr(segments_module, "MAX_SEGMENTS", 2)
    folder = tmp_path / "logs"
    for hour in range(5):
        _log(folder / f"h{hour}.json.gz", [{**RECORD, "eventID": f"h{hour}-{i}"} for i in range(hour + 1)])
        con = connect()
        report = _cached(con, [folder])
        assert len(list(cache_root().glob("seg-*.parquet"))) == min(hour + 1, 2)
        assert (report.files_read, report.files_from_cache, report.events) == (
            hour + 1,
            hour,
            sum(range(hour + 2)),
        )
        assert (
            con.execute("SELECT count(DISTINCT eventid), count(*) FROM cloudtrail").fetchone()
            == (report.events,) * 2
        )
    monkeypatch.setattr(segments_module, "MERGE_ROWS", 3)  # a merge would exceed it: segments stay
    _log(folder / "h5.json.gz", [{**RECORD, "eventID": "h5-0"}])
    assert _cached(connect(), [folder]).events == 16
    assert len(list(cache_root().glob("seg-*.parquet"))) == 3


def test_fresh_files_are_split_by_text_size_into_a_few_bounded_segments() -> None:
    from trailhunt.ingest.cache import MIN_SEGMENT_TEXT_BYTES, SEGMENT_TEXT_BYTES, _segment_parts
    from trailhunt.ingest.sources import SourceFile

    mb = 1024 * 1024

    def sizes(*text_mb: int, limit: int | None = None) -> list[int]:
        files = [SourceFile(Path(f"{n}.json"), str(n), False, False, t * mb) for n, t in enumerate(text_mb)]
        return [sum(f.text_bytes for f in part) // mb for part in _segment_parts(files, limit)]

    assert sizes(*[15] * 10) == [15] * 10  # 150 MB in parts of about a sixth (25 MB): a file each
    assert sizes(*[5] * 30) == [25] * 6
    assert sizes(*[1] * 10) == [10]  # under 16 MB: one part
    big = sizes(*[100] * 20)
    assert len(big) == 10 and max(big) * mb <= SEGMENT_TEXT_BYTES and min(big) * mb >= MIN_SEGMENT_TEXT_BYTES
    assert sizes(10, 600, 10) == [10, 600, 10]  # a file over the budget is a segment of its own
    assert sizes(*[100] * 20, limit=1024 * mb) == big  # the default limit allows the 256 MB runs
    assert sizes(*[20] * 20, limit=300 * mb) == [60] * 6 + [40]  # a quarter of 300 MB, whole files


def test_without_hard_links_the_segments_are_copied_for_the_hunt(tmp_path, monkeypatch) -> None:
    import trailhunt.ingest.links as links_module

    def no_links(source, target) -> None:
        raise PermissionError("hard links not supported here")

    monkeypatch.setattr(links_module.os, "link", no_links)
    folder = _folder(tmp_path, 3)
    _cached(connect(), [folder])
    con = connect()
    assert _cached(con, [folder]).from_cache is True
    [segment] = cache_root().glob("seg-*.parquet")
    segment.unlink()  # the copy is the hunt's own
    assert con.execute("SELECT count(*) FROM cloudtrail").fetchone() == (3,)


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "no-cache"])
def test_a_small_memory_limit_still_loads_every_file(cached) -> None:
    """The JSON reader's buffer follows the memory limit (it was 128 MiB a thread whatever the limit,
    so under 150 MB every file was rejected as out of memory)."""
    from trailhunt.ingest.load import MAX_OBJECT_BYTES, MIN_OBJECT_BYTES, object_bytes

    folder = CATALOG.project.fixtures / "demo"
    whole = load_cached(connect(), [folder], None)
    small = connect(memory_limit="150MB")
    assert MIN_OBJECT_BYTES < object_bytes(small) < MAX_OBJECT_BYTES
    assert object_bytes(connect(memory_limit="4GB")) == MAX_OBJECT_BYTES
    report = _cached(small, [folder]) if cached else load_cached(small, [folder], None)
    assert (report.rejected, report.events, report.events_in) == ([], whole.events, whole.events_in)


def test_sizes_are_read_as_users_write_them_and_as_duckdb_shows_them() -> None:
    from trailhunt.engines.base import parse_size

    assert [parse_size(t) for t in ("500MB", "20G", "1024", "953.6 MiB", "2.0 GiB")] == [
        500 << 20, 20 << 30, 1024, int(953.6 * (1 << 20)), 2 << 30
    ]  # fmt: skip
    with pytest.raises(ValueError, match="not a size"):
        parse_size("953.6 lots")
