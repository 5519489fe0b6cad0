"""The DuckDB translation: stored once, reused, and never stale for other SQL."""

from __future__ import annotations

import pytest

from trailhunt.fidelity import transpile
from trailhunt.fidelity.transpile import to_duckdb
from trailhunt.ingest.cachedir import cache_dir


def test_translation_is_stored_and_reused(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path))
    sql = "SELECT json_extract_scalar(requestparameters, '$.userName') AS u FROM cloudtrail"
    first = to_duckdb(sql)
    assert len(list(cache_dir("duckdb-sql").glob("*.json"))) == 1

    def no_translation(sql: str, origin: str) -> str:
        raise AssertionError("translated again despite a valid cache entry")

    monkeypatch.setattr(transpile, "_translate", no_translation)
    assert to_duckdb(sql) == first
    with pytest.raises(AssertionError):
        to_duckdb(sql, use_cache=False)
    monkeypatch.undo()
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path))
    other = to_duckdb(sql.replace("userName", "roleName"))
    assert "roleName" in other and len(list(cache_dir("duckdb-sql").glob("*.json"))) == 2
