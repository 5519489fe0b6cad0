"""The story of an incident candidate: what the actor achieved, what else it did, what is expected.

A candidate ranks by what its actor got out of the account (privilege raised to admin, credentials
created, logging weakened, data shared out), not by how many rows its detections returned. The
same actor's other calls in the data (from the baseline's per-principal API tallies) corroborate
it: a burst of denied calls, a broad reconnaissance sweep, credentials it created for itself, a
denied attempt followed by a success. A known human doing what they are expected to do (root
signing in with MFA when root is listed under ``humans``) is ranked down, never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from trailhunt.baseline import Tally
from trailhunt.findings import ATTEMPT, Finding
from trailhunt.render.window import parse_time

NEARBY = timedelta(hours=1)
RECON_APIS = 10  # distinct APIs ...
RECON_SERVICES = 3  # ... across this many services around the findings
DENIALS = 3
CREDENTIAL_CALLS = frozenset({"CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile"})
# What a finding of each tactic means the actor achieved, and how much it weighs in the ranking.
ACHIEVEMENTS: dict[str, tuple[str, int]] = {
    "privilege-escalation": ("privilege raised", 4),
    "defense-evasion": ("logging or monitoring weakened", 4),
    "exfiltration": ("data shared out", 4),
    "impact": ("damage done", 4),
    "persistence": ("credentials or access created", 3),
    "credential-access": ("secrets or credentials read", 3),
    "collection": ("data read in bulk", 2),
    "lateral-movement": ("reached other resources", 2),
    "execution": ("ran code", 2),
}
CREDENTIALS = "persistence"


@dataclass
class Story:
    """What a candidate's actor achieved and what the rest of its activity adds."""

    achieved: dict[str, int] = field(default_factory=dict)  # label -> weight
    attempted: dict[str, int] = field(default_factory=dict)  # tried and failed: half weight
    activity: list[str] = field(default_factory=list)  # corroboration from the data, in words
    expected: list[str] = field(default_factory=list)  # why the findings look expected

    @property
    def points(self) -> float:
        """Achievement weight; an attempt that never succeeded counts half."""
        tried = sum(w for label, w in self.attempted.items() if label not in self.achieved)
        return sum(self.achieved.values()) + tried / 2

    @property
    def summary(self) -> str:
        """``privilege raised to admin, credentials created`` (or what was only tried)."""
        done = list(self.achieved)
        tried = [f"tried: {label}" for label in self.attempted if label not in self.achieved]
        return ", ".join(done + tried) or "nothing beyond the signal itself"


def _label(finding: Finding, tactic: str) -> tuple[str, int] | None:
    label = ACHIEVEMENTS.get(tactic)
    if label and tactic == "privilege-escalation" and "admin" in finding.detection.id:
        return "privilege raised to admin", label[1]
    return label


def expected_reason(finding: Finding, principal_class: str) -> str | None:
    """Why a finding is a known human doing something expected, or None."""
    mfa = str(finding.extra.get("mfa_used") or "").lower()
    if principal_class == "human" and finding.event_name == "ConsoleLogin" and mfa in {"yes", "true"}:
        return "a known human signing in with MFA"
    return None


def _nearby(activity: list[Tally], start: str, end: str) -> list[Tally]:
    low, high = parse_time(start) - NEARBY, parse_time(end) + NEARBY
    return [t for t in activity if parse_time(t.first_seen) <= high and parse_time(t.last_seen) >= low]


def _attempt_then_success(findings: list[Finding], activity: list[Tally]) -> list[str]:
    """Denied attempts followed by a success of the same family (the detection, or the same call)."""
    out = []
    for tried in (f for f in findings if f.kind == ATTEMPT):
        later = [
            f for f in findings if f.kind != ATTEMPT and f.detection.id == tried.detection.id
            and f.first_seen >= tried.first_seen
        ]  # fmt: skip
        calls = [
            t for t in activity if t.detail == tried.event_name and t.events > t.errors
            and t.last_seen > tried.last_seen
        ]  # fmt: skip
        if later or calls:
            out.append(f"{tried.event_name} was denied, then succeeded ({tried.detection.id})")
    return list(dict.fromkeys(out))


def activity_signals(findings: list[Finding], activity: list[Tally]) -> list[str]:
    """What the same principals' other calls around the findings add, in words (no log text)."""
    start = min(f.first_seen for f in findings)
    end = max(f.last_seen for f in findings)
    near = _nearby(activity, start, end)
    signals = _attempt_then_success(findings, activity)
    apis = {t.detail for t in near}
    services = {t.cls for t in near}
    if len(apis) >= RECON_APIS and len(services) >= RECON_SERVICES:
        signals.append(f"reconnaissance: {len(apis)} distinct APIs across {len(services)} services nearby")
    denied = sum(t.denied for t in near)
    if denied >= DENIALS:
        signals.append(f"{denied} denied calls (AccessDenied) nearby")
    own = [t.detail for t in near if t.detail in CREDENTIAL_CALLS and t.self_calls and t.events > t.errors]
    if own:
        signals.append(f"credentials created for itself: {', '.join(sorted(set(own)))}")
    return signals


def story_of(
    findings: list[Finding], classes: dict[str, str], activity: list[Tally], tactic_of: dict[int, str]
) -> Story:
    """The candidate's story; ``tactic_of`` maps ``id(finding)`` to its counted tactic."""
    story = Story()
    for f in findings:
        label = _label(f, tactic_of[id(f)])
        if label:
            target = story.attempted if f.kind == ATTEMPT else story.achieved
            target[label[0]] = max(target.get(label[0], 0), label[1])
        reason = expected_reason(f, classes.get(f.principal_arn or "?", "unknown"))
        if reason and reason not in story.expected:
            story.expected.append(reason)
    story.activity = activity_signals(findings, activity)
    if any(s.startswith("credentials created for itself") for s in story.activity):
        name, weight = ACHIEVEMENTS[CREDENTIALS]
        story.achieved.setdefault(name, weight)
    return story


def all_expected(findings: list[Finding], classes: dict[str, str]) -> bool:
    """Every finding is a known human doing something expected."""
    return all(expected_reason(f, classes.get(f.principal_arn or "?", "unknown")) for f in findings)
