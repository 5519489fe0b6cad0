"""An incremental parquet cache of loaded CloudTrail, rows tagged by source file (``segments``).

A hunt hashes its files, takes every file it can from existing segments and parses the rest in a
few runs, each sorted into a new segment. Yesterday's logs plus one new hour parse only the new
hour. The hunt then reads the segments in place (``segment_view``), through links of its own
(``links``): nothing is copied back into memory.

The cache is not trusted: a segment is read only when its manifest names the current loader
version and the digest of the hunt's link to it matches; anything else is discarded with a warning
and rebuilt. Folders are 0700, manifests 0600 and segments 0400, written under unique names and
renamed atomically, and the least recently used segments are evicted beyond a size cap.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from trailhunt.ingest.cachedir import cache_dir, evict, max_bytes, mtime, private_dir
from trailhunt.ingest.discover import discover
from trailhunt.ingest.links import SegmentLinks, sweep
from trailhunt.ingest.load import (
    LoadReport,
    ProgressCallback,
    account_files,
    create_table,
    finish,
    load_sources,
    memory_limit,
)
from trailhunt.ingest.load_report import FileStats
from trailhunt.ingest.segment_view import segment_view
from trailhunt.ingest.segments import Segment, compact, existing, parse_segment, usable, write_segment
from trailhunt.ingest.sources import SourceFile, distinct, hash_all
from trailhunt.schema import TABLE_NAME

if TYPE_CHECKING:
    import duckdb

# JSON text per segment: at most 256 MB (about 1.5 kB an event: 170k events, whose sort and parquet
# write stay well inside the default 1 GB memory limit), and at most a quarter of a smaller limit;
# a smaller load is split in about PARTS runs, of at least 16 MB, so its peak falls with it (a run's
# parse and sort peak at about 3.5 times its text: 100k events in 6 runs peak at 278 MiB, in 4 at
# 319 MiB, for 1.03-1.04 times the time).
SEGMENT_TEXT_BYTES, MIN_SEGMENT_TEXT_BYTES, PARTS = 256 * 1024 * 1024, 16 * 1024 * 1024, 6
LIMIT_PER_TEXT_BYTE = 4
STALE_PARTIAL_SECONDS = 3600  # a temp file this old belongs to a run that died


def cache_root() -> Path:
    """``$TRAILHUNT_CACHE/parquet`` or ``~/.cache/trailhunt/parquet``."""
    return cache_dir("parquet")


def _tidy(root: Path, used: set[Path]) -> None:
    """Mark the segments used now, evict beyond the size cap, drop what crashed runs left behind."""
    for manifest in used:
        with contextlib.suppress(OSError):
            os.utime(manifest)
    entries = [(m, [m, m.with_suffix(".parquet")]) for m in root.glob("seg-*.json")]
    evict(entries, used, max_bytes())
    for partial in root.glob(".part-*"):
        if time.time() - mtime(partial) > STALE_PARTIAL_SECONDS:
            with contextlib.suppress(OSError):
                partial.unlink()
    sweep(root)


def open_links() -> SegmentLinks:
    """A new private folder of links for the segments one hunt reads (in the cache folder)."""
    return SegmentLinks(private_dir(cache_root()))


def _segment_parts(sources: list[SourceFile], limit: int | None = None) -> Iterator[list[SourceFile]]:
    """``sources`` in about ``PARTS`` runs of JSON text, each between ``MIN_SEGMENT_TEXT_BYTES``
    and ``SEGMENT_TEXT_BYTES`` or a quarter of the memory ``limit`` (a larger file alone): each run
    is parsed, sorted and written as its own segment, so the sort and the parquet writer hold one
    run's rows at a time."""
    total = sum(source.text_bytes for source in sources)
    most = SEGMENT_TEXT_BYTES if limit is None else min(SEGMENT_TEXT_BYTES, limit // LIMIT_PER_TEXT_BYTE)
    budget = min(most, max(MIN_SEGMENT_TEXT_BYTES, total // PARTS))
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
    """Link the segments holding ``sources``, parse the rest into new segments (straight from the
    JSON, or through the table when some file needs the tolerant reader); each file's stats, and
    whether the segments hold no file but ``sources``."""
    root = links.folder.parent
    stats: dict[str, FileStats] = {}
    picked: dict[Path, Segment] = {}
    segments = existing(root, report)
    for source in sources:
        segment = next((s for s in segments if source.key in s.files and usable(con, s, links, report)), None)
        if segment is not None:
            stats[source.key] = segment.files[source.key]
            picked[segment.manifest] = segment
    used = list(picked.values())
    fresh = [s for s in sources if s.key not in stats]
    done = loaded = 0
    for part in _segment_parts(fresh, memory_limit(con)):
        segment = parse_segment(con, root, part, links)
        if segment is None:
            new = load_sources(con, part, TABLE_NAME, _shifted(progress, done, loaded))
            segment = write_segment(con, root, f"SELECT * FROM {TABLE_NAME}", new, links)
            create_table(con, TABLE_NAME)
        elif progress:
            progress(done + len(part), loaded + segment.rows)
        stats.update(segment.files)
        used.append(segment)
        done += len(part)
        loaded += segment.rows
    con.execute(f"DROP TABLE {TABLE_NAME}")
    used = compact(con, root, used, links)
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
    sources = distinct(hashed)
    keys = [s.key for s in sources]
    if links is None or not sources:
        account_files(report, hashed, load_sources(con, sources, TABLE_NAME, progress))
        finish(con, report, keys, TABLE_NAME)
        return report
    stats, every_file = _through_cache(con, sources, links, report, progress)
    account_files(report, hashed, stats)
    segment_view(con, TABLE_NAME, links.paths, keys, every_file, report)
    return report
