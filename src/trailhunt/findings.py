"""Findings: rows of the finding contract, tied to the detection that produced them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trailhunt.catalog import attack
from trailhunt.catalog.detection import Detection

CONTRACT_FIELDS = (
    "event_time",
    "event_name",
    "principal_arn",
    "source_ip",
    "aws_region",
    "account_id",
    "event_id",
    "access_key_id",
    "user_agent",
    "first_seen",
    "last_seen",
    "event_count",
    "evidence",
)
CONFIDENCE_LEVELS = ("low", "medium", "high")
ATTEMPT = "attempt"  # finding_kind of a failed call (errorcode set): one confidence level lower


@dataclass(frozen=True)
class Finding:
    """One detection hit. Every string field here came from a log and is attacker-controlled."""

    detection: Detection
    event_time: str
    event_name: str
    principal_arn: str | None
    source_ip: str | None
    aws_region: str | None
    account_id: str | None
    event_id: str | None
    access_key_id: str | None
    user_agent: str | None
    first_seen: str
    last_seen: str
    event_count: int
    evidence: str
    extra: dict[str, Any] = field(default_factory=dict)
    kind: str = "finding"  # or ATTEMPT, from the optional finding_kind column

    @property
    def confidence(self) -> str:
        """The detection's confidence, one level lower (never below low) for a failed attempt."""
        level = self.detection.meta.confidence
        if self.kind != ATTEMPT:
            return level
        return CONFIDENCE_LEVELS[max(0, CONFIDENCE_LEVELS.index(level) - 1)]

    @property
    def techniques(self) -> list[attack.Technique]:
        """The detection's ATT&CK techniques."""
        return [t for t in map(attack.lookup, self.detection.meta.attack) if t is not None]

    @property
    def tactics(self) -> set[str]:
        """The tactic folder of the detection (the tactic it was filed under)."""
        return {self.detection.tactic}

    def fields(self) -> dict[str, Any]:
        """Contract fields plus detection-specific extra columns, for templates and output."""
        values = {name: getattr(self, name) for name in CONTRACT_FIELDS}
        return {**self.extra, **values}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def finding_from_row(detection: Detection, row: dict[str, Any]) -> Finding:
    """Build a Finding from a result row (contract columns plus any extra columns)."""
    extra = {k: v for k, v in row.items() if k not in (*CONTRACT_FIELDS, "finding_kind")}
    return Finding(
        detection=detection,
        event_time=str(row["event_time"]),
        event_name=str(row["event_name"]),
        principal_arn=_text(row["principal_arn"]),
        source_ip=_text(row["source_ip"]),
        aws_region=_text(row["aws_region"]),
        account_id=_text(row["account_id"]),
        event_id=_text(row["event_id"]),
        access_key_id=_text(row["access_key_id"]),
        user_agent=_text(row["user_agent"]),
        first_seen=str(row["first_seen"]),
        last_seen=str(row["last_seen"]),
        event_count=int(row["event_count"] or 0),
        evidence=str(row["evidence"]),
        extra=extra,
        kind=str(row.get("finding_kind") or "finding"),
    )
