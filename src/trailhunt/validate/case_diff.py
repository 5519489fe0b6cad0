"""Test case results for a person: a line per case, and what a failing one expected and got."""

from __future__ import annotations

from typing import Any

from trailhunt.escape import for_terminal
from trailhunt.report.labels import plural
from trailhunt.validate.fixtures import CaseResult

MAX_ROWS = 10
DEFAULT_COLUMNS = ("event_name", "principal_arn", "event_time")


def _columns(result: CaseResult) -> list[str]:
    """The columns the case names (the ones compared), else a few contract columns."""
    expect = result.case.expect
    named = list(dict.fromkeys(k for row in expect for k in row)) if isinstance(expect, list) else []
    return named or [c for c in DEFAULT_COLUMNS if not result.rows or c in result.rows[0]]


def _row(row: dict[str, Any], columns: list[str]) -> str:
    return "{" + ", ".join(f"{c}: {for_terminal(row.get(c), 80)}" for c in columns) + "}"


def expected_vs_actual(result: CaseResult) -> list[str]:
    """``expected:`` and ``actual:`` blocks, rows shown on the compared columns only."""
    columns = _columns(result)
    expect = result.case.expect
    lines = ["expected:"]
    if isinstance(expect, int):
        lines.append(f"  {plural(expect, 'row')}")
    else:
        lines += [f"  {_row(row, list(row))}" for row in expect]
    lines.append(f"actual ({plural(len(result.rows), 'row')}, on {', '.join(columns)}):")
    lines += [f"  {_row(row, columns)}" for row in result.rows[:MAX_ROWS]]
    if len(result.rows) > MAX_ROWS:
        lines.append(f"  … {len(result.rows) - MAX_ROWS} more")
    return lines


def case_report(results: list[CaseResult]) -> list[str]:
    """``test``'s output: PASS/FAIL per case, a failure's reasons and rows indented, then the counts."""
    lines = []
    for result in results:
        lines.append(f"{'PASS' if result.passed else 'FAIL'} {result.full_id}")
        details = [] if result.passed else [*result.failures, *expected_vs_actual(result)]
        lines += [f"     {for_terminal(line)}" for line in details]
    failed = sum(not r.passed for r in results)
    return [*lines, f"{len(results) - failed} passed, {failed} failed"]
