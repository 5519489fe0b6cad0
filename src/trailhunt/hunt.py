"""A local hunt: load CloudTrail files into DuckDB, measure the baseline, run every detection over one
table, collect findings.

The default window is all the data given; baselines look back from the data's own timestamps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from trailhunt import sqlcache
from trailhunt.cache import load_cached
from trailhunt.cachedir import cache_dir
from trailhunt.context import AccountContext
from trailhunt.detection import Detection
from trailhunt.duckdb_engine import connect, fetch
from trailhunt.findings import Finding, finding_from_row
from trailhunt.ingest import LoadReport, ProgressCallback
from trailhunt.problems import Problem, ProblemError
from trailhunt.render import Renderer, RenderOptions
from trailhunt.report.baseline import Baseline, compute_baseline
from trailhunt.window import Window, parse_time
from trailhunt.windowless import translate_detection  # issue 17 (translate)

if TYPE_CHECKING:
    import duckdb

DEFAULT_MEMORY_LIMIT = "1GB"  # DuckDB spills to disk beyond this, so peak memory stays bounded


@dataclass
class HuntResult:
    """Everything a hunt produced, for the report."""

    load: LoadReport
    window: Window | None
    context: AccountContext
    findings: list[Finding] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (detection id, reason)
    detections_run: int = 0
    baseline: Baseline | None = None


def data_window(
    con: duckdb.DuckDBPyConnection, since: datetime | None, until: datetime | None
) -> Window | None:
    """The hunt window: the given bounds, else the span of the loaded events (None when empty)."""
    first, last = con.execute("SELECT min(eventtime), max(eventtime) FROM cloudtrail").fetchone() or (
        None,
        None,
    )
    if first is None and since is None:
        return None
    start = since or parse_time(first)
    end = until or (parse_time(last) + timedelta(seconds=1) if last else start + timedelta(seconds=1))
    return Window(start, end)


def run_detections(
    con: duckdb.DuckDBPyConnection,
    renderer: Renderer,
    detections: list[Detection],
    options: RenderOptions,
    on_done: Callable[[Detection], None] | None = None,
) -> tuple[list[Finding], list[tuple[str, str]]]:
    """Run each detection on the loaded table; a failing detection is reported, the rest still run."""
    import duckdb

    findings: list[Finding] = []
    errors: list[tuple[str, str]] = []
    for detection in detections:
        try:
            rows = fetch(con, translate_detection(renderer, detection, options).duckdb_sql)  # issue 17
            findings.extend(finding_from_row(detection, row) for row in rows)
        except (ProblemError, duckdb.Error) as error:
            errors.append((detection.id, str(error).strip().splitlines()[0]))
        if on_done:
            on_done(detection)
    return findings, errors


def hunt(
    paths: list[Path],
    renderer: Renderer,
    detections: list[Detection],
    context: AccountContext,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: ProgressCallback | None = None,
    use_cache: bool = True,
    on_detection: Callable[[Detection], None] | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
) -> HuntResult:
    """Hunt over CloudTrail files with DuckDB (through the parquet cache unless ``use_cache`` is off)."""
    import duckdb

    con = connect(memory_limit=memory_limit, spill_dir=cache_dir("spill"))
    translation_cache = sqlcache.ENABLED.set(use_cache)  # --no-cache bypasses every cache
    try:
        try:
            report = load_cached(con, paths, progress=progress, use_cache=use_cache)
        except duckdb.OutOfMemoryException as error:
            message = f"out of memory while loading logs with a {memory_limit} memory limit ({error}); raise --memory-limit"
            raise ProblemError([Problem("LOAD001", message)]) from error
        window = data_window(con, since, until)
        result = HuntResult(report, window, context)
        if window is None:
            return result
        try:
            result.baseline = compute_baseline(con, renderer, context, window)
        except (ProblemError, duckdb.Error) as error:  # the report goes on without its framing
            result.errors.append(("baseline", str(error).strip().splitlines()[0]))
        options = RenderOptions(context=context, window=window, target="duckdb")
        result.findings, errors = run_detections(con, renderer, detections, options, on_detection)
        result.errors.extend(errors)
        result.detections_run = len(detections)
        return result
    finally:
        sqlcache.ENABLED.reset(translation_cache)
        con.close()
