"""The hunt report: a hunt's result turned into baseline, ranked findings, candidates, drafts, runbook.

Every renderer (terminal, Markdown, JSON lines, HTML) prints the same ``Report``; none of them
computes anything of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from trailhunt.baseline import EXPECTED_NOISE, Baseline
from trailhunt.findings import Finding
from trailhunt.render.renderer import Renderer
from trailhunt.report import scoring
from trailhunt.report.correlate import DEFAULT_GAP, SUSPICIOUS, Candidate, correlate, tactic_of
from trailhunt.report.drafts import Draft, drafts
from trailhunt.report.runbook import Runbook, runbook
from trailhunt.report.story import expected_reason
from trailhunt.result import HuntResult

MAX_RUNBOOKS = 5


@dataclass(frozen=True)
class RankedFinding:
    """A finding with its place in the report."""

    rank: int
    finding: Finding
    score: float
    principal_class: str
    candidate: Candidate
    other_tactics: int

    @property
    def expected(self) -> str | None:
        """Why this finding is a known human doing something expected, or None."""
        return expected_reason(self.finding, self.principal_class)

    @property
    def notes(self) -> list[str]:
        """Why the score moved from severity x confidence (fixed wording, no log text). The
        candidate's other tactics are shown once per candidate, not here."""
        notes = []
        if self.principal_class in EXPECTED_NOISE:
            notes.append(f"{self.principal_class}: ranked down")
        if self.expected:
            notes.append(f"{self.expected}: ranked down")
        if self.finding.kind == "attempt":
            notes.append("failed attempt")
        return notes


@dataclass
class Report:
    """Everything the renderers print, in report order."""

    result: HuntResult
    baseline: Baseline | None
    findings: list[RankedFinding] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    runbooks: list[Runbook] = field(default_factory=list)
    catalog: str = ""  # which catalogue ran (``Project.description``)

    @property
    def no_baseline(self) -> str:
        """Why there is no baseline framing."""
        if self.result.window is None:
            return "No events in the window."
        return "The baseline query failed (see Problems); findings are unaffected."

    @property
    def window_label(self) -> str:
        """The hunt window as ``YYYY-MM-DD HH:MM – YYYY-MM-DD HH:MM UTC``, or ``no events``."""
        window = self.result.window
        return f"{window.start:%Y-%m-%d %H:%M} – {window.end:%Y-%m-%d %H:%M} UTC" if window else "no events"

    @property
    def escalations(self) -> int:
        """How many incident candidates rank above "suspicious"."""
        return sum(c.level.rank > SUSPICIOUS.rank for c in self.candidates)

    def fails(self, threshold: str | None) -> bool:
        """True when a finding is at least ``threshold`` severe (``--fail-on``)."""
        return threshold is not None and any(
            scoring.at_least(r.finding.detection.meta.severity, threshold) for r in self.findings
        )


def _classes(findings: list[Finding], baseline: Baseline | None) -> dict[str, str]:
    principals = {f.principal_arn or "?" for f in findings}
    return {p: baseline.class_of(p) if baseline else "unknown" for p in principals}


def _score_candidates(candidates: list[Candidate]) -> dict[int, tuple[float, int]]:
    """(score, other tactics) per finding, keyed by ``id(finding)``; sets each candidate's score
    (what the actor achieved first, then the evidence; see ``scoring.candidate_score``)."""
    scores: dict[int, tuple[float, int]] = {}
    for candidate in candidates:
        tactics = set(candidate.tactics)
        best: dict[str, float] = {}
        for f in candidate.findings:
            cls = candidate.classes.get(f.principal_arn or "?", "unknown")
            other = len(tactics - {tactic_of(f)})
            value = scoring.score(
                f.confidence, f.detection.meta.severity, cls, other, expected_reason(f, cls)
            )
            scores[id(f)] = (value, other)
            best[f.detection.id] = max(best.get(f.detection.id, 0.0), value)
        held = candidate.expected_noise or candidate.expected_human
        candidate.score = scoring.candidate_score(candidate.story.points, sum(best.values()), held)
    return scores


def build_report(
    result: HuntResult,
    renderer: Renderer,
    gap: timedelta = DEFAULT_GAP,
    max_drafts: int = 5,
    max_runbooks: int = MAX_RUNBOOKS,
) -> Report:
    """Rank, correlate and explain a hunt's findings."""
    report = Report(result, result.baseline, catalog=renderer.project.description)
    classes = _classes(result.findings, result.baseline)
    candidates = correlate(result.findings, classes, gap, result.baseline)
    scores = _score_candidates(candidates)
    candidates.sort(key=lambda c: (-c.level.rank, -c.score, c.first_seen, c.detection_ids))
    for number, candidate in enumerate(candidates, 1):
        candidate.id = f"C{number}"
    order = {id(c): n for n, c in enumerate(candidates)}
    placed = [(f, c) for c in candidates for f in c.findings]
    placed.sort(
        key=lambda fc: (
            -scores[id(fc[0])][0],
            order[id(fc[1])],
            fc[0].first_seen,
            fc[0].detection.id,
            fc[0].event_id or "",
        )
    )
    report.findings = [
        RankedFinding(rank, f, scores[id(f)][0], classes[f.principal_arn or "?"], c, scores[id(f)][1])
        for rank, (f, c) in enumerate(placed, 1)
    ]
    report.candidates = candidates
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.detection.id] = counts.get(f.detection.id, 0) + 1
    ranked_detections = [r.finding.detection for r in report.findings]
    report.drafts = drafts(renderer, ranked_detections, counts, result.context, result.window, max_drafts)
    worth = [c for c in candidates if c.level.rank >= SUSPICIOUS.rank] or candidates[:1]
    report.runbooks = [runbook(c) for c in worth[:max_runbooks]]
    return report
