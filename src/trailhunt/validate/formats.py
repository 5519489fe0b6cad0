"""Validation problems as text for a person, SARIF 2.1.0 (code scanning) or GitHub workflow annotations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from trailhunt import __version__
from trailhunt.escape import for_terminal
from trailhunt.problems import Problem
from trailhunt.report.labels import plural

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
ValidationFormat = Literal["text", "sarif", "github"]


def _uri(path: Path | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def sarif(problems: list[Problem], root: Path, version: str) -> dict[str, Any]:
    """One SARIF run: a rule per problem code, a result per problem (file paths relative to ``root``)."""
    rules = sorted({p.code for p in problems})
    results = []
    for p in problems:
        result: dict[str, Any] = {
            "ruleId": p.code,
            "ruleIndex": rules.index(p.code),
            "level": "error" if p.severity == "error" else "warning",
            "message": {"text": p.message},
        }
        if p.path is not None:
            location: dict[str, Any] = {"artifactLocation": {"uri": _uri(p.path, root)}}
            if p.line:
                location["region"] = {"startLine": p.line}
            result["locations"] = [{"physicalLocation": location}]
        results.append(result)
    driver = {
        "name": "trailhunt",
        "version": version,
        "informationUri": "https://attack.mitre.org/",
        "rules": [{"id": code, "shortDescription": {"text": code}} for code in rules],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def sarif_text(problems: list[Problem], root: Path, version: str) -> str:
    """The SARIF log as JSON text."""
    return json.dumps(sarif(problems, root, version), indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(problems: list[Problem], root: Path) -> str:
    """One ``::error file=…,line=…,title=…::message`` workflow command per problem."""
    lines = []
    for p in problems:
        properties = []
        if p.path is not None:
            properties.append(f"file={_escape_property(_uri(p.path, root))}")
            if p.line:
                properties.append(f"line={p.line}")
        properties.append(f"title={_escape_property(p.code)}")
        lines.append(f"::{p.severity} {','.join(properties)}::{_escape_data(p.message)}")
    return "".join(line + "\n" for line in lines)


def validation_text(
    problems: list[Problem], detections: int, fmt: ValidationFormat, root: Path, version: str = __version__
) -> str:
    """``validate``'s output: one line per problem and a count line, SARIF, or GitHub annotations."""
    if fmt == "sarif":
        return sarif_text(problems, root, version)
    if fmt == "github":
        return github_annotations(problems, root)
    errors = sum(p.severity == "error" for p in problems)
    counts = f"{plural(detections, 'detection')}, {plural(errors, 'error')}, {plural(len(problems) - errors, 'warning')}"
    return "".join(f"{for_terminal(p)}\n" for p in problems) + counts + "\n"
