"""The embedded DuckDB engine: a UTC session and Athena SQL run through the transpiler."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from trailhunt.transpile import to_duckdb

if TYPE_CHECKING:
    import duckdb


def connect(
    database: str = ":memory:", memory_limit: str | None = None, spill_dir: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose time zone is UTC (hour()/date() must match Athena's)."""
    import duckdb

    config: dict[str, Any] = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if spill_dir:
        config["temp_directory"] = str(spill_dir)
    con = duckdb.connect(database, config=config)
    con.execute("SET TimeZone = 'UTC'")  # ICU is loaded on first use, so not settable in config
    con.execute("SET enable_progress_bar = false")  # trailhunt draws its own
    return con


def query(con: duckdb.DuckDBPyConnection, athena_sql: str, origin: str = "<sql>") -> list[dict[str, Any]]:
    """Run Athena SQL on DuckDB and return rows as dicts keyed by column name."""
    return fetch(con, to_duckdb(athena_sql, origin))


def fetch(con: duckdb.DuckDBPyConnection, duckdb_sql: str) -> list[dict[str, Any]]:  # issue 17 (translate)
    """Run SQL already translated to DuckDB and return rows as dicts keyed by column name."""
    cursor = con.execute(duckdb_sql)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
