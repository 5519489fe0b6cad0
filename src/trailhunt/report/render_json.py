"""The report as JSON lines: one finding per line, stable field names, for a SIEM.

Strings are kept exactly as logged (JSON's own escaping makes them safe as data); the consumer
escapes for wherever it displays them. Field names are documented in docs/report.md; new fields
may be added, existing ones keep their name and meaning while ``schema`` stays the same.
"""

from __future__ import annotations

import json
from typing import Any

from trailhunt.findings import CONTRACT_FIELDS
from trailhunt.report.build import RankedFinding, Report
from trailhunt.report.labels import techniques

SCHEMA = "trailhunt.finding/1"
SUMMARY_SCHEMA = "trailhunt.summary/1"


def finding_record(r: RankedFinding) -> dict[str, Any]:
    """The JSON object of one ranked finding."""
    f, c, meta = r.finding, r.candidate, r.finding.detection.meta
    record: dict[str, Any] = {
        "schema": SCHEMA,
        "rank": r.rank,
        "score": r.score,
        "detection_id": meta.id,
        "detection_title": meta.title,
        "tactic": f.detection.tactic,
        "attack": [{"id": i, "name": n, "v18_alias": a} for i, n, a in techniques(f.detection)],
        "confidence": meta.confidence,
        "severity": meta.severity,
        "principal_class": r.principal_class,
        "candidate_id": c.id,
        "candidate_level": c.level.label,
        "candidate_score": c.score,
    }
    record.update({name: getattr(f, name) for name in CONTRACT_FIELDS})
    record["extra"] = dict(f.extra)
    return record


def summary_record(report: Report) -> dict[str, Any]:
    """The last line: what the hunt read (the load's accounting) and which detections failed."""
    result = report.result
    errors = [{"detection_id": d, "reason": why} for d, why in result.errors]
    return {"schema": SUMMARY_SCHEMA, "load": result.load.to_json(), "detection_errors": errors}


def render_json(report: Report) -> str:
    """Every finding, best first, one JSON object per line (ASCII: U+2028 cannot split a line),
    then one summary object (``schema`` ``trailhunt.summary/1``)."""
    lines = [json.dumps(finding_record(r), default=str) for r in report.findings]
    lines.append(json.dumps(summary_record(report), default=str))
    return "".join(line + "\n" for line in lines)
