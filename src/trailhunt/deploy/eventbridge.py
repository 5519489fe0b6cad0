"""EventBridge rules from detections: compile the pattern, add source/detail-type, pick the rule state.

A detection compiles when its WHERE is a single-event predicate; otherwise it is "SQL only" with
the reason. Patterns depend on the account context (its ARN globs and networks are in the SQL), so
a rule is compiled for one context. ``event_for`` wraps a CloudTrail record the way CloudTrail
delivers it to EventBridge, which is how tests prove each pattern against the fixtures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from trailhunt.catalog.detection import Detection, ParameterValue
from trailhunt.deploy.eventbridge_compile import compile_where
from trailhunt.deploy.eventbridge_fit import fit
from trailhunt.deploy.eventbridge_pattern import Dnf, SqlOnlyError, Term, canonical, matches, to_pattern
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions

API_CALL = "AWS API Call via CloudTrail"
SIGN_IN = ("AWS Console Sign In via CloudTrail", "AWS Console Signin via CloudTrail")
DETAIL_TYPES: dict[str, tuple[str, ...]] = {
    "AwsApiCall": (API_CALL,),
    "AwsConsoleSignIn": SIGN_IN,
    "AwsConsoleAction": ("AWS Console Action via CloudTrail",),
    "AwsServiceEvent": ("AWS Service Event via CloudTrail",),
}
SIGNIN_SOURCE = "signin.amazonaws.com"
ALL_MANAGEMENT = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
READ_ONLY_VERBS = (
    "Get",
    "Describe",
    "List",
    "Head",
    "Lookup",
    "BatchGet",
    "Search",
    "Query",
    "Scan",
    "Select",
)
PATTERN_QUOTA = 2048  # EventBridge's default pattern size quota (characters)
# "Get" calls CloudTrail records as changes (readOnly false), which EventBridge delivers to ENABLED rules.
NOT_READ_ONLY = frozenset({"GetFederationToken", "GetSessionToken"})
EVENT_SOURCE = ("detail", "eventSource")


@dataclass(frozen=True)
class Rule:
    """A detection as an EventBridge rule, or the reason it stays SQL only."""

    detection_id: str
    pattern: dict[str, Any] | None = None
    state: str = "ENABLED"
    reason: str | None = None
    notes: list[str] = field(default_factory=list)
    parts: list[dict[str, Any]] = field(default_factory=list)  # the deployed patterns, each within the quota

    @property
    def compiled(self) -> bool:
        """Whether the detection has an event pattern."""
        return self.pattern is not None

    def pattern_text(self) -> str:
        """The pattern as compact JSON (what EventBridge stores and counts)."""
        return json.dumps(self.pattern, separators=(",", ":"), sort_keys=True)


def service_source(event_source: str) -> str | None:
    """EventBridge ``source`` of CloudTrail events from ``event_source`` (iam.amazonaws.com → aws.iam)."""
    service = event_source.removesuffix(".amazonaws.com")
    return f"aws.{service}" if service != event_source and service else None


def _exact(filters: frozenset[str] | None) -> list[Any] | None:
    if filters is None:
        return None
    values = [json.loads(f) for f in filters]
    return values if all(isinstance(v, str) for v in values) else None


def _detail_types(term: Term) -> list[str]:
    event_types = _exact(term.get(("detail", "eventType")))
    if event_types is not None:
        unknown = [t for t in event_types if t not in DETAIL_TYPES]
        if unknown:
            raise SqlOnlyError(
                f"eventType {', '.join(unknown)} is not delivered to EventBridge by CloudTrail"
            )
        return sorted({d for t in event_types for d in DETAIL_TYPES[t]})
    sources = _exact(term.get(EVENT_SOURCE))
    types = {d for key, kinds in DETAIL_TYPES.items() if key != "AwsConsoleSignIn" for d in kinds}
    if sources is None or SIGNIN_SOURCE in sources:
        types.update(SIGN_IN)
    return sorted(types)


def _with_envelope(term: Term) -> Term:
    """Add ``source`` (from an exact eventSource) and ``detail-type`` to one alternative."""
    out = dict(term)
    sources = _exact(term.get(EVENT_SOURCE))
    mapped = [service_source(s) for s in sources or []]
    if sources and all(mapped):
        out[("source",)] = frozenset(canonical(s) for s in mapped)
    out[("detail-type",)] = frozenset(canonical(t) for t in _detail_types(term))
    return out


def _may_be_read_only(term: Term) -> bool:
    """Whether events matching ``term`` can be read-only management calls (not delivered by default)."""
    read_only = term.get(("detail", "readOnly"))
    if read_only is not None and not any(matches(True, json.loads(f)) for f in read_only):
        return False
    if canonical(API_CALL) not in term[("detail-type",)]:
        return False
    names = _exact(term.get(("detail", "eventName")))
    return names is None or any(n.startswith(READ_ONLY_VERBS) and n not in NOT_READ_ONLY for n in names)


def rule_from_sql(detection_id: str, sql: str) -> Rule:
    """The rule for a detection's rendered Athena SQL."""
    try:
        dnf: Dnf = [_with_envelope(term) for term in compile_where(sql)]
        pattern = to_pattern(dnf)
    except SqlOnlyError as error:
        return Rule(detection_id, reason=str(error))
    state = ALL_MANAGEMENT if any(_may_be_read_only(t) for t in dnf) else "ENABLED"
    try:
        parts, notes = fit(dnf, PATTERN_QUOTA)
    except SqlOnlyError as error:
        return Rule(detection_id, reason=str(error))
    return Rule(detection_id, pattern, state, notes=notes, parts=parts)


def compile_detection(
    renderer: Renderer,
    detection: Detection,
    context: AccountContext | None = None,
    params: dict[str, ParameterValue] | None = None,
) -> Rule:
    """Render ``detection`` for Athena under ``context`` and compile its rule."""
    options = RenderOptions(context=context or AccountContext(), target="athena", params=dict(params or {}))
    return rule_from_sql(detection.id, renderer.render(detection, options))


def detail_types(record: dict[str, Any]) -> tuple[str, ...]:
    """The detail-type(s) CloudTrail gives a record on EventBridge (sign-in has two spellings)."""
    return DETAIL_TYPES.get(str(record.get("eventType")), (API_CALL,))


def event_for(record: dict[str, Any], detail_type: str | None = None) -> dict[str, Any]:
    """A CloudTrail record wrapped as the EventBridge event CloudTrail delivers."""
    identity = record.get("userIdentity") or {}
    return {
        "version": "0",
        "id": record.get("eventID", ""),
        "detail-type": detail_type or detail_types(record)[0],
        "source": service_source(str(record.get("eventSource", ""))) or "aws.cloudtrail",
        "account": record.get("recipientAccountId") or identity.get("accountId", ""),
        "time": record.get("eventTime", ""),
        "region": record.get("awsRegion", ""),
        "resources": [],
        "detail": record,
    }


def export_document(rules: list[Rule], context_name: str) -> dict[str, Any]:
    """Compiled patterns and the SQL-only list with reasons, as one JSON document."""
    return {
        "context": context_name,
        "rules": [
            {
                "detection": r.detection_id,
                "state": r.state,
                "event_pattern": r.pattern,
                "deployed_patterns": r.parts,
                "notes": r.notes,
            }
            for r in rules
            if r.compiled
        ],
        "sql_only": [{"detection": r.detection_id, "reason": r.reason} for r in rules if not r.compiled],
    }
