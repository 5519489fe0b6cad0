"""The DuckDB translation cache: keyed by SQL text, reused, never stale for other SQL."""

from __future__ import annotations

from trailhunt.fidelity.transpile import to_duckdb
from trailhunt.ingest.cachedir import cache_dir


def test_translation_is_stored_and_reused(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path))
    sql = "SELECT json_extract_scalar(requestparameters, '$.userName') AS u FROM cloudtrail"
    first = to_duckdb(sql)
    (entry,) = cache_dir("duckdb-sql").glob("*.sql")
    assert entry.read_text() == first
    entry.write_text("SELECT 'served from the cache' AS u")
    assert to_duckdb(sql) == "SELECT 'served from the cache' AS u"
    other = to_duckdb(sql.replace("userName", "roleName"))
    assert "roleName" in other and len(list(cache_dir("duckdb-sql").glob("*.sql"))) == 2
