"""The one hunt loop, for every engine: render → engine → findings, plus the baseline.

``run_hunt`` renders each detection for the engine's target, sends it (the engine refuses anything
but one SELECT), turns rows into findings and failures into errors, and measures the baseline with
the same engine. The cost guard's hunt-wide budget (``Limits.max_total_bytes``) is enforced here,
so it holds on DuckDB, Athena and Trino alike; the per-query limit is each engine's.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from trailhunt.baseline import baseline_from_rows, baseline_sql
from trailhunt.catalog.detection import Detection
from trailhunt.engines.base import Engine, Limits, QueryOutcome
from trailhunt.engines.duckdb import DEFAULT_MEMORY_LIMIT, DuckDBEngine
from trailhunt.findings import finding_from_row
from trailhunt.ingest.cachedir import bypassed
from trailhunt.ingest.load import LoadReport, ProgressCallback
from trailhunt.problems import ProblemError, first_line
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Window
from trailhunt.result import HuntResult

OnDetection = Callable[[Detection], None]


def _guarded(engine: Engine, limits: Limits, sql: str, label: str) -> QueryOutcome:
    """Run one statement unless the hunt's byte budget is already spent."""
    if limits.max_total_bytes is not None and engine.spent() >= limits.max_total_bytes:
        return QueryOutcome(
            label, state="SKIPPED", reason=f"--max-total-bytes {limits.max_total_bytes} reached"
        )
    return engine.run(sql, label)


def _baseline(engine: Engine, renderer: Renderer, result: HuntResult, limits: Limits) -> None:
    """Measure the baseline with the hunt's engine; on failure the report goes on without it."""
    assert result.window is not None
    try:
        athena = baseline_sql(renderer, result.context, result.window, table=engine.table)
        sql = engine.statement(
            lambda window: baseline_sql(renderer, result.context, window, engine.target, engine.table),
            result.window,
            "baseline",
        )
    except ProblemError as error:
        result.errors.append(("baseline", first_line(error)))
        return
    outcome = _guarded(engine, limits, sql, "baseline")
    result.queries.append(outcome)
    if outcome.ok:
        result.baseline = baseline_from_rows(athena, result.context, outcome.rows)
    else:
        result.errors.append(("baseline", f"{outcome.state}: {outcome.reason or 'no reason given'}"))


def run_hunt(
    engine: Engine,
    renderer: Renderer,
    detections: list[Detection],
    context: AccountContext,
    window: Window | None,
    limits: Limits | None = None,
    load: LoadReport | None = None,
    on_detection: OnDetection | None = None,
) -> HuntResult:
    """Run ``detections`` over ``window`` on ``engine``; a failing detection is reported, the rest run.

    A ``None`` window means there is no data: nothing runs.
    """
    limits = limits or Limits()
    result = HuntResult(load or LoadReport(), window, context, engine=engine.name)
    if window is None:
        return result
    _baseline(engine, renderer, result, limits)
    options = RenderOptions(context=context, window=window, target=engine.target, table=engine.table)

    def one(detection: Detection) -> QueryOutcome:
        try:
            sql = engine.statement(
                lambda window: renderer.render(detection, replace(options, window=window)),
                options.window,
                detection.id,
            )
        except ProblemError as error:
            return QueryOutcome(detection.id, state="ERROR", reason=first_line(error))
        return _guarded(engine, limits, sql, detection.id)

    with ThreadPoolExecutor(max_workers=max(1, engine.concurrency)) as pool:
        # each worker runs in a copy of this context, so ``--no-cache`` (a context variable) holds there
        futures = (
            [(d, pool.submit(copy_context().run, one, d)) for d in detections]
            if engine.concurrency > 1
            else []
        )
        for index, detection in enumerate(detections):
            outcome = futures[index][1].result() if futures else one(detection)
            result.queries.append(outcome)
            if outcome.ok:
                result.findings.extend(finding_from_row(detection, row) for row in outcome.rows)
                result.detections_run += 1
            else:
                result.errors.append(
                    (detection.id, f"{outcome.state}: {outcome.reason or 'no reason given'}")
                )
            if on_detection:
                on_detection(detection)
    return result


def hunt(
    paths: list[Path],
    renderer: Renderer,
    detections: list[Detection],
    context: AccountContext,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: ProgressCallback | None = None,
    use_cache: bool = True,
    on_detection: OnDetection | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    limits: Limits | None = None,
) -> HuntResult:
    """A local hunt: load CloudTrail files into DuckDB (window: the data's own span unless given),
    then ``run_hunt`` on it."""
    limits = limits or Limits()
    with bypassed(not use_cache):  # --no-cache: no parquet, no translation cache
        engine, load = DuckDBEngine.load(paths, memory_limit, use_cache, progress, limits.max_bytes)
        try:
            window = engine.data_window(since, until)
            return run_hunt(engine, renderer, detections, context, window, limits, load, on_detection)
        finally:
            engine.close()
