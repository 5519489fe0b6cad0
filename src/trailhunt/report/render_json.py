"""The report as JSON: one document (``--format json``) or JSON lines (``--format jsonl``).

The document holds a summary with counts (including the loader's accounting), the headlines, every
finding, every incident candidate with its story and checklist, and the runbooks. JSON lines hold
one finding per line, for a SIEM. Strings are kept exactly as logged (JSON's own escaping makes
them safe as data); the consumer escapes for wherever it displays them. Output is ASCII, so U+2028
cannot split a line. Field names are documented in docs/report.md; new fields may be added,
existing ones keep their name and meaning while ``schema`` stays the same.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from trailhunt.findings import CONTRACT_FIELDS
from trailhunt.report.build import RankedFinding, Report
from trailhunt.report.correlate import Candidate
from trailhunt.report.labels import techniques
from trailhunt.report.runbook import Runbook
from trailhunt.report.summary import headlines

SCHEMA = "trailhunt.finding/1"
REPORT_SCHEMA = "trailhunt.report/1"


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
        "confidence": f.confidence,
        "severity": meta.severity,
        "kind": f.kind,
        "principal_class": r.principal_class,
        "candidate_id": c.id,
        "candidate_level": c.level.label,
        "candidate_score": c.score,
    }
    record.update({name: getattr(f, name) for name in CONTRACT_FIELDS})
    record["extra"] = dict(f.extra)
    return record


def candidate_record(c: Candidate) -> dict[str, Any]:
    """The JSON object of one incident candidate: who, when, what it achieved, its checklist."""
    return {
        "id": c.id,
        "level": c.level.label,
        "meaning": c.level.meaning,
        "score": c.score,
        "principals": c.principals,
        "principal_classes": {p: c.classes.get(p, "unknown") for p in c.principals},
        "access_keys": c.access_keys,
        "source_ips": dict(c.source_ips),
        "first_seen": c.first_seen,
        "last_seen": c.last_seen,
        "tactics": c.tactics,
        "detection_ids": c.detection_ids,
        "achieved": list(c.story.achieved),
        "attempted": [label for label in c.story.attempted if label not in c.story.achieved],
        "activity": c.story.activity,
        "reasons": c.reasons,
        "checklist": [
            {
                "text": s.text,
                "detection_id": s.detection_id,
                "status": s.status,
                "evidence": list(s.evidence),
                "seen": s.seen,
            }
            for s in c.signals
        ],
    }


def runbook_record(book: Runbook) -> dict[str, Any]:
    """The JSON object of one runbook: its steps, checks first."""
    return {
        "candidate_id": book.candidate.id,
        "contain_heading": book.contain_heading,
        "next_step": book.next_step,
        "steps": [
            {
                "action": s.action,
                "text": s.text,
                "commands": s.command.splitlines() if s.command else [],
                "source": s.source,
                "missing": list(s.missing),
                "warning": s.warning,
            }
            for s in book.steps
        ],
    }


def _load(report: Report) -> dict[str, Any]:
    """The loader's accounting, field by field (lists of (path, reason) as objects)."""
    out: dict[str, Any] = {}
    for item in dataclasses.fields(report.result.load):
        value = getattr(report.result.load, item.name)
        if isinstance(value, list):
            value = [{"path": str(p), "reason": str(why)} if isinstance(p, Path) else p for p, why in value]
        out[item.name] = value
    return out


def report_document(report: Report) -> dict[str, Any]:
    """The whole report as one JSON-ready object."""
    result = report.result
    window = result.window
    shown, others = headlines(report.candidates, report.runbooks, result.context.account_ids)
    return {
        "schema": REPORT_SCHEMA,
        "summary": {
            "context": result.context.name,
            "catalog": report.catalog,
            "window": {"start": str(window.start), "end": str(window.end)} if window else None,
            "load": _load(report),
            "detections_run": result.detections_run,
            "findings": len(report.findings),
            "candidates": len(report.candidates),
            "escalations": report.escalations,
            "by_level": {
                level: sum(c.level.label == level for c in report.candidates)
                for level in dict.fromkeys(c.level.label for c in report.candidates)
            },
            "headlines": [
                {
                    "candidate_id": h.candidate.id,
                    "level": h.candidate.level.label,
                    "who": h.who,
                    "from": h.where,
                    "achieved": h.achieved,
                    "next_step": h.next_step,
                }
                for h in shown
            ],
            "other_candidates": others,
            "problems": [{"detection_id": d, "reason": why} for d, why in result.errors],
        },
        "findings": [finding_record(r) for r in report.findings],
        "candidates": [candidate_record(c) for c in report.candidates],
        "runbooks": [runbook_record(b) for b in report.runbooks],
    }


def render_json(report: Report) -> str:
    """The report as one JSON document (ASCII)."""
    return json.dumps(report_document(report), indent=2, default=str) + "\n"


def render_jsonl(report: Report) -> str:
    """Every finding, best first, one JSON object per line (ASCII: U+2028 cannot split a line)."""
    lines = [json.dumps(finding_record(r), default=str) for r in report.findings]
    return "".join(line + "\n" for line in lines)
