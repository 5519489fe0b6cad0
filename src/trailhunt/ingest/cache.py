"""An incremental parquet cache of loaded CloudTrail: one segment per load, rows tagged by source file.

Each segment holds the rows loaded from a set of files, sorted and tagged with each file's content
hash, and a manifest with each file's accounting and the parquet file's own digest. A hunt hashes
its files, takes every file it can from existing segments and parses the rest, which become a new
segment. Yesterday's logs plus one new hour parse only the new hour. The hunt then reads the
segments in place (``segment_view``), through links of its own (``links``): nothing is copied back.

The cache is not trusted: a segment is read only when its manifest names the current loader
version and the digest of the hunt's link to it matches; anything else is discarded with a warning
and rebuilt. Folders are 0700, manifests 0600 and segments 0400, written under unique names and
renamed atomically, and the least recently used segments are evicted beyond a size cap.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trailhunt.ingest.cachedir import (
    cache_dir,
    evict,
    max_bytes,
    package_digest,
    private_dir,
    publish,
    temp_path,
    write_private,
)
from trailhunt.ingest.discover import discover
from trailhunt.ingest.links import SegmentLinks, sweep
from trailhunt.ingest.load import (
    RAW_TIME,
    LoadReport,
    ProgressCallback,
    SourceFile,
    account_files,
    create_table,
    finish,
    hash_all,
    load_sources,
    sql_string,
)
from trailhunt.ingest.load_report import FileStats
from trailhunt.ingest.segment_view import segment_view
from trailhunt.schema import TABLE_NAME, ddl_text

if TYPE_CHECKING:
    import duckdb

CACHE_FORMAT = "4"  # bump when the segment layout changes
SORT_ORDER = "eventsource, eventname, eventtime"
# Segments are never changed in place, and a hunt's detections read them through links to the same
# inode: read-only, so not even a statement that slipped past the SELECT check could write them.
SEGMENT_MODE = 0o400
MIN_ROW_GROUP, MAX_ROW_GROUP = 16_384, 122_880
# JSON text per segment: at most 256 MB (about 1.5 kB an event: 170k events, a 220 MB table whose
# sort and parquet write stay well inside the default 1 GB memory limit); a smaller load is split
# in about PARTS runs, of at least 32 MB, so its peak falls with it.
SEGMENT_TEXT_BYTES, MIN_SEGMENT_TEXT_BYTES, PARTS = 256 * 1024 * 1024, 32 * 1024 * 1024, 4
MAX_SEGMENTS = 8  # read by one hunt; beyond it the smallest are merged (see _compact)
MERGE_ROWS = 200_000  # about a fresh segment's rows: a merge's sort stays as small
STALE_PARTIAL_SECONDS = 3600  # a temp file this old belongs to a run that died


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


def cache_root() -> Path:
    """``$TRAILHUNT_CACHE/parquet`` or ``~/.cache/trailhunt/parquet``."""
    return cache_dir("parquet")


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


def _usable(
    con: duckdb.DuckDBPyConnection, segment: Segment, links: SegmentLinks, report: LoadReport
) -> bool:
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


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # evicted by a concurrent hunt
        return 0.0


def _segments(root: Path, report: LoadReport) -> list[Segment]:
    if not root.is_dir():
        return []
    manifests = sorted(root.glob("seg-*.json"), key=_mtime, reverse=True)
    return [s for m in manifests if (s := _read_segment(m, report))]


def _tidy(root: Path, used: set[Path]) -> None:
    """Mark the segments used now, evict beyond the size cap, drop what crashed runs left behind."""
    for manifest in used:
        with contextlib.suppress(OSError):
            os.utime(manifest)
    entries = [(m, [m, m.with_suffix(".parquet")]) for m in root.glob("seg-*.json")]
    evict(entries, used, max_bytes())
    for partial in root.glob(".part-*"):
        if time.time() - _mtime(partial) > STALE_PARTIAL_SECONDS:
            with contextlib.suppress(OSError):
                partial.unlink()
    sweep(root)


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


def _write_segment(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    rows_sql: str,
    stats: dict[str, FileStats],
    links: SegmentLinks,
) -> Segment:
    """Write the rows of ``rows_sql`` (those of the files of ``stats``) as a new segment, sorted,
    and link it for this hunt before it is published."""
    name = hashlib.blake2b(f"{loader_version()}\0{','.join(sorted(stats))}".encode(), digest_size=16)
    manifest = root / f"seg-{name.hexdigest()}.json"
    partial = temp_path(root, ".parquet")
    rows = sum(s.loaded for s in stats.values())
    try:
        with _insertion_order_kept(con):
            con.execute(
                f"COPY ({rows_sql} ORDER BY {SORT_ORDER}) TO {sql_string(str(partial))} "
                f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {_row_group_size(rows)})"
            )
        digest = _file_digest(partial)
        link = links.add(partial, manifest.with_suffix(".parquet").name)
        publish(partial, manifest.with_suffix(".parquet"), SEGMENT_MODE)
    finally:
        partial.unlink(missing_ok=True)
    meta = {
        "loader": loader_version(),
        "parquet_digest": digest,
        "files": {k: s.to_json() for k, s in stats.items()},
    }
    write_private(manifest, json.dumps(meta).encode())
    return Segment(manifest, stats, digest, link, tried=True)


def _rows(segment: Segment) -> int:
    return sum(s.loaded for s in segment.files.values())


def _compact(
    con: duckdb.DuckDBPyConnection, root: Path, used: list[Segment], links: SegmentLinks
) -> list[Segment]:
    """``used`` with its smallest segments merged into one when it holds more than
    ``MAX_SEGMENTS``: every detection reads every segment, each at a cost of its own, and hunts
    that each add a few new files would otherwise pile segments up. A merge stays within
    ``MERGE_ROWS``; the merged segments leave the cache (hunts reading them hold their own links)."""
    if len(used) <= MAX_SEGMENTS:
        return used
    merge = sorted(used, key=_rows)[: len(used) - MAX_SEGMENTS + 1]
    while len(merge) > 2 and sum(map(_rows, merge)) > MERGE_ROWS:
        merge.pop()
    if sum(map(_rows, merge)) > MERGE_ROWS:
        return used
    parquet = "[" + ", ".join(sql_string(str(s.link)) for s in merge) + "]"
    files = {key: file_stats for s in merge for key, file_stats in s.files.items()}
    merged = _write_segment(con, root, f"SELECT * FROM read_parquet({parquet})", files, links)
    for segment in merge:
        if segment.link:  # always: every used segment is linked
            links.drop(segment.link)
        _discard(segment.manifest)
    return [s for s in used if s not in merge] + [merged]


def open_links() -> SegmentLinks:
    """A new private folder of links for the segments one hunt reads (in the cache folder)."""
    return SegmentLinks(private_dir(cache_root()))


def _segment_parts(sources: list[SourceFile]) -> Iterator[list[SourceFile]]:
    """``sources`` in about ``PARTS`` runs of JSON text, each between ``MIN_SEGMENT_TEXT_BYTES``
    and ``SEGMENT_TEXT_BYTES`` (a larger file alone): each run is loaded, sorted and written as its
    own segment, so the table, its sort and the parquet writer hold one run's rows at a time."""
    total = sum(source.text_bytes for source in sources)
    budget = min(SEGMENT_TEXT_BYTES, max(MIN_SEGMENT_TEXT_BYTES, total // PARTS))
    part: list[SourceFile] = []
    size = 0
    for source in sources:
        if part and size + source.text_bytes > budget:
            yield part
            part, size = [], 0
        part.append(source)
        size += source.text_bytes
    if part:
        yield part


def _shifted(progress: ProgressCallback | None, files: int, events: int) -> ProgressCallback | None:
    """``progress`` for one batch, counting the files and events of the batches before it."""
    if progress is None:
        return None
    return lambda done, loaded: progress(files + done, events + loaded)


def _through_cache(
    con: duckdb.DuckDBPyConnection,
    sources: list[SourceFile],
    links: SegmentLinks,
    report: LoadReport,
    progress: ProgressCallback | None,
) -> tuple[dict[str, FileStats], bool]:
    """Link the segments holding ``sources``, parse the rest into a new segment (the table is
    dropped after); each file's stats, and whether the segments hold no file but ``sources``."""
    root = links.folder.parent
    stats: dict[str, FileStats] = {}
    picked: dict[Path, Segment] = {}
    segments = _segments(root, report)
    for source in sources:
        segment = next(
            (s for s in segments if source.key in s.files and _usable(con, s, links, report)), None
        )
        if segment is not None:
            stats[source.key] = segment.files[source.key]
            picked[segment.manifest] = segment
    used = list(picked.values())
    fresh = [s for s in sources if s.key not in stats]
    done = loaded = 0
    for part in _segment_parts(fresh):
        new = load_sources(con, part, TABLE_NAME, _shifted(progress, done, loaded))
        stats.update(new)
        done += len(part)
        loaded += sum(s.loaded for s in new.values())
        used.append(_write_segment(con, root, f"SELECT * EXCLUDE ({RAW_TIME}) FROM {TABLE_NAME}", new, links))
        create_table(con, TABLE_NAME)
    con.execute(f"DROP TABLE {TABLE_NAME}")
    used = _compact(con, root, used, links)
    _tidy(root, {s.manifest for s in used})
    report.files_from_cache = len(sources) - len(fresh)
    report.from_cache = not fresh
    keys = {s.key for s in sources}
    return stats, all(set(s.files) <= keys for s in used)


def load_cached(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    links: SegmentLinks | None,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    """Discover and load ``paths`` as the CloudTrail relation: through the parquet cache when
    ``links`` is given (a view over the segments linked there, see ``segment_view``), else parsed
    into a table (``--no-cache``)."""
    found = discover(paths)
    report = LoadReport(skipped=list(found.skipped))
    create_table(con, TABLE_NAME)
    hashed = hash_all(found.files, report)
    sources = list({s.key: s for _, s in hashed if s is not None}.values())
    keys = [s.key for s in sources]
    if links is None or not sources:
        account_files(report, hashed, load_sources(con, sources, TABLE_NAME, progress))
        finish(con, report, keys, TABLE_NAME)
        return report
    stats, every_file = _through_cache(con, sources, links, report, progress)
    account_files(report, hashed, stats)
    segment_view(con, TABLE_NAME, links.paths, keys, every_file, report)
    return report
