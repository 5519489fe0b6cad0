"""The corroboration checklist: each detection's ``corroborate`` items, with the evidence that can
confirm them and whether that evidence is in the data.

An item declares its evidence by naming it: a detection id (``console_login_from_new_ip``) or an
API call (``CreateAccessKey``). It is **seen** only when that evidence is in the data for the same
actor: a finding of the named detection in the candidate, or a call of the named API by one of the
candidate's principals (its findings, or its activity in the baseline). Items about what CloudTrail
cannot record (GuardDuty findings, VPC flow logs, hosts, mail) are **elsewhere**: never ticked.
Every other item stays a check for a person. No item is both seen and still to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trailhunt.baseline import Tally

if TYPE_CHECKING:
    from trailhunt.findings import Finding

DETECTION_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+){2,}\b")
_VERBS = (
    "Add|Associate|Assume|Attach|Authorize|Batch|Cancel|Change|Console|Copy|Create|Deactivate|Decrypt|"
    "Delete|Deregister|Describe|Detach|Disable|Disassociate|Enable|Export|Get|Import|Invoke|Leave|List|"
    "Modify|Put|Register|Remove|Reset|Restore|Revoke|Run|Schedule|Send|Set|Start|Stop|Suspend|Tag|"
    "Terminate|Untag|Update|Upload"
)
API_CALL = re.compile(rf"\b(?:{_VERBS})[A-Z][A-Za-z0-9]*\b")
# An item about what the user acted on does next ("a ConsoleLogin for the target user"): only
# other principals' calls can confirm it, never the caller's own.
TARGETED = re.compile(
    r"\b(?:for|by|from) the (?:target|new|created) (?:user|role)\b|\bby the grantee\b", re.I
)
OUTSIDE_CLOUDTRAIL = re.compile(
    r"GuardDuty[^.;]*finding|finding[^.;]*GuardDuty|flow log|VPC flow|\bhosts?\b|\bEDR\b|endpoint agent|"
    r"DNS (?:query )?logs?|e-?mails?|repositor|laptop|\bticket|change record|pipeline logs?|Security Hub",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Signal:
    """One corroboration item: its text, the detection that asks for it, and what can confirm it."""

    text: str
    detection_id: str
    evidence: tuple[str, ...] = ()  # detection ids and API calls that confirm it
    seen: str | None = None  # the evidence found, e.g. "CreateAccessKey by user/alice"
    elsewhere: bool = False  # only visible outside CloudTrail: never ticked

    @property
    def status(self) -> str:
        """``seen``, ``elsewhere`` or ``check``."""
        return "seen" if self.seen else "elsewhere" if self.elsewhere else "check"


def declared_evidence(text: str, own: str) -> tuple[str, ...]:
    """The detection ids (other than ``own``) and API calls an item names, in order."""
    names = [d for d in DETECTION_ID.findall(text) if d != own] + API_CALL.findall(text)
    return tuple(dict.fromkeys(names))


def _calls(findings: Iterable[Finding], activity: Iterable[Tally]) -> dict[str, str]:
    """API name -> who made it (the first one found), from findings and baseline activity."""
    calls: dict[str, str] = {}
    for f in findings:
        calls.setdefault(f.event_name, f"{f.event_name} in {f.detection.id}")
    for t in activity:
        if t.events > t.errors:  # at least one call went through
            calls.setdefault(t.detail, f"{t.detail} ×{t.events - t.errors} by the same principal")
    return calls


def check_item(text: str, own: str, findings: list[Finding], activity: list[Tally]) -> Signal:
    """One item, marked seen only when the evidence it names is in the data for this actor."""
    evidence = declared_evidence(text, own)
    if TARGETED.search(text):
        callers = {f.principal_arn for f in findings if f.detection.id == own}
        findings = [f for f in findings if f.principal_arn not in callers]
        activity = []
    fired = {f.detection.id for f in findings if f.detection.id != own and f.kind != "attempt"}
    # The calls that made this detection fire cannot confirm it: "other sharing" needs other calls.
    own_calls = {f.event_name for f in findings if f.detection.id == own}
    others = [t for t in activity if t.detail not in own_calls]
    calls = _calls([f for f in findings if f.detection.id != own], others)
    for name in evidence:
        if name in fired:
            return Signal(text, own, evidence, f"{name} fired")
        if name in calls:
            return Signal(text, own, evidence, calls[name])
    elsewhere = not evidence and bool(OUTSIDE_CLOUDTRAIL.search(text))
    return Signal(text, own, evidence, None, elsewhere)


def checklist(findings: list[Finding], activity: list[Tally]) -> list[Signal]:
    """Every detection's corroboration items for one candidate (first finding first, no repeats)."""
    signals: dict[str, Signal] = {}
    for f in findings:
        for text in f.detection.meta.corroborate:
            if text not in signals:
                signals[text] = check_item(text, f.detection.id, findings, activity)
    return list(signals.values())
