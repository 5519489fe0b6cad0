"""Small builders for report tests: detections and findings without running SQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trailhunt.catalog.detection import Detection, Metadata
from trailhunt.findings import Finding, finding_from_row

ACCOUNT = "111122223333"
DATA = Path(__file__).parent / "data" / "report"


def detection(
    detection_id: str,
    tactic: str,
    attack: str = "T1098",
    confidence: str = "high",
    severity: str = "high",
    corroborate: list[str] | None = None,
    response: list[str] | None = None,
) -> Detection:
    """A detection filed under ``detections/<tactic>/``; its SQL is never run."""
    meta = Metadata.model_validate(
        {
            "id": detection_id,
            "title": detection_id.replace("_", " "),
            "attack": [attack],
            "confidence": confidence,
            "severity": severity,
            "description": "test detection",
            "tuning": "test tuning",
            "corroborate": corroborate or ["something else from the same principal"],
            "response": response or ["Look at {{ finding.principal_arn }}"],
            "tests": [{"fixture": "none.json", "expect": 0}],
        }
    )
    path = Path("detections") / tactic / f"{detection_id}.sql"
    return Detection(meta, "SELECT 1", path, 1, {})


def finding(
    det: Detection,
    when: str,
    principal: str,
    event_name: str = "CreateUser",
    key: str | None = None,
    event_id: str | None = None,
    last: str | None = None,
    ip: str = "185.220.101.47",
    **extra: Any,
) -> Finding:
    """A one-event finding (or a burst when ``last`` is given)."""
    row = {
        "event_time": last or when,
        "event_name": event_name,
        "principal_arn": principal,
        "source_ip": ip,
        "aws_region": "us-east-1",
        "account_id": ACCOUNT,
        "event_id": event_id or f"{det.id}-{when}",
        "access_key_id": key,
        "user_agent": "aws-cli/2.15.30",
        "first_seen": when,
        "last_seen": last or when,
        "event_count": 1,
        "evidence": f"{event_name} by {principal}",
        **extra,
    }
    return finding_from_row(det, row)


def user(name: str) -> str:
    """An IAM user ARN in the test account."""
    return f"arn:aws:iam::{ACCOUNT}:user/{name}"


def session(role: str, name: str) -> str:
    """An assumed-role session ARN in the test account."""
    return f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{name}"
