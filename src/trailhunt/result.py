"""What a hunt produced, on any engine: load report, window, findings, errors, baseline, query outcomes.

It sits below both the engines and the hunt loop, so the report can read it without knowing
which engine ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trailhunt.baseline import Baseline
from trailhunt.engines.base import QueryOutcome
from trailhunt.findings import Finding
from trailhunt.ingest.load import LoadReport
from trailhunt.render.context import AccountContext
from trailhunt.render.window import Window


@dataclass
class HuntResult:
    """Everything a hunt produced, for the report."""

    load: LoadReport
    window: Window | None
    context: AccountContext
    findings: list[Finding] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (detection id or "baseline", reason)
    detections_run: int = 0
    baseline: Baseline | None = None
    queries: list[QueryOutcome] = field(default_factory=list)  # one per statement sent or refused
    engine: str = "duckdb"

    @property
    def bytes_scanned(self) -> int:
        """Bytes scanned by every statement of the hunt."""
        return sum(q.bytes_scanned for q in self.queries)

    @property
    def cost_usd(self) -> float:
        """Estimated cost of the hunt (Athena pricing; 0 elsewhere)."""
        return sum(q.cost_usd for q in self.queries)
