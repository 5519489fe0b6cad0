"""A parquet cache of loaded CloudTrail, keyed by the content of the input files.

A second hunt over the same files reads one parquet file instead of re-parsing JSON. Any change to
any file (content, added, removed) gives a new key, so a stale cache is never used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from trailhunt.ingest.cachedir import cache_dir
from trailhunt.ingest.discover import discover
from trailhunt.ingest.load import LoadReport, ProgressCallback, load_files, sql_string
from trailhunt.schema import TABLE_NAME

if TYPE_CHECKING:
    import duckdb

CACHE_FORMAT = "1"  # bump when the table layout or loader semantics change
CHUNK = 1 << 20


def cache_root() -> Path:
    """``$TRAILHUNT_CACHE/parquet`` or ``~/.cache/trailhunt/parquet``."""
    return cache_dir("parquet")


def content_key(files: list[Path]) -> str:
    """A digest over every file's path and bytes, plus the loader version."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(CACHE_FORMAT.encode())
    for path in sorted(files):
        digest.update(str(path.resolve()).encode() + b"\0")
        with path.open("rb") as stream:
            while block := stream.read(CHUNK):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def _paths(key: str) -> tuple[Path, Path]:
    root = cache_root()
    return root / f"{key}.parquet", root / f"{key}.json"


def restore(con: duckdb.DuckDBPyConnection, key: str, table: str = TABLE_NAME) -> LoadReport | None:
    """Load the cached table for ``key`` into ``table``; None when there is no usable entry."""
    data, meta = _paths(key)
    if not (data.is_file() and meta.is_file()):
        return None
    saved = json.loads(meta.read_text())
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_parquet(?)", [str(data)])
    return LoadReport(
        files_read=saved["files_read"],
        events=saved["events"],
        rejected=[(Path(p), why) for p, why in saved["rejected"]],
        from_cache=True,
    )


def store(con: duckdb.DuckDBPyConnection, key: str, report: LoadReport, table: str = TABLE_NAME) -> None:
    """Write ``table`` and its load report under ``key`` (atomically: temp names, then rename)."""
    data, meta = _paths(key)
    data.parent.mkdir(parents=True, exist_ok=True)
    partial = data.with_suffix(".parquet.part")
    con.execute(f"COPY {table} TO {sql_string(str(partial))} (FORMAT parquet, COMPRESSION zstd)")
    summary = asdict(report)
    summary["rejected"] = [(str(p), why) for p, why in report.rejected]
    summary.pop("skipped")
    meta.with_suffix(".part").write_text(json.dumps(summary))
    partial.replace(data)
    meta.with_suffix(".part").replace(meta)


def load_cached(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    progress: ProgressCallback | None = None,
    use_cache: bool = True,
) -> LoadReport:
    """Discover and load ``paths`` into the CloudTrail table, through the parquet cache."""
    found = discover(paths)
    key = content_key(found.files) if use_cache and found.files else None
    report = restore(con, key) if key else None
    if report is None:
        report = load_files(con, found.files, progress=progress)
        if key:
            store(con, key, report)
    report.skipped.extend(found.skipped)
    return report
