"""Incident candidates: findings grouped by who acted and when, worded by independent evidence.

Findings are joined into actors (``actors``: shared principal, access key, or an identity one
of them created) and an actor's findings split into separate candidates where nothing happened
for ``gap``. Each candidate gets its story, level and checklist here.

The wording never outruns the evidence: one event is at most a lead, however many detections it
trips; see ``assess`` and docs/report.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import combinations

from trailhunt.baseline import EXPECTED_NOISE, Baseline, Tally
from trailhunt.catalog.attack import DEFENSE_IMPAIRMENT, TACTIC_ORDER, tactic_names
from trailhunt.findings import Finding
from trailhunt.render.window import parse_time
from trailhunt.report.actors import by_time, link_actors, split_by_time
from trailhunt.report.checklist import Signal, checklist
from trailhunt.report.labels import plural
from trailhunt.report.story import Story, all_expected, story_of

DEFAULT_GAP = timedelta(hours=6)
ESCALATION_WINDOW = timedelta(hours=1)
# Tactics where two independent hits from one actor within an hour call for escalation.
ESCALATING = frozenset(
    {"persistence", "privilege-escalation", "defense-evasion", "credential-access", "exfiltration", "impact"}
)


@dataclass(frozen=True)
class Level:
    """How strongly a candidate's evidence points at an intrusion."""

    rank: int
    label: str
    meaning: str


LEAD = Level(1, "lead", "a single signal: review it; on its own it is not an incident")
SUSPICIOUS = Level(2, "suspicious", "related signals from one actor, not yet independent evidence")
ESCALATION = Level(3, "escalation candidate", "independent tactics from one actor close in time: escalate")
PROBABLE = Level(4, "probable compromise", "three or more independent tactics with high-confidence evidence")


@dataclass(eq=False)
class Candidate:
    """Findings from one actor within one stretch of time (compared by identity)."""

    findings: list[Finding]
    classes: dict[str, str]  # principal ARN -> principal class
    id: str = ""
    level: Level = LEAD
    reasons: list[str] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    score: float = 0.0
    activity: list[Tally] = field(default_factory=list)  # the principals' API calls in the window
    story: Story = field(default_factory=Story)

    @property
    def principals(self) -> list[str]:
        """Principal ARNs, in order of first finding."""
        return list(dict.fromkeys(f.principal_arn or "?" for f in by_time(self.findings)))

    @property
    def access_keys(self) -> list[str]:
        """Access key ids used, in order of first finding."""
        return list(dict.fromkeys(f.access_key_id for f in by_time(self.findings) if f.access_key_id))

    @property
    def source_ips(self) -> Counter[str]:
        """Source IPs (or AWS service names) and how many findings came from each."""
        return Counter(f.source_ip for f in self.findings if f.source_ip)

    @property
    def user_agents(self) -> Counter[str]:
        """User agents and how many findings carried each."""
        return Counter(f.user_agent for f in self.findings if f.user_agent)

    @property
    def tactics(self) -> list[str]:
        """Tactics seen (defense impairment counted as defense evasion), in ATT&CK order."""
        seen = {tactic_of(f) for f in self.findings}
        return [t for t in TACTIC_ORDER if t in seen] + sorted(seen - set(TACTIC_ORDER))

    @property
    def detection_ids(self) -> list[str]:
        """Detections that fired, in order of first finding."""
        return list(dict.fromkeys(f.detection.id for f in by_time(self.findings)))

    @property
    def first_seen(self) -> str:
        """Earliest event time of any finding."""
        return min(f.first_seen for f in self.findings)

    @property
    def last_seen(self) -> str:
        """Latest event time of any finding."""
        return max(f.last_seen for f in self.findings)

    @property
    def independent(self) -> int:
        """Independent evidence: distinct tactics, but never more than the distinct events behind them."""
        return min(len(self.tactics), len({_event_key(f) for f in self.findings}))

    @property
    def expected_noise(self) -> bool:
        """Every principal is automation or an AWS service per the context."""
        return all(self.classes.get(p, "unknown") in EXPECTED_NOISE for p in self.principals)

    @property
    def expected_human(self) -> bool:
        """Every finding is a known human doing something expected (root signing in with MFA)."""
        return all_expected(self.findings, self.classes)

    @property
    def seen(self) -> list[Signal]:
        """Corroborating signals whose evidence is in the data."""
        return [s for s in self.signals if s.status == "seen"]

    @property
    def needed(self) -> list[Signal]:
        """Corroborating signals CloudTrail could show but did not: what to check before escalating."""
        return [s for s in self.signals if s.status == "check"]

    @property
    def elsewhere(self) -> list[Signal]:
        """Corroborating signals only visible outside CloudTrail (never ticked here)."""
        return [s for s in self.signals if s.status == "elsewhere"]


def tactic_of(finding: Finding) -> str:
    """The finding's tactic for counting independent evidence."""
    tactic = finding.detection.tactic
    return "defense-evasion" if tactic == DEFENSE_IMPAIRMENT else tactic


def _event_key(finding: Finding) -> str:
    return finding.event_id or f"{finding.detection.id}@{finding.first_seen}"


def _escalation_pair(findings: list[Finding]) -> tuple[Finding, Finding] | None:
    """Two findings from different events and escalating tactics, at most an hour apart."""
    hits = [f for f in by_time(findings) if tactic_of(f) in ESCALATING]
    for a, b in combinations(hits, 2):
        if tactic_of(a) == tactic_of(b) or _event_key(a) == _event_key(b):
            continue
        if abs(parse_time(b.first_seen) - parse_time(a.last_seen)) <= ESCALATION_WINDOW:
            return a, b
    return None


def _names(tactics: list[str]) -> str:
    return ", ".join(tactic_names().get(t, t) for t in tactics)


def assess(candidate: Candidate) -> tuple[Level, list[str]]:
    """The candidate's level and the reasons for it, in words a reviewer can check."""
    events = len({_event_key(f) for f in candidate.findings})
    detections = len(candidate.detection_ids)
    independent = candidate.independent
    high = any(f.confidence == "high" for f in candidate.findings)
    reasons = [
        f"{plural(len(candidate.tactics), 'tactic')} from "
        f"{plural(events, 'event')} and {plural(detections, 'detection')}: "
        f"{plural(independent, 'independent signal')}"
    ]
    activity = candidate.story.activity
    escalating = any(tactic_of(f) in ESCALATING for f in candidate.findings)
    if activity:
        reasons.append("the same actor's other calls in the data: " + "; ".join(activity))
    pair = _escalation_pair(candidate.findings)
    if pair:
        a, b = pair
        minutes = abs(parse_time(b.first_seen) - parse_time(a.last_seen)).total_seconds() / 60
        reasons.append(
            f"{_names([tactic_of(a)])} ({a.event_name}) and {_names([tactic_of(b)])} ({b.event_name}) "
            f"within {minutes:.0f} min"
        )
    if independent >= 3 and high:
        level = PROBABLE
    elif pair or independent >= 3:
        level = ESCALATION
    elif independent >= 2 or (detections >= 2 and events >= 2):
        level = SUSPICIOUS
    elif escalating and activity:
        level = SUSPICIOUS
        reasons.append(
            "one finding, but corroborated by the actor's other calls: not yet independent evidence"
        )
    else:
        level = LEAD
        if events == 1:
            reasons.append("a single event is never enough to call an incident")
    if candidate.expected_noise and level.rank > SUSPICIOUS.rank:
        level = SUSPICIOUS
        reasons.append("every principal is automation or an AWS service per the context: held at suspicious")
    if candidate.expected_human:
        reasons.append("a known human doing what is expected of them (" + "; ".join(candidate.story.expected)
                       + "): ranked down")  # fmt: skip
    elif all(candidate.classes.get(p) == "human" for p in candidate.principals):
        reasons.append("a known human per the context: ask them before anything else")
    return level, reasons


def correlate(
    findings: list[Finding],
    classes: dict[str, str],
    gap: timedelta = DEFAULT_GAP,
    baseline: Baseline | None = None,
) -> list[Candidate]:
    """Incident candidates (not yet ranked or numbered), each with its story, level and checklist.

    With a ``baseline``, each candidate's principals' other API calls in the window corroborate it.
    """
    candidates = []
    for actor in link_actors(findings, classes):
        for run in split_by_time(actor, gap):
            candidate = Candidate(run, classes)
            if baseline is not None:
                candidate.activity = baseline.activity(candidate.principals)
            tactics = {id(f): tactic_of(f) for f in run}
            candidate.story = story_of(by_time(run), classes, candidate.activity, tactics)
            candidate.level, candidate.reasons = assess(candidate)
            candidate.signals = checklist(by_time(run), candidate.activity)
            candidates.append(candidate)
    return candidates
