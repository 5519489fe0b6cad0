"""The ``Engine`` protocol: run one rendered SELECT, report rows, bytes scanned, time and errors.

DuckDB (``engines.duckdb``), Athena (``engines.athena``) and Trino (``engines.trino``) implement
it; ``hunt.run_hunt`` is the one loop over it. Every engine refuses, right before sending, any text
that is not a single SELECT (``ensure_select``): detections are SELECT-only at run time, not only
in ``validate``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from trailhunt.problems import first_line

if TYPE_CHECKING:
    from trailhunt.render.window import Window

Render = Callable[["Window"], str]  # a statement's Athena text for a given window

Row = dict[str, Any]
Target = Literal["athena", "trino", "duckdb"]
# SUCCEEDED, FAILED (the engine ran it and failed), CANCELLED, ERROR (never started),
# SKIPPED (the hunt's byte budget was spent), REFUSED (not a single SELECT, or over --max-bytes)
State = str
_WRITES = (exp.DML, exp.DDL, exp.Command, exp.Copy, exp.Set, exp.Attach, exp.Detach, exp.Use, exp.Pragma)


@dataclass
class QueryOutcome:
    """What one statement did on an engine."""

    label: str  # the detection id, or "baseline"
    rows: list[Row] = field(default_factory=list)
    state: State = "SUCCEEDED"
    bytes_scanned: int = 0
    elapsed_ms: int = 0
    query_id: str | None = None
    reason: str | None = None
    cost_usd: float = 0.0

    @property
    def ok(self) -> bool:
        """The statement ran to the end and its rows are complete."""
        return self.state == "SUCCEEDED"


@dataclass(frozen=True)
class Limits:
    """The cost guard: bytes one query may scan, and bytes the whole hunt may scan."""

    max_bytes: int | None = None
    max_total_bytes: int | None = None


class Engine(Protocol):
    """Something that runs one rendered (Athena-dialect) SELECT at a time."""

    name: str
    target: Target  # the render target: which macros' dispatch the SQL is rendered for
    table: str  # the CloudTrail table the SQL reads
    concurrency: int  # statements the hunt loop may run at once

    def statement(self, render: Render, window: Window, label: str) -> str:
        """The text ``run`` takes for the statement ``render`` writes for ``window``: where the
        engine translates, it prepares the translation here (DuckDB reuses one for every window)."""
        ...

    def run(self, sql: str, label: str) -> QueryOutcome:
        """Run one statement; failures are an outcome, never an exception."""
        ...

    def spent(self) -> int:
        """Bytes scanned so far by this engine's statements (running ones included where known)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class SendsRenderedText:
    """For engines that run the Athena text as rendered (Athena, Trino)."""

    def statement(self, render: Render, window: Window, label: str) -> str:
        """``render(window)``, sent as it is."""
        return render(window)


class NotSelectError(Exception):
    """The text is not one SELECT; it is never sent."""


def ensure_select(sql: str, dialect: str) -> None:
    """Raise ``NotSelectError`` unless ``sql`` parses (in ``dialect``) as exactly one query
    (SELECT, WITH ... SELECT, UNION ...) holding no write, DDL, COPY, SET, ATTACH or PRAGMA."""
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except SqlglotError as error:
        raise NotSelectError(f"refused: not parseable as one SELECT ({first_line(error)})") from error
    if len(statements) != 1:
        raise NotSelectError(f"refused: {len(statements)} statements, detections are one SELECT")
    statement = statements[0]
    if not isinstance(statement, exp.Query):
        raise NotSelectError(f"refused: {statement.key.upper()} statement, detections are SELECT-only")
    bad = next((n for n in statement.walk() if isinstance(n, _WRITES)), None)
    if bad is not None:
        raise NotSelectError(f"refused: {bad.key.upper()} inside the query, detections are SELECT-only")


def refused(label: str, reason: str) -> QueryOutcome:
    """The outcome of a statement that was never sent."""
    return QueryOutcome(label, state="REFUSED", reason=reason)


def parse_size(text: str) -> int:
    """``20G``, ``500MB``, ``1.5T``, ``953.6 MiB`` (as DuckDB shows a setting) or plain bytes as a byte
    count (ValueError otherwise)."""
    units = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    clean = text.strip().upper().removesuffix("B").removesuffix("I").strip()
    factor = units.get(clean[-1:], 1)
    try:
        return int(float(clean[:-1] if clean[-1:] in units else clean) * factor)
    except ValueError:
        raise ValueError(f"{text!r} is not a size; use e.g. 500M, 20G or 1T") from None
