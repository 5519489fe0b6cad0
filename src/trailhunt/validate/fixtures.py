"""Run a detection's test cases: load the fixture into DuckDB, render, execute, compare."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from trailhunt.catalog.detection import Detection, TestCase
from trailhunt.engines.duckdb import connect, lock_down, query
from trailhunt.fidelity.windowless import Translation, translate_rendered
from trailhunt.ingest.load import load_files
from trailhunt.problems import ProblemError, first_line
from trailhunt.render.context import load_context
from trailhunt.render.renderer import Renderer, RenderOptions


@dataclass
class CaseResult:
    """The outcome of one test case, with what a human needs to see why it failed."""

    detection: Detection
    case: TestCase
    case_id: str
    sql: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """No failure was recorded."""
        return not self.failures

    @property
    def full_id(self) -> str:
        """``detection::case``."""
        return f"{self.detection.id}::{self.case_id}"


def _compare(case: TestCase, rows: list[dict[str, Any]]) -> list[str]:
    failures = []
    if len(rows) != case.expected_count:
        failures.append(f"expected {case.expected_count} row(s), got {len(rows)}")
    if isinstance(case.expect, list):
        remaining = list(rows)
        for expected in case.expect:
            match = next(
                (r for r in remaining if all(str(r.get(k)) == str(v) for k, v in expected.items())), None
            )
            if match is None:
                failures.append(f"no row matches {expected}")
            else:
                remaining.remove(match)
        unknown = {k for e in case.expect for k in e} - (set(rows[0]) if rows else set())
        if rows and unknown:
            failures.append(f"expected columns not in the result: {', '.join(sorted(unknown))}")
    return failures


def case_options(renderer: Renderer, case: TestCase) -> RenderOptions:
    """Render options for a case: its context (if any) and parameter overrides."""
    context_path = renderer.project.fixtures / case.context if case.context else None
    return RenderOptions(context=load_context(context_path), target="duckdb", params=dict(case.params))


def run_case(renderer: Renderer, detection: Detection, index: int) -> CaseResult:
    """Run test case ``index`` of ``detection`` on an in-memory DuckDB (locked down once loaded);
    a render or query error is the case's failure, in one line."""
    import duckdb

    case = detection.meta.tests[index]
    result = CaseResult(detection, case, case.case_id(index))
    con = connect()
    try:
        report = load_files(con, [renderer.project.fixtures / case.fixture])
        if report.rejected:
            result.failures.extend(f"fixture rejected: {p}: {why}" for p, why in report.rejected)
            return result
        lock_down(con)
        translation = translate_detection(renderer, detection, case_options(renderer, case))
        result.sql = translation.athena_sql
        result.rows = query(con, result.sql, detection.id, translation.duckdb_sql)
    except (ProblemError, duckdb.Error) as error:
        result.failures.append(f"query failed: {first_line(error)}")
        return result
    finally:
        con.close()
    result.failures.extend(_compare(case, result.rows))
    return result


def translate_detection(renderer: Renderer, detection: Detection, options: RenderOptions) -> Translation:
    """``detection`` for ``options``, translated to DuckDB the way hunts do (window-independent)."""
    return translate_rendered(
        lambda window: renderer.render(detection, replace(options, window=window)),
        options.window,
        detection.id,
    )
