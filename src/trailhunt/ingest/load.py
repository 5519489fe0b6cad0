"""Load CloudTrail log files into one DuckDB table with the Athena CloudTrail schema.

Fast path: files are read in batches by ``read_json_objects`` and typed by ``json_transform`` with an
explicit structure derived from the schema (about ten times faster than ``read_json``). DuckDB only
ever sees literal, harmless paths: a file whose name holds a glob character is read through a link
in a private folder named by its content hash, and the compression comes from the file's magic
bytes, never from its name. A batch that fails is split until each failing file is isolated; that
file then goes through the tolerant reader (``rawjson``), which keeps every record it can parse and
names the rest by line. Every value offered as an event is counted (see ``load_report``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from trailhunt.engines.base import parse_size
from trailhunt.engines.duckdb_schema import TIME_COLUMN, record_select, transform_structure
from trailhunt.ingest.load_report import NOT_AN_EVENT, FileStats, LoadReport
from trailhunt.ingest.rawjson import FileError, salvage_file
from trailhunt.ingest.sources import EMPTY_KEY, SourceFile, distinct, hash_all
from trailhunt.schema import TABLE_NAME, columns

if TYPE_CHECKING:
    import duckdb

__all__ = ["LoadReport", "ProgressCallback", "load_files", "sql_string"]

BATCH_FILES = 512
# read_json_objects keeps a buffer of twice its largest object per thread: a sixteenth of DuckDB's
# memory limit, between these bounds (60 MB under the default 1 GB). Large enough for ordinary log
# files; a larger file goes through the streaming tolerant reader.
MIN_OBJECT_BYTES, MAX_OBJECT_BYTES = 4 * 1024 * 1024, 64 * 1024 * 1024
# Bookkeeping columns, kept in cache segments and left out of what detections read:
FILE_KEY = "_file_key"  # the content hash of the source file
RECORD_INDEX = "_record_index"  # the position in its document's Records list (0 if bare)
RAW_TIME = "_raw_time"  # eventTime as read (NULL for a value that is not an event, see NOT_EVENT)
INVALID_JSON = "invalid JSON (line named in the file's problems)"
# How read_json_objects splits a file into values. "unstructured" (any sequence of values: one log
# object, JSON lines, pretty-printed objects) reads CloudTrail's object files about 15 % faster than
# "auto", which sniffs each file; a file whose text opens a JSON array is read as one ("array").
OBJECTS, ARRAY = "unstructured", "array"
GLOB_CHARACTERS = frozenset("*?[]{}\\")  # a path holding one is read through a link named by its hash

ProgressCallback = Callable[[int, int], None]


def sql_string(text: str) -> str:
    """A DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


def create_table(con: duckdb.DuckDBPyConnection, table: str = TABLE_NAME) -> None:
    """Create the empty CloudTrail table (Athena columns, plus the typed ``event_ts``)."""
    empty = f"(SELECT json_transform('{{}}', {sql_string(transform_structure())}) AS d LIMIT 0)"
    con.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT {record_select('d.')}, "
        f"NULL::VARCHAR AS {RAW_TIME}, NULL::VARCHAR AS {FILE_KEY}, NULL::INTEGER AS {RECORD_INDEX} "
        f"FROM {empty}"
    )


def memory_limit(con: duckdb.DuckDBPyConnection) -> int | None:
    """DuckDB's memory limit in bytes; None when it cannot be read."""
    (limit,) = con.execute("SELECT current_setting('memory_limit')").fetchone() or ("",)
    try:
        return parse_size(str(limit))
    except ValueError:  # not a size as DuckDB shows one
        return None


def object_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """The largest JSON object the fast reader takes under the connection's memory limit."""
    limit = memory_limit(con)
    return MAX_OBJECT_BYTES if limit is None else min(MAX_OBJECT_BYTES, max(MIN_OBJECT_BYTES, limit // 16))


def _records(files: dict[str, str], fmt: str, gzip: bool, max_object: int) -> str:
    """A SELECT of every value of ``files`` (path text -> content key) as a row of the table: a log's
    ``Records``, else the value itself, each with its position in the Records list (the row order
    of the table is not file order). The compression is given, never guessed from a name."""
    file_list = "[" + ", ".join(sql_string(path) for path in files) + "]"
    keys = ", ".join(f"({sql_string(path)}, {sql_string(key)})" for path, key in files.items())
    bare = ", ".join(f'"{f.json_key}" := d."{f.json_key}"' for f in columns().values())
    return f"""
        SELECT {record_select("r.")}, r."eventTime" AS {RAW_TIME}, key AS {FILE_KEY}, i AS {RECORD_INDEX}
        FROM (
          SELECT key, unnest(records) AS r, unnest(range(len(records))) AS i
          FROM (SELECT keys.key, coalesce(d."Records", [struct_pack({bare})]) AS records
                FROM (SELECT filename, json_transform(json, {sql_string(transform_structure())}) AS d
                      FROM read_json_objects({file_list}, format = '{fmt}', filename = true,
                                             compression = '{"gzip" if gzip else "none"}',
                                             maximum_object_size = {max_object})) AS objects
                LEFT JOIN (VALUES {keys}) AS keys(path, key) ON keys.path = objects.filename)
        )
        """


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, files: dict[str, str], fmt: str, gzip: bool, max_object: int
) -> None:
    """Every value of ``files`` (path text -> content key) into ``table`` (see ``_records``)."""
    con.execute(f"INSERT INTO {table} BY NAME {_records(files, fmt, gzip, max_object)}")


def _first_line(error: Exception) -> str:
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return text.split(": ", 1)[-1] if text.startswith(("Invalid Input Error", "IO Error")) else text


class _Loader:
    """One load of fresh files into ``table``: fast path, splitting, tolerant reader."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, workdir: Path) -> None:
        self.con, self.table, self.workdir = con, table, workdir
        self.stats: dict[str, FileStats] = {}
        self.max_object = object_bytes(con)

    def path(self, source: SourceFile) -> str:
        """The path DuckDB reads ``source`` by: its own, or a link named by its content hash when
        the name holds a character DuckDB would read as a glob (or a control character)."""
        own = str(source.path.absolute())
        if not any(char in GLOB_CHARACTERS or char < " " for char in own):
            return own
        link = self.workdir / source.key
        if not link.exists():
            link.symlink_to(own)
        return str(link)

    def files(self, sources: list[SourceFile]) -> dict[str, str]:
        """The paths DuckDB reads ``sources`` by, each with its content key."""
        return {self.path(s): s.key for s in sources}

    @staticmethod
    def groups(sources: list[SourceFile]) -> Iterator[tuple[list[SourceFile], str, bool]]:
        """``sources`` by shape and compression: one reader each."""
        for fmt in (OBJECTS, ARRAY):
            for gzip in (True, False):
                if alike := [s for s in sources if (fmt == ARRAY) == s.array and s.gzip == gzip]:
                    yield alike, fmt, gzip

    def select(self, sources: list[SourceFile]) -> str:
        """One SELECT of every value of ``sources`` (see ``_records``)."""
        selects = (
            _records(self.files(alike), fmt, gzip, self.max_object)
            for alike, fmt, gzip in self.groups(sources)
        )
        return " UNION ALL ".join(selects)

    def batch(self, sources: list[SourceFile]) -> None:
        """Insert ``sources``, one statement per shape and compression; a failing statement is
        split until each failing file is isolated and read by the tolerant reader."""
        for alike, fmt, gzip in self.groups(sources):
            self._statement(alike, fmt, gzip)

    def _statement(self, sources: list[SourceFile], fmt: str, gzip: bool) -> None:
        import duckdb

        try:
            _insert(self.con, self.table, self.files(sources), fmt, gzip, self.max_object)
        except duckdb.OutOfMemoryException:
            raise  # the memory limit, not a file: the engine says so and stops
        except duckdb.Error:
            if len(sources) == 1:
                self.tolerant(sources[0])
            else:
                middle = len(sources) // 2
                self._statement(sources[:middle], fmt, gzip)
                self._statement(sources[middle:], fmt, gzip)

    def tolerant(self, source: SourceFile) -> None:
        """Read one file DuckDB could not read whole, keeping every record that parses."""
        import duckdb

        stats = self.stats.setdefault(source.key, FileStats())
        lines = self.workdir / f"{source.key}.salvaged.jsonl"
        try:
            with lines.open("w", encoding="utf-8") as out:
                salvage = salvage_file(source.path, out)
            _insert(
                self.con, self.table, {str(lines): source.key}, "newline_delimited", False, self.max_object
            )
        except FileError as error:
            stats.fatal = str(error)
            return
        except duckdb.OutOfMemoryException:
            raise
        except (OSError, MemoryError, duckdb.Error) as error:
            stats.fatal = f"cannot be loaded: {_first_line(error)}"
            return
        finally:
            lines.unlink(missing_ok=True)
        stats.problems.extend(salvage.problems)
        if salvage.bad_values:
            stats.values += salvage.bad_values
            stats.rejected[INVALID_JSON] = salvage.bad_values

    def account(self, keys: set[str]) -> None:
        """Per-file counts from the table; drop the values that are not events."""
        if account_rows(self.con, self.table, keys, self.stats):
            self.con.execute(f"DELETE FROM {self.table} WHERE {NOT_EVENT}")


# A value the load read that has none of an event's identifying fields.
NOT_EVENT = f"({RAW_TIME} IS NULL AND eventname IS NULL AND eventsource IS NULL AND eventid IS NULL)"


def account_rows(
    con: duckdb.DuckDBPyConnection, relation: str, keys: set[str], stats: dict[str, FileStats]
) -> int:
    """Add the per-file counts of the freshly loaded ``relation`` (the files ``keys``) to ``stats``;
    how many of its rows are not events (they are counted as rejected, and must be dropped)."""
    rows = con.execute(
        f"SELECT {FILE_KEY}, count(*), count_if({NOT_EVENT}), "
        f"count_if({TIME_COLUMN} IS NULL AND NOT {NOT_EVENT}) FROM {relation} GROUP BY 1"
    ).fetchall()
    for key, values, bad, untimed in rows:
        if key is None:  # DuckDB named a file differently from the path it was given
            raise RuntimeError(f"loader lost track of the source file of {values} rows")
        file_stats = stats.setdefault(key, FileStats())
        file_stats.values += values
        file_stats.loaded += values - bad
        file_stats.untimed += untimed
        if bad:
            file_stats.rejected[NOT_AN_EVENT] = bad
            file_stats.problems.append(f"{bad} JSON values rejected: {NOT_AN_EVENT}")
    for key in keys:
        file_stats = stats.setdefault(key, FileStats())
        if file_stats.fatal is None and file_stats.loaded == 0 and file_stats.values:
            file_stats.fatal = f"not CloudTrail: {file_stats.values} JSON values, none a CloudTrail event"
        elif file_stats.fatal is None and file_stats.values == 0:
            file_stats.fatal = (
                "empty file (0 bytes)"
                if key == EMPTY_KEY
                else "no records: no JSON value or an empty Records list"
            )
    return sum(bad for _, _, bad, _ in rows)


@contextmanager
def loader(con: duckdb.DuckDBPyConnection, table: str = TABLE_NAME) -> Iterator[_Loader]:
    """A loader of fresh files into ``table``, with a private folder for its links and salvage."""
    workdir = Path(tempfile.mkdtemp(prefix="trailhunt-load-"))
    try:
        yield _Loader(con, table, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def load_sources(
    con: duckdb.DuckDBPyConnection,
    sources: list[SourceFile],
    table: str = TABLE_NAME,
    progress: ProgressCallback | None = None,
) -> dict[str, FileStats]:
    """Load ``sources`` (distinct contents) into the existing ``table``; per-content stats."""
    with loader(con, table) as fresh:
        for start in range(0, len(sources), BATCH_FILES):
            fresh.batch(sources[start : start + BATCH_FILES])
            if progress:
                (events,) = con.execute(f"SELECT count(*) FROM {table}").fetchone() or (0,)
                progress(min(start + BATCH_FILES, len(sources)), int(events))
        fresh.account({s.key for s in sources})
        return fresh.stats


def account_files(
    report: LoadReport, hashed: list[tuple[Path, SourceFile | None]], stats: dict[str, FileStats]
) -> None:
    """Add each readable file's stats to ``report``; a repeated content counts as duplicates."""
    first_of: dict[str, Path] = {}
    for path, source in hashed:
        if source is None:
            continue
        report.add_file(path, stats[source.key], duplicate_of=first_of.get(source.key))
        first_of.setdefault(source.key, path)


def count_repeats(con: duckdb.DuckDBPyConnection, relation: str, report: LoadReport) -> int:
    """How many events of ``relation`` repeat an eventID; ``report`` counts them as duplicates."""
    (repeats,) = con.execute(
        f"SELECT count(eventid) - count(DISTINCT eventid) FROM {relation}"
    ).fetchone() or (0,)
    report.events -= int(repeats)
    report.duplicates += int(repeats)
    return int(repeats)


@contextmanager
def file_order(con: duckdb.DuckDBPyConnection, order: list[str]) -> Iterator[None]:
    """The temp table ``_file_order`` (content key, position in ``order``) for ``duplicate_rows``."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _file_order AS SELECT unnest($1::VARCHAR[]) AS key, "
        "unnest(range(len($1::VARCHAR[]))) AS position",
        [order],
    )
    try:
        yield
    finally:
        con.execute("DROP TABLE _file_order")


def duplicate_rows(relation: str, identity: str) -> str:
    """A query of ``identity`` (columns of ``t``) for each row of ``relation`` that repeats an eventID
    and is not the one kept (inside ``file_order``).

    Of the events sharing an eventID the one kept is the first in file order, then in its Records
    list; events equal on both (bare records of one JSON-lines file) are told apart by their
    content, so the choice never depends on the order DuckDB happened to read or store rows in.
    """
    content = ", ".join(f't."{name}"' for name in columns())
    return f"""
        SELECT * EXCLUDE (n) FROM (
          SELECT {identity}, row_number() OVER (
            PARTITION BY t.eventid
            ORDER BY o.position, t.{RECORD_INDEX}, md5(CAST(row({content}) AS VARCHAR))) AS n
          FROM {relation} t JOIN _file_order o ON t.{FILE_KEY} = o.key
          WHERE t.eventid IN (SELECT eventid FROM {relation} GROUP BY eventid HAVING count(*) > 1))
        WHERE n > 1
        """


def count_untimed(con: duckdb.DuckDBPyConnection, relation: str, report: LoadReport) -> None:
    """Count in ``report`` the events of ``relation`` kept without a usable time."""
    (untimed,) = con.execute(f"SELECT count(*) - count({TIME_COLUMN}) FROM {relation}").fetchone() or (0,)
    report.untimed = int(untimed or 0)


def finish(con: duckdb.DuckDBPyConnection, report: LoadReport, order: list[str], table: str) -> None:
    """Drop repeated eventIDs (the rows ``duplicate_rows`` names) and the bookkeeping columns."""
    if count_repeats(con, table, report):
        with file_order(con, order):
            con.execute(f"DELETE FROM {table} WHERE rowid IN ({duplicate_rows(table, 't.rowid')})")
    count_untimed(con, table, report)
    for bookkeeping in (FILE_KEY, RAW_TIME, RECORD_INDEX):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {bookkeeping}")


def load_files(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    table: str = TABLE_NAME,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """Load ``files`` into ``table`` (created empty first), without any cache; the accounting."""
    report = LoadReport()
    create_table(con, table)
    hashed = hash_all(files, report)
    sources = distinct(hashed)
    stats = load_sources(con, sources, table, progress)
    account_files(report, hashed, stats)
    finish(con, report, [s.key for s in sources], table)
    return report
