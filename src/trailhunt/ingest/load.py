"""Load CloudTrail log files into one DuckDB table with the Athena CloudTrail schema.

Files are read in batches: ``read_json_objects`` splits them into JSON documents and
``json_transform`` types each document with an explicit structure derived from the schema (no
auto-detection). That is about ten times faster than ``read_json`` on CloudTrail's one-big-object
files. A batch that fails is split in halves until each unreadable file is isolated and reported
by name; every readable file is still loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from trailhunt.engines.duckdb_schema import renaming_select, transform_structure
from trailhunt.schema import TABLE_NAME, columns

if TYPE_CHECKING:
    import duckdb

BATCH_FILES = 512
# read_json_objects keeps a buffer of twice this per thread: large enough for ordinary log files,
# small enough for a bounded memory limit. A single file over it is retried with LARGE_OBJECT_BYTES.
MAX_OBJECT_BYTES = 64 * 1024 * 1024
LARGE_OBJECT_BYTES = 1024 * 1024 * 1024


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


def _documents(files: list[Path], max_object_bytes: int = MAX_OBJECT_BYTES) -> str:
    """One row per JSON document of ``files``: ``filename`` and the typed document ``d``."""
    file_list = "[" + ", ".join(sql_string(str(f)) for f in files) + "]"
    return (
        f"(SELECT filename, json_transform(json, {sql_string(transform_structure())}) AS d "
        f"FROM read_json_objects({file_list}, format = 'auto', filename = true, "
        f"maximum_object_size = {max_object_bytes}))"
    )


SOURCE_FILE = "_source_file"  # loader bookkeeping, dropped once the load is accounted


def create_table(con: duckdb.DuckDBPyConnection, table: str = TABLE_NAME) -> None:
    """Create the empty CloudTrail table (Athena column names and types)."""
    empty = f"(SELECT json_transform('{{}}', {sql_string(transform_structure())}) AS d LIMIT 0)"
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {renaming_select('d.')} FROM {empty}")


def _rejection_reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0]
    return text.split(": ", 1)[-1] if text.startswith(("Invalid Input Error", "IO Error")) else text


def _records_of_documents(files: list[Path], max_object_bytes: int) -> str:
    """Every record of ``files`` with its file: the ``Records`` of a log document, or the document
    itself when it is a bare record (JSON lines). One parse per file."""
    record = ", ".join(f'"{f.json_key}" := d."{f.json_key}"' for f in columns().values())
    return (
        f'SELECT filename, unnest(coalesce(d."Records", '
        f'CASE WHEN d."eventTime" IS NOT NULL THEN [struct_pack({record})] END)) AS r '
        f"FROM {_documents(files, max_object_bytes)}"
    )


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    table: str,
    report: LoadReport,
    max_object_bytes: int = MAX_OBJECT_BYTES,
) -> None:
    import duckdb

    try:
        (inserted,) = con.execute(
            f"INSERT INTO {table} SELECT {renaming_select('r.')}, filename AS {SOURCE_FILE} "
            f"FROM ({_records_of_documents(files, max_object_bytes)})"
        ).fetchone() or (0,)
    except duckdb.OutOfMemoryException:
        raise  # the machine's problem, not the file's: never blame (and drop) good files for it
    except duckdb.Error as error:
        if len(files) == 1 and "maximum_object_size" in str(error) and max_object_bytes < LARGE_OBJECT_BYTES:
            _load_batch(con, files, table, report, LARGE_OBJECT_BYTES)
        elif len(files) == 1:
            report.rejected.append((files[0], _rejection_reason(error)))
        else:
            middle = len(files) // 2
            _load_batch(con, files[:middle], table, report, max_object_bytes)
            _load_batch(con, files[middle:], table, report, max_object_bytes)
        return
    report.events += int(inserted)
    report.files_read += len(files)


def _account(con: duckdb.DuckDBPyConnection, files: list[Path], table: str, report: LoadReport) -> None:
    """Reject files that gave no events and are not CloudTrail; drop the bookkeeping column."""
    rejected = {path for path, _ in report.rejected}
    with_events = {row[0] for row in con.execute(f"SELECT DISTINCT {SOURCE_FILE} FROM {table}").fetchall()}
    silent = [f for f in files if f not in rejected and str(f) not in with_events]
    for path in _not_cloudtrail(con, silent):
        report.files_read -= 1
        report.rejected.append((path, "not CloudTrail: no Records array and no eventTime"))
    con.execute(f"ALTER TABLE {table} DROP COLUMN {SOURCE_FILE}")


def _not_cloudtrail(con: duckdb.DuckDBPyConnection, files: list[Path]) -> list[Path]:
    """Of ``files`` (which loaded no event), those that hold neither ``Records`` nor a record."""
    if not files:
        return []
    file_list = "[" + ", ".join(sql_string(str(f)) for f in files) + "]"
    rows = con.execute(
        f"""
        SELECT filename FROM read_json_objects({file_list}, format = 'auto', filename = true,
                                               maximum_object_size = {MAX_OBJECT_BYTES})
        GROUP BY filename
        HAVING NOT bool_or(coalesce(json_type(json, '$.Records') = 'ARRAY', FALSE) OR json_type(json, '$.eventTime') IS NOT NULL)
        """
    ).fetchall()
    return [Path(name) for (name,) in rows]


def load_files(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    table: str = TABLE_NAME,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """Load ``files`` into ``table`` (created empty first); return what was read and rejected."""
    report = LoadReport()
    create_table(con, table)
    con.execute(f"ALTER TABLE {table} ADD COLUMN {SOURCE_FILE} VARCHAR")
    for start in range(0, len(files), BATCH_FILES):
        _load_batch(con, files[start : start + BATCH_FILES], table, report)
        if progress:
            progress(min(start + BATCH_FILES, len(files)), report.events)
    _account(con, files, table, report)
    return report
