"""The translation cache is not trusted: tampered entries are discarded, files are private, the
folder is bounded, and ``--no-cache`` bypasses it (issue 13's cache attacks)."""

from __future__ import annotations

import json
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import CATALOG, PROJECT
from trailhunt.fidelity import sqlcache
from trailhunt.fidelity.sqlcache import TranslationCache
from trailhunt.fidelity.transpile import to_duckdb
from trailhunt.fidelity.windowless import sentinel_window
from trailhunt.hunt import hunt
from trailhunt.ingest.cachedir import caches_enabled
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import format_time

STOP_LOGGING = PROJECT.fixtures / "cloudtrail" / "defense_evasion" / "stop_logging.json"
DETECTION = CATALOG.get("cloudtrail_logging_stopped")


@pytest.fixture
def private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "duckdb-sql"


def _hunt(use_cache: bool = True) -> list[str]:
    result = hunt([STOP_LOGGING], Renderer(PROJECT), [DETECTION], AccountContext(), use_cache=use_cache)
    assert not result.errors
    return [f.event_name for f in result.findings]


def _entries(root: Path) -> list[Path]:
    return sorted(root.glob("*.json"))


def test_an_entry_replaced_with_copy_to_does_not_run_and_writes_nothing(private_cache, tmp_path) -> None:
    assert _hunt() == ["StopLogging"]
    written = tmp_path / "written.csv"
    for entry in _entries(private_cache):
        entry.write_text(f"COPY (SELECT 42) TO '{written}' (FORMAT csv)")
    assert _hunt() == ["StopLogging"]
    assert not written.exists()
    assert all("COPY" not in entry.read_text() for entry in _entries(private_cache))  # rebuilt


def test_an_edited_in_list_does_not_suppress_the_finding(private_cache, caplog) -> None:
    assert _hunt() == ["StopLogging"]
    edited = 0
    for entry in _entries(private_cache):
        record = json.loads(entry.read_text())
        if "'StopLogging'" in record["duckdb_sql"]:
            record["duckdb_sql"] = record["duckdb_sql"].replace("'StopLogging'", "'NoSuchEvent'")
            entry.write_text(json.dumps(record))
            edited += 1
    assert edited == 1
    assert _hunt() == ["StopLogging"]
    assert "does not match its digest" in caplog.text


def test_an_entry_moved_under_another_key_is_discarded(private_cache) -> None:
    first, second = "SELECT 1 AS a", "SELECT 2 AS a"
    to_duckdb(first)
    cache = TranslationCache.default()
    (private_cache / f"{cache.key(first)}.json").rename(private_cache / f"{cache.key(second)}.json")
    assert cache.get(second) is None
    assert "2" in to_duckdb(second)


def test_no_cache_bypasses_the_translation_cache(private_cache) -> None:
    window = hunt([STOP_LOGGING], Renderer(PROJECT), [DETECTION], AccountContext(), use_cache=False).window
    assert not private_cache.exists()  # nothing read or written with --no-cache
    sentinel = sentinel_window(window)  # hunts translate the detection rendered for this window
    rendered = Renderer(PROJECT).render(DETECTION, RenderOptions(window=sentinel, target="duckdb"))
    bounds = f"eventtime >= '{format_time(sentinel.start)}' AND eventtime < '{format_time(sentinel.end)}'"
    TranslationCache.default().put(rendered, f"SELECT * FROM cloudtrail WHERE {bounds} AND false")  # a lie
    assert _hunt(use_cache=True) == []  # the planted entry is what a cached hunt runs
    assert _hunt(use_cache=False) == ["StopLogging"]
    assert caches_enabled()  # the switch does not leak out of the hunt


def test_folder_is_0700_and_entries_0600(private_cache) -> None:
    to_duckdb("SELECT 1 AS a")
    (entry,) = _entries(private_cache)
    assert stat.S_IMODE(private_cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_an_entry_open_to_others_or_a_link_is_discarded(private_cache, tmp_path) -> None:
    sql = "SELECT 1 AS a"
    to_duckdb(sql)
    cache = TranslationCache.default()
    entry = private_cache / f"{cache.key(sql)}.json"
    entry.chmod(0o644)
    assert cache.get(sql) is None and not entry.exists()
    to_duckdb(sql)
    elsewhere = tmp_path / "elsewhere.json"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert cache.get(sql) is None and not entry.exists()


def test_a_world_writable_cache_folder_is_made_private(private_cache) -> None:
    private_cache.mkdir(parents=True)
    private_cache.chmod(0o777)
    to_duckdb("SELECT 1 AS a")
    assert stat.S_IMODE(private_cache.stat().st_mode) == 0o700


def test_least_recently_used_entries_are_evicted_beyond_the_cap(tmp_path) -> None:
    probe = TranslationCache(tmp_path / "probe")
    probe.put("SELECT 0", "SELECT 0")
    size = next((tmp_path / "probe").iterdir()).stat().st_size
    cache = TranslationCache(tmp_path / "sql", max_bytes=2 * size + size // 2)  # room for two
    cache.put("SELECT 1", "SELECT 1")
    os.utime(cache.root / f"{cache.key('SELECT 1')}.json", (1000, 1000))
    cache.put("SELECT 2", "SELECT 2")
    os.utime(cache.root / f"{cache.key('SELECT 2')}.json", (2000, 2000))
    assert cache.get("SELECT 1") == "SELECT 1"  # used: now the most recent
    cache.put("SELECT 3", "SELECT 3")
    assert cache.get("SELECT 2") is None
    assert (cache.get("SELECT 1"), cache.get("SELECT 3")) == ("SELECT 1", "SELECT 3")


def test_concurrent_writers_use_unique_temporary_names(tmp_path) -> None:
    cache = TranslationCache(tmp_path / "sql")
    texts = [f"SELECT {i % 4}" for i in range(64)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda sql: cache.put(sql, sql), texts))
    assert sorted(p.suffix for p in cache.root.iterdir()) == [".json"] * 4  # no .part left behind
    assert all(cache.get(sql) == sql for sql in texts[:4])


def test_the_key_covers_translator_and_schema(monkeypatch) -> None:
    sql = "SELECT 1"
    before = TranslationCache.key(sql)
    monkeypatch.setattr(sqlcache, "schema_fingerprint", lambda: "other schema")
    after_schema = TranslationCache.key(sql)
    monkeypatch.setattr(sqlcache, "translator_fingerprint", lambda: "other translator")
    assert len({before, after_schema, TranslationCache.key(sql)}) == 3


def test_the_translator_fingerprint_covers_every_module_of_the_package(tmp_path) -> None:
    (tmp_path / "report").mkdir()
    (tmp_path / "sqltext.py").write_text('QUOTE = "\'"\n')
    (tmp_path / "report" / "helpers.py").write_text("X = 1\n")
    digests = [sqlcache.package_digest(tmp_path)]
    (tmp_path / "sqltext.py").write_text("QUOTE = '\"'\n")  # not a transpile*/fidelity* name
    digests.append(sqlcache.package_digest(tmp_path))
    (tmp_path / "report" / "helpers.py").write_text("X = 2\n")  # a subpackage
    digests.append(sqlcache.package_digest(tmp_path))
    assert len(set(digests)) == 3
