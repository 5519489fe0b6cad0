"""Find CloudTrail log files under the paths a user gives, skipping what is not an event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EVENT_LOG_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
NON_EVENT_MARKERS = {
    "CloudTrail-Digest": "digest file (integrity hashes, not events)",
    "CloudTrail-Insight": "CloudTrail Insights file (not API events)",
}


@dataclass
class Discovery:
    """Files to load, and files deliberately left out with the reason."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def skip_reason(path: Path) -> str | None:
    """Why ``path`` is not loaded as CloudTrail events, or None when it should be."""
    text = path.as_posix()
    for marker, reason in NON_EVENT_MARKERS.items():
        if marker in text:
            return reason
    if not path.name.endswith(EVENT_LOG_SUFFIXES):
        return "not a .json/.json.gz/.jsonl log file"
    return None


def discover(paths: list[Path]) -> Discovery:
    """Expand files and folders (recursively, S3 layout included) into sorted log files."""
    found = Discovery()
    for root in paths:
        if not root.exists():
            found.skipped.append((root, "no such file or folder"))
            continue
        candidates = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in candidates:
            reason = skip_reason(path)
            if reason and not path.name.startswith("."):
                found.skipped.append((path, reason))
            elif not reason:
                found.files.append(path)
    return found
