"""The embedded DuckDB engine: CloudTrail files loaded into one table, Athena SQL run through the
transpiler, the connection locked down before any detection runs.

Once the logs are loaded the connection can no longer read or write files, reach the network or
change its configuration (``enable_external_access = false``, ``lock_configuration = true``), so
even a translation bug or a tampered cache cannot touch the filesystem. Every statement is checked
to be one SELECT by DuckDB's own parser right before it runs (``ensure_duckdb_select``).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from queue import Queue
from threading import Lock
from typing import TYPE_CHECKING, Any

from trailhunt.engines.base import NotSelectError, QueryOutcome, Render, Row, Target, ensure_select, refused
from trailhunt.fidelity.transpile import to_duckdb
from trailhunt.fidelity.windowless import translate_rendered
from trailhunt.problems import Problem, ProblemError, first_line
from trailhunt.render.window import Window
from trailhunt.schema import TABLE_NAME

if TYPE_CHECKING:
    import duckdb

    from trailhunt.ingest.links import SegmentLinks
    from trailhunt.ingest.load import LoadReport, ProgressCallback

QUERY_CURSORS = 2  # detections in flight at once: one renders and checks while the other runs
DEFAULT_MEMORY_LIMIT = "1GB"  # DuckDB spills to disk beyond this, so peak memory stays bounded
# The query nodes a detection may hold. DuckDB runs data-modifying CTEs inside a SELECT statement
# (``WITH x AS (DELETE ... RETURNING *) SELECT ...``), so the statement type alone is not enough.
READ_ONLY_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"})


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
    try:
        con = duckdb.connect(database, config=config)
    except duckdb.Error as error:
        raise ProblemError(
            [
                Problem(
                    "CLI004", f"--memory-limit {memory_limit}: {first_line(error)} (use a size such as 2GB)"
                )
            ]
        ) from error
    return session(con)


def session(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` with the settings every trailhunt connection and cursor has (per session in DuckDB)."""
    con.execute("SET TimeZone = 'UTC'")  # hour()/date() must match Athena's; ICU loads on first use
    con.execute("SET enable_progress_bar = false")  # trailhunt draws its own
    con.execute("SET parquet_metadata_cache = true")  # each segment's footer parsed once a hunt
    return con


def query(
    con: duckdb.DuckDBPyConnection, athena_sql: str, origin: str = "<sql>", translated: str | None = None
) -> list[Row]:
    """Run one Athena SELECT on DuckDB (``translated``: its DuckDB text, made already) and return rows
    keyed by column name; anything but one SELECT is refused."""
    try:
        sql = checked(con, athena_sql, origin, translated)
    except NotSelectError as error:
        raise ProblemError([Problem("SQL010", f"{origin}: {error}")]) from error
    return _execute(con, sql)


def checked(
    con: duckdb.DuckDBPyConnection, athena_sql: str, origin: str, translated: str | None = None
) -> str:
    """The DuckDB text for one Athena SELECT, checked as it will be sent (``translated``, else
    translated now or read from the translation cache); raises ``NotSelectError`` for anything
    else. The Athena text is parsed on its own only when it cannot be translated, so a refusal
    explains better than a translation error."""
    if translated is None:
        try:
            translated = to_duckdb(athena_sql, origin)
        except ProblemError:
            ensure_select(athena_sql, "athena")
            raise
    ensure_duckdb_select(con, translated)
    return translated


def ensure_duckdb_select(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise ``NotSelectError`` unless DuckDB's own parser reads ``sql`` as exactly one SELECT whose
    every query node (CTEs and subqueries included) is a read: no write, DDL, COPY, SET or ATTACH.

    The parser that checks is the one that runs the text, so the two cannot disagree about it.
    ``json_serialize_sql`` serialises nothing but SELECT statements; anything else is an error,
    explained by ``_refusal``."""
    import duckdb

    try:
        (tree,) = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone() or ("{}",)
    except duckdb.Error as error:
        raise NotSelectError(f"refused: not parseable as one SELECT ({first_line(error)})") from error
    parsed = json.loads(tree)
    if parsed.get("error") is not False:
        raise NotSelectError(_refusal(con, sql, str(parsed.get("error_message"))))
    if len(parsed["statements"]) != 1:
        raise NotSelectError(f"refused: {len(parsed['statements'])} statements, detections are one SELECT")
    bad = sorted(_query_nodes(parsed) - READ_ONLY_NODES)
    if bad:
        kind = bad[0].removesuffix("_NODE").removesuffix("_QUERY")
        raise NotSelectError(f"refused: {kind} inside the query, detections are SELECT-only")


def _refusal(con: duckdb.DuckDBPyConnection, sql: str, why: str) -> str:
    """Why ``sql``, which DuckDB would not serialise as SELECTs, is refused: how many statements,
    of which kind, or the parser's own message."""
    import duckdb

    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as error:
        return f"refused: not parseable as one SELECT ({first_line(error)})"
    if len(statements) != 1:
        return f"refused: {len(statements)} statements, detections are one SELECT"
    if statements[0].type != duckdb.StatementType.SELECT:
        return f"refused: {statements[0].type.name} statement, detections are SELECT-only"
    return f"refused: not parseable as one SELECT ({why})"


def _query_nodes(value: object) -> set[str]:
    """Every query node type (``..._NODE``) in DuckDB's JSON parse tree."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            kind = item.get("type")
            if isinstance(kind, str) and kind.endswith("_NODE"):
                found.add(kind)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _execute(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def lock_down(con: duckdb.DuckDBPyConnection, readable: list[Path] | None = None) -> None:
    """No file, HTTP or extension access and no configuration change from now on; only the files
    ``readable`` (the cache segments a view reads, each by its exact path) can still be read."""
    if readable:
        con.execute("SET allowed_paths = $1", [[str(path) for path in readable]])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


class DuckDBEngine:
    """An ``Engine`` over a connection whose ``cloudtrail`` table is loaded (call ``lock_down`` first)."""

    name = "duckdb"
    target: Target = "duckdb"
    table = TABLE_NAME

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        max_bytes: int | None = None,
        links: SegmentLinks | None = None,
        cursors: list[duckdb.DuckDBPyConnection] | None = None,
    ):
        self.con = con
        self.max_bytes = max_bytes
        self.links = links
        # detections run on these, one each at a time (``session`` set on each before the lock-down)
        self._idle: Queue[duckdb.DuckDBPyConnection] = Queue()
        for cursor in cursors or [con]:
            self._idle.put(cursor)
        self.concurrency = self._idle.qsize()
        self._spent_lock = Lock()
        self._spent = 0
        self._translations: dict[str, str] = {}  # Athena text -> DuckDB text, from ``statement``
        usage = con.execute(
            "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag IN ('BASE_TABLE', 'IN_MEMORY_TABLE')"
        ).fetchone()
        segments = sum(path.stat().st_size for path in links.paths) if links else 0
        # in-memory table size plus the segments read in place: a bound on one scan
        self.table_bytes = (int(usage[0]) if usage else 0) + segments

    @classmethod
    def load(
        cls,
        paths: list[Path],
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        use_cache: bool = True,
        progress: ProgressCallback | None = None,
        max_bytes: int | None = None,
    ) -> tuple[DuckDBEngine, LoadReport]:
        """Load CloudTrail files (through the parquet cache unless ``use_cache`` is off), lock down."""
        import duckdb

        from trailhunt.ingest.cache import load_cached, open_links
        from trailhunt.ingest.cachedir import cache_dir, private_dir

        con = connect(memory_limit=memory_limit, spill_dir=private_dir(cache_dir("spill")))
        # Storing rows in whatever order the threads finish halves the insert's time and memory; nothing
        # depends on that order (de-duplication orders by file and Records position). Set back before
        # the detections run.
        con.execute("SET preserve_insertion_order = false")
        links = open_links() if use_cache else None
        try:
            report = load_cached(con, paths, links, progress=progress)
        except BaseException as error:
            con.close()
            if links:
                links.close()
            if isinstance(error, duckdb.OutOfMemoryException):
                message = f"out of memory while loading logs with a {memory_limit} memory limit ({first_line(error)}); raise --memory-limit"
                raise ProblemError([Problem("LOAD001", message)]) from error
            raise
        con.execute("SET preserve_insertion_order = true")
        cursors = [session(con.cursor()) for _ in range(QUERY_CURSORS)]
        lock_down(con, links.paths if links else None)
        return cls(con, max_bytes, links, cursors), report

    def data_window(self, since: datetime | None, until: datetime | None) -> Window | None:
        """The given bounds, else the span of the loaded events (None when there are none); the span
        comes from the typed ``event_ts`` the loader parsed once, so events without a usable time
        never widen it."""
        first, last = self.con.execute(f"SELECT min(event_ts), max(event_ts) FROM {self.table}").fetchone() or (None, None)  # fmt: skip
        if first is None and since is None:
            return None
        start = since or first.astimezone(UTC)
        end = until or (last.astimezone(UTC) + timedelta(seconds=1) if last else start + timedelta(seconds=1))
        if until is None and end <= start:  # --since after the data: an empty but valid window
            end = start + timedelta(seconds=1)
        return Window(start, end)

    def statement(self, render: Render, window: Window, label: str) -> str:
        """``render(window)``, its DuckDB text prepared through the window-independent translation."""
        try:
            translation = translate_rendered(render, window, label)
        except ProblemError:  # ``run`` translates again and says why (a refusal, or the error)
            return render(window)
        self._translations[translation.athena_sql] = translation.duckdb_sql
        return translation.athena_sql

    def run(self, sql: str, label: str) -> QueryOutcome:
        """Translate (or take the prepared translation), check and run one Athena SELECT."""
        import duckdb

        if self.max_bytes is not None and self.table_bytes > self.max_bytes:
            return refused(label, f"would scan {self.table_bytes} bytes, over --max-bytes {self.max_bytes}")
        began = time.monotonic()
        cursor = self._idle.get()
        try:
            rows = _execute(cursor, checked(cursor, sql, label, self._translations.pop(sql, None)))
        except NotSelectError as error:
            return refused(label, str(error))
        except ProblemError as error:
            return QueryOutcome(label, state="ERROR", reason=first_line(error))
        except duckdb.Error as error:
            return QueryOutcome(label, state="FAILED", reason=first_line(error))
        finally:
            self._idle.put(cursor)
        with self._spent_lock:
            self._spent += self.table_bytes
        elapsed = int((time.monotonic() - began) * 1000)
        return QueryOutcome(label, rows, bytes_scanned=self.table_bytes, elapsed_ms=elapsed)

    def spent(self) -> int:
        """Bytes of table scanned so far (one full scan per statement)."""
        return self._spent

    def close(self) -> None:
        """Close the connection and let go of the cache segments it read."""
        self.con.close()
        if self.links:
            self.links.close()
