"""The segments of the parquet cache: each a sorted parquet file of the rows of a set of log files,
and a manifest with each file's accounting, the loader version and the parquet file's digest.

Reading them: ``existing`` lists the current ones, ``usable`` links one for a hunt and verifies the
link. Writing them: ``parse_segment`` parses fresh files straight into a new one, ``write_segment``
sorts rows into a new one (each linked for the hunt before it is published); ``compact`` merges the
smallest when a hunt would read too many. A segment keeps the load's bookkeeping columns (content
key, position in the Records list, raw eventTime): the view over the segments leaves them out.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trailhunt.ingest.cachedir import mtime, package_digest, publish, temp_path, write_private
from trailhunt.ingest.links import SegmentLinks
from trailhunt.ingest.load import NOT_EVENT, LoadReport, account_rows, loader, sql_string
from trailhunt.ingest.load_report import FileStats, events_loaded
from trailhunt.ingest.sources import SourceFile
from trailhunt.schema import ddl_text

if TYPE_CHECKING:
    import duckdb

CACHE_FORMAT = "5"  # bump when the segment layout changes
SORT_ORDER = "eventsource, eventname, eventtime"
# Segments are never changed in place, and a hunt's detections read them through links to the same
# inode: read-only, so not even a statement that slipped past the SELECT check could write them.
SEGMENT_MODE = 0o400
MIN_ROW_GROUP, MAX_ROW_GROUP = 16_384, 122_880
MAX_SEGMENTS = 8  # read by one hunt; beyond it the smallest are merged (see compact)
MERGE_ROWS = 200_000  # about a fresh segment's rows: a merge's sort stays as small
TEXT_BYTES_PER_EVENT = 1_500  # CloudTrail's JSON, about (for sizing row groups before a parse)


@cache
def loader_version() -> str:
    """A digest of everything that shapes a loaded row: format, schema DDL, the sources of the
    ingest package and of the DuckDB schema mapping."""
    import duckdb

    from trailhunt.engines import duckdb_schema

    digest = hashlib.blake2b(f"{CACHE_FORMAT}\0{duckdb.__version__}\0{ddl_text()}".encode(), digest_size=16)
    digest.update(package_digest(Path(__file__).parent).encode())
    digest.update(Path(duckdb_schema.__file__).read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Segment:
    """One cache entry: a parquet file, its manifest and the files it covers."""

    manifest: Path
    files: dict[str, FileStats]
    digest: str
    link: Path | None = None  # this hunt's link to the parquet file, once linked and verified
    tried: bool = False  # whether linking and verifying it was tried (only when used)

    @property
    def parquet(self) -> Path:
        return self.manifest.with_suffix(".parquet")

    @property
    def rows(self) -> int:
        return events_loaded(self.files)


def _read_segment(manifest: Path, report: LoadReport) -> Segment | None:
    """The segment of ``manifest`` when it is current and intact; else discard it with a warning."""
    try:
        meta: dict[str, Any] = json.loads(manifest.read_text())
        if meta.get("loader") != loader_version():
            _discard(manifest)  # written by another version: stale, not suspicious
            return None
        files = {key: FileStats.from_json(stats) for key, stats in meta["files"].items()}
        return Segment(manifest, files, str(meta["parquet_digest"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        _reject(manifest, report, str(error))
        return None


def _reject(manifest: Path, report: LoadReport, why: str) -> None:
    report.warnings.append(f"cache entry {manifest.stem} discarded and rebuilt: {why}")
    _discard(manifest)


def usable(con: duckdb.DuckDBPyConnection, segment: Segment, links: SegmentLinks, report: LoadReport) -> bool:
    """Whether the segment could be linked for this hunt and the link is intact (the digest its
    manifest recorded, a footer DuckDB reads); tried once. The link is what gets verified, so
    nothing can change what the hunt reads after the check."""
    import duckdb

    if segment.tried:
        return segment.link is not None
    segment.tried = True
    try:
        link = links.add(segment.parquet)
    except OSError:
        report.warnings.append(
            f"cache entry {segment.manifest.stem} vanished (evicted by another hunt?): its files parsed again"
        )
        return False
    try:
        intact = _file_digest(link) == segment.digest
        if intact:
            con.execute(f"SELECT count(*) FROM read_parquet({sql_string(str(link))})")
    except (OSError, duckdb.Error):
        intact = False
    if not intact:
        links.drop(link)
        _reject(
            segment.manifest, report, "the parquet file does not match its recorded digest or cannot be read"
        )
        return False
    segment.link = link
    return True


def _discard(manifest: Path) -> None:
    for path in (manifest, manifest.with_suffix(".parquet")):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def existing(root: Path, report: LoadReport) -> list[Segment]:
    """The current segments under ``root``, most recently used first (stale or broken ones are
    discarded on the way, the broken with a warning in ``report``)."""
    if not root.is_dir():
        return []
    manifests = sorted(root.glob("seg-*.json"), key=mtime, reverse=True)
    return [s for m in manifests if (s := _read_segment(m, report))]


@contextlib.contextmanager
def _insertion_order_kept(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """``preserve_insertion_order`` on inside the block (an ``ORDER BY`` of a COPY needs it)."""
    (kept,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() or (True,)
    con.execute("SET preserve_insertion_order = true")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {'true' if kept else 'false'}")


def _row_group_size(rows: int) -> int:
    """Rows per row group of a segment of ``rows``: at least four groups, so a scan has work for
    both cores and filters can skip some (100k events: detections 1.9 -> 1.4 s), but never
    smaller than ``MIN_ROW_GROUP`` nor larger than DuckDB's default (no gain at 1M)."""
    return min(MAX_ROW_GROUP, max(MIN_ROW_GROUP, rows // 4))


def _copy_sorted(con: duckdb.DuckDBPyConnection, rows_sql: str, path: Path, rows: int) -> None:
    """Write the rows of ``rows_sql`` (about ``rows`` of them) to ``path`` as sorted parquet."""
    with _insertion_order_kept(con):
        con.execute(
            f"COPY ({rows_sql} ORDER BY {SORT_ORDER}) TO {sql_string(str(path))} "
            f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {_row_group_size(rows)})"
        )


def _publish(root: Path, partial: Path, stats: dict[str, FileStats], links: SegmentLinks) -> Segment:
    """Make the parquet file ``partial`` (the rows of the files of ``stats``) a segment, linked for
    this hunt before it is published."""
    name = hashlib.blake2b(f"{loader_version()}\0{','.join(sorted(stats))}".encode(), digest_size=16)
    manifest = root / f"seg-{name.hexdigest()}.json"
    digest = _file_digest(partial)
    link = links.add(partial, manifest.with_suffix(".parquet").name)
    publish(partial, manifest.with_suffix(".parquet"), SEGMENT_MODE)
    meta = {
        "loader": loader_version(),
        "parquet_digest": digest,
        "files": {k: s.to_json() for k, s in stats.items()},
    }
    write_private(manifest, json.dumps(meta).encode())
    return Segment(manifest, stats, digest, link, tried=True)


def write_segment(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    rows_sql: str,
    stats: dict[str, FileStats],
    links: SegmentLinks,
) -> Segment:
    """Write the rows of ``rows_sql`` (those of the files of ``stats``) as a new segment, sorted."""
    partial = temp_path(root, ".parquet")
    try:
        _copy_sorted(con, rows_sql, partial, events_loaded(stats))
        return _publish(root, partial, stats, links)
    finally:
        partial.unlink(missing_ok=True)


def parse_segment(
    con: duckdb.DuckDBPyConnection, root: Path, sources: list[SourceFile], links: SegmentLinks
) -> Segment | None:
    """Parse ``sources`` straight into a new segment, one COPY from their JSON to sorted parquet with
    no table between (1M events: 12.4 s, where a table and its copy took 9.3 + 6.3 s); the files'
    stats come from the parquet file. None when DuckDB cannot read some file whole: the caller
    loads them through a table, which isolates that file and reads it with the tolerant reader."""
    import duckdb

    partial = temp_path(root, ".parquet")
    try:
        with loader(con) as fresh:
            try:
                _copy_sorted(con, fresh.select(sources), partial, _estimated_events(sources))
            except duckdb.OutOfMemoryException:
                raise  # the memory limit, not a file: the engine says so and stops
            except duckdb.Error:
                return None
        stats: dict[str, FileStats] = {}
        written = f"read_parquet({sql_string(str(partial))})"
        if account_rows(con, written, {s.key for s in sources}, stats):  # rare: values that are not events
            return write_segment(con, root, f"SELECT * FROM {written} WHERE NOT {NOT_EVENT}", stats, links)
        return _publish(root, partial, stats, links)
    finally:
        partial.unlink(missing_ok=True)


def _estimated_events(sources: list[SourceFile]) -> int:
    """About how many events ``sources`` hold, from their JSON text size (for the row-group size)."""
    return sum(source.text_bytes for source in sources) // TEXT_BYTES_PER_EVENT


def compact(
    con: duckdb.DuckDBPyConnection, root: Path, used: list[Segment], links: SegmentLinks
) -> list[Segment]:
    """``used`` with its smallest segments merged into one when it holds more than
    ``MAX_SEGMENTS``: every detection reads every segment, each at a cost of its own, and hunts
    that each add a few new files would otherwise pile segments up. A merge stays within
    ``MERGE_ROWS``; the merged segments leave the cache (hunts reading them hold their own links)."""
    if len(used) <= MAX_SEGMENTS:
        return used
    merge = sorted(used, key=lambda s: s.rows)[: len(used) - MAX_SEGMENTS + 1]
    while len(merge) > 2 and sum(s.rows for s in merge) > MERGE_ROWS:
        merge.pop()
    if sum(s.rows for s in merge) > MERGE_ROWS:
        return used
    parquet = "[" + ", ".join(sql_string(str(s.link)) for s in merge) + "]"
    files = {key: file_stats for s in merge for key, file_stats in s.files.items()}
    merged = write_segment(con, root, f"SELECT * FROM read_parquet({parquet})", files, links)
    for segment in merge:
        if segment.link:  # always: every used segment is linked
            links.drop(segment.link)
        _discard(segment.manifest)
    return [s for s in used if s not in merge] + [merged]
