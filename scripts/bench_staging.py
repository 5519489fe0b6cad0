"""Measure what the cost model assumes: parquet/ZSTD size of the staged columns against the gzipped
CloudTrail JSON they come from, the share of those bytes each detection's columns hold, and the size of
the daily history summary and configuration calls against the staged bytes of the same days.

    PYTHONPATH=src python scripts/bench_staging.py [folder-with-CloudTrail-json.gz]   (default fixtures/demo)
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import duckdb

from trailhunt.catalog.catalog import load_catalog
from trailhunt.catalog.project import CHECKOUT_ROOT, Project
from trailhunt.deploy.schedule import Schedule
from trailhunt.deploy.staging import catalogue_columns
from trailhunt.engines import duckdb as duckdb_engine
from trailhunt.ingest.discover import discover
from trailhunt.ingest.load import load_files
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer


def main(folder: Path) -> None:
    project = Project(CHECKOUT_ROOT)
    files = discover([folder]).files
    raw_bytes = sum(f.stat().st_size for f in files)
    con = duckdb_engine.connect()
    report = load_files(con, files)
    renderer = Renderer(project)
    options = Schedule(timedelta(hours=1), timedelta(minutes=15), "staged", "trailhunt_staging").options(
        AccountContext(), "athena"
    )
    sqls = {d.id: renderer.render(d, options) for d in load_catalog(project).detections}
    kept = catalogue_columns(list(sqls.values()))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "staged.parquet"
        con.execute(
            f"COPY (SELECT {', '.join(kept)} FROM cloudtrail) TO '{target}' (FORMAT parquet, COMPRESSION zstd)"
        )
        parquet_bytes = target.stat().st_size
        sizes = dict(
            duckdb.sql(
                "SELECT split_part(path_in_schema, ', ', 1) AS col, sum(total_compressed_size) "
                f"FROM parquet_metadata('{target}') GROUP BY 1"
            ).fetchall()
        )
    total = sum(sizes.values())
    print(f"{len(files)} files, {report.events} events, {raw_bytes / 1024**2:.2f} MiB gzipped JSON")
    print(f"staged columns ({len(kept)}): {parquet_bytes / 1024**2:.2f} MiB parquet/ZSTD "
          f"= {parquet_bytes / raw_bytes:.3f} of the gzipped JSON")  # fmt: skip
    fractions = {i: sum(sizes.get(c, 0) for c in catalogue_columns([sql])) / total for i, sql in sqls.items()}
    print(f"mean share of the staged bytes a detection reads: {sum(fractions.values()) / len(fractions):.3f}")
    print(f"sum over {len(fractions)} detections: {sum(fractions.values()):.2f}")
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"  column {name:22} {size / total:.3f}")
    history, config, dimensions = daily_tables(con)
    print(f"history summary: {history / parquet_bytes:.3f} of the staged bytes; "
          f"configuration calls: {config / parquet_bytes:.4f}")  # fmt: skip
    for name, size in sorted(dimensions.items(), key=lambda kv: -kv[1]):
        print(f"  dimension {name:19} {size / sum(dimensions.values()):.3f}")


def daily_tables(con: duckdb.DuckDBPyConnection) -> tuple[int, int, dict[str, int]]:
    """Parquet/ZSTD bytes of the daily history summary and configuration calls over every event day,
    and of each dimension's rows of the summary."""
    from trailhunt.deploy.history import config_daily_sql, daily_sql, history_table_sql
    from trailhunt.fidelity.transpile import to_duckdb
    from trailhunt.render.history import CONFIG_COLUMNS, CONFIG_TABLE, HISTORY_TABLE

    con.execute(history_table_sql())
    con.execute(
        f"CREATE TABLE {CONFIG_TABLE} AS SELECT {', '.join(CONFIG_COLUMNS)}, '' AS day FROM cloudtrail LIMIT 0"
    )
    days = [r[0] for r in con.execute("SELECT DISTINCT substr(eventtime, 1, 10) FROM cloudtrail").fetchall()]
    for day in days:
        for sql in (daily_sql, config_daily_sql):  # the pipeline's INSERTs, transpiled as the tests do
            con.execute(to_duckdb(sql("cloudtrail", date.fromisoformat(day)), "pipeline"))
    sizes = []
    with tempfile.TemporaryDirectory() as tmp:
        for table in (HISTORY_TABLE, CONFIG_TABLE):
            target = Path(tmp) / f"{table}.parquet"
            con.execute(f"COPY {table} TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
            sizes.append(target.stat().st_size)
        dimensions = {}
        for (name,) in con.execute(f"SELECT DISTINCT dimension FROM {HISTORY_TABLE}").fetchall():
            target = Path(tmp) / f"{name}.parquet"
            query = f"SELECT * FROM {HISTORY_TABLE} WHERE dimension = '{name}'"
            con.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
            dimensions[name] = target.stat().st_size
    return sizes[0], sizes[1], dimensions


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CHECKOUT_ROOT / "fixtures" / "demo")
