"""The CloudTrail relation of a cached hunt: a view over the parquet segments it reads, in place.

Nothing is copied back into memory. Segments are written sorted by ``eventsource, eventname,
eventtime``, so a detection's filters on them skip whole row groups by their statistics, a query
decodes only the columns it names, and the rows never have to fit in the memory limit. Files of a
segment that this hunt was not given are filtered out by their content key; events repeating an
eventID are left out by their segment and row number, chosen once (``load.duplicate_rows``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from trailhunt.ingest.load import (
    FILE_KEY,
    RAW_TIME,
    RECORD_INDEX,
    LoadReport,
    count_repeats,
    count_untimed,
    duplicate_rows,
    file_order,
    sql_string,
)

if TYPE_CHECKING:
    import duckdb

SEGMENT, ROW = "_segment", "file_row_number"  # the columns read_parquet adds: file and row in it
PICKED, DUPLICATES = "_picked_files", "_duplicate_rows"


def _segments(paths: list[Path], picked: bool) -> str:
    """Every row of the segments at ``paths``, with their bookkeeping (only picked files' rows)."""
    files = "[" + ", ".join(sql_string(str(path)) for path in paths) + "]"
    where = f" WHERE {FILE_KEY} IN (SELECT key FROM {PICKED})" if picked else ""
    return f"(SELECT * FROM read_parquet({files}, filename = '{SEGMENT}', file_row_number = true){where})"


def _create(con: duckdb.DuckDBPyConnection, view: str, rows: str, deduplicated: bool) -> None:
    anti = (
        f" ANTI JOIN {DUPLICATES} d ON d.{SEGMENT} = t.{SEGMENT} AND d.{ROW} = t.{ROW}"
        if deduplicated
        else ""
    )
    con.execute(
        f"CREATE OR REPLACE VIEW {view} AS "
        f"SELECT t.* EXCLUDE ({FILE_KEY}, {RECORD_INDEX}, {RAW_TIME}, {SEGMENT}, {ROW}) FROM {rows} t{anti}"
    )


def segment_view(
    con: duckdb.DuckDBPyConnection,
    view: str,
    paths: list[Path],
    keys: list[str],
    every_file: bool,
    report: LoadReport,
) -> None:
    """Make ``view`` the events of the files ``keys`` (in hunt order) from the segments at ``paths``;
    ``every_file``: the segments hold no other file. Repeated eventIDs are counted in ``report``
    and left out, as a table load drops them."""
    if not every_file:
        con.execute(f"CREATE OR REPLACE TABLE {PICKED} AS SELECT unnest($1::VARCHAR[]) AS key", [keys])
    rows = _segments(paths, picked=not every_file)
    _create(con, view, rows, deduplicated=False)
    if count_repeats(con, view, report):
        with file_order(con, keys):
            identity = f"t.{SEGMENT}, t.{ROW}"
            con.execute(f"CREATE OR REPLACE TABLE {DUPLICATES} AS {duplicate_rows(rows, identity)}")
        _create(con, view, rows, deduplicated=True)
    count_untimed(con, view, report)
