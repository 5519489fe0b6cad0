"""Load CloudTrail log files into one DuckDB table with the Athena CloudTrail schema.

Files are read in batches by ``read_json`` with an explicit schema (no auto-detection). A batch
that fails is split in halves until each unreadable file is isolated and reported by name; every
readable file is still loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from trailhunt.discover import discover
from trailhunt.duckdb_schema import reading_columns, renaming_select
from trailhunt.schema import TABLE_NAME

if TYPE_CHECKING:
    import duckdb

BATCH_FILES = 512
MAX_OBJECT_BYTES = 512 * 1024 * 1024


@dataclass
class LoadReport:
    """What a load read, skipped and rejected, file by file."""

    files_read: int = 0
    events: int = 0
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)
    from_cache: bool = False

    def summary(self) -> str:
        """One line: files and events read, files skipped and rejected."""
        source = " (from the parquet cache)" if self.from_cache else ""
        return (
            f"{self.files_read} files read{source}, {self.events} events loaded, "
            f"{len(self.skipped)} skipped, {len(self.rejected)} rejected"
        )


ProgressCallback = Callable[[int, int], None]


def sql_string(text: str) -> str:
    """A DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


def _read_json(files: list[Path]) -> str:
    file_list = "[" + ", ".join(sql_string(str(f)) for f in files) + "]"
    columns = "{" + ", ".join(f"{sql_string(k)}: {sql_string(v)}" for k, v in reading_columns().items()) + "}"
    return (
        f"read_json({file_list}, columns = {columns}, format = 'auto', filename = true, "
        f"maximum_object_size = {MAX_OBJECT_BYTES})"
    )


def create_table(con: duckdb.DuckDBPyConnection, table: str = TABLE_NAME) -> None:
    """Create the empty CloudTrail table (Athena column names and types)."""
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {renaming_select('')} FROM {_empty_source()}")


def _empty_source() -> str:
    columns = ", ".join(f'NULL::{t} AS "{k}"' for k, t in reading_columns().items())
    return f"(SELECT {columns} LIMIT 0)"


def _rejection_reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0]
    return text.split(": ", 1)[-1] if text.startswith(("Invalid Input Error", "IO Error")) else text


def _load_batch(con: duckdb.DuckDBPyConnection, files: list[Path], table: str, report: LoadReport) -> None:
    import duckdb

    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _batch AS SELECT * FROM {_read_json(files)}")
    except duckdb.Error as error:
        if len(files) == 1:
            report.rejected.append((files[0], _rejection_reason(error)))
            return
        middle = len(files) // 2
        _load_batch(con, files[:middle], table, report)
        _load_batch(con, files[middle:], table, report)
        return
    _account_batch(con, report)
    con.execute(
        f"INSERT INTO {table} SELECT {renaming_select('r.')} FROM "
        "(SELECT unnest(Records) AS r FROM _batch WHERE Records IS NOT NULL)"
    )
    con.execute(
        f"INSERT INTO {table} SELECT {renaming_select('')} FROM _batch "
        'WHERE Records IS NULL AND "eventTime" IS NOT NULL'
    )
    con.execute("DROP TABLE _batch")


def _account_batch(con: duckdb.DuckDBPyConnection, report: LoadReport) -> None:
    rows = con.execute(
        """
        SELECT filename,
               coalesce(sum(len(Records)), 0) + count(*) FILTER (WHERE Records IS NULL AND "eventTime" IS NOT NULL),
               bool_or(Records IS NOT NULL OR "eventTime" IS NOT NULL)
        FROM _batch GROUP BY filename
        """
    ).fetchall()
    for filename, events, is_cloudtrail in rows:
        if is_cloudtrail:
            report.files_read += 1
            report.events += int(events)
        else:
            report.rejected.append((Path(filename), "not CloudTrail: no Records array and no eventTime"))


def load_files(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    table: str = TABLE_NAME,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """Load ``files`` into ``table`` (created empty first); return what was read and rejected."""
    report = LoadReport()
    create_table(con, table)
    for start in range(0, len(files), BATCH_FILES):
        _load_batch(con, files[start : start + BATCH_FILES], table, report)
        if progress:
            progress(min(start + BATCH_FILES, len(files)), report.events)
    return report


def load_paths(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    table: str = TABLE_NAME,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """Discover log files under ``paths`` and load them; skipped files are listed in the report."""
    found = discover(paths)
    report = load_files(con, found.files, table, progress)
    report.skipped.extend(found.skipped)
    return report
