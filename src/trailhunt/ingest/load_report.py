"""The accounting of a load: every event offered ends in exactly one bucket, every file left out is named.

``events_in == events + duplicates + sum(rejected_events.values())`` always holds: an event is
loaded, dropped as a duplicate (same eventID as one loaded before it), or rejected with a reason.
Files are read, skipped (not event logs, unreadable folders) or rejected whole with a reason; files
read with some bad lines are named in ``problems``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SKIPPED_SHOWN = 5
NOT_AN_EVENT = "not a CloudTrail event (no eventTime, eventName, eventSource or eventID)"


@dataclass
class FileStats:
    """What one file's content gave the load; cached with it, keyed by its hash."""

    values: int = 0  # JSON values offered as events
    loaded: int = 0  # events kept (before de-duplication across files)
    rejected: dict[str, int] = field(default_factory=dict)  # reason -> events
    untimed: int = 0  # loaded events whose eventTime is missing or unparseable
    problems: list[str] = field(default_factory=list)  # bad lines, with line numbers
    fatal: str | None = None  # why the whole file was rejected

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (for the cache manifest)."""
        return {
            "values": self.values,
            "loaded": self.loaded,
            "rejected": self.rejected,
            "untimed": self.untimed,
            "problems": self.problems,
            "fatal": self.fatal,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileStats:
        """The inverse of ``to_json``."""
        return cls(
            int(data["values"]),
            int(data["loaded"]),
            {str(k): int(v) for k, v in data["rejected"].items()},
            int(data["untimed"]),
            [str(p) for p in data["problems"]],
            None if data["fatal"] is None else str(data["fatal"]),
        )


def events_loaded(files: Mapping[str, FileStats]) -> int:
    """Events kept from ``files`` (content key -> stats), before de-duplication across files."""
    return sum(stats.loaded for stats in files.values())


@dataclass
class LoadReport:
    """What a load read, skipped and rejected, file by file and event by event."""

    files_read: int = 0
    events: int = 0  # loaded, after de-duplication
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)  # files rejected whole
    from_cache: bool = False  # every file came from the parquet cache
    events_in: int = 0
    duplicates: int = 0
    rejected_events: dict[str, int] = field(default_factory=dict)
    untimed: int = 0  # loaded events kept with a NULL eventtime (missing or unparseable)
    problems: list[tuple[Path, str]] = field(default_factory=list)  # files read with bad parts
    warnings: list[str] = field(default_factory=list)  # e.g. a cache entry discarded
    files_from_cache: int = 0

    def add_file(self, path: Path, stats: FileStats, *, duplicate_of: Path | None = None) -> None:
        """Account one file's stats (``duplicate_of``: an identical file counted before it)."""
        self.events_in += stats.values
        self.rejected_events = dict(Counter(self.rejected_events) + Counter(stats.rejected))
        if stats.fatal is not None:
            self.rejected.append((path, stats.fatal))
            return
        self.files_read += 1
        self.problems.extend((path, problem) for problem in stats.problems)
        if duplicate_of is not None:
            self.duplicates += stats.loaded
            self.problems.append((path, f"identical to {duplicate_of}: all its events are duplicates"))
        else:
            self.events += stats.loaded
            self.untimed += stats.untimed

    @property
    def rejected_event_count(self) -> int:
        """Events rejected, all reasons together."""
        return sum(self.rejected_events.values())

    def balanced(self) -> bool:
        """Whether every event offered is in exactly one bucket."""
        return self.events_in == self.events + self.duplicates + self.rejected_event_count

    def summary(self) -> str:
        """One line: files read, skipped and rejected; events in, loaded, duplicate, rejected."""
        if self.from_cache:
            source = " (from the parquet cache)"
        elif self.files_from_cache:
            source = f" ({self.files_from_cache} from the parquet cache)"
        else:
            source = ""
        line = (
            f"{self.files_read} files read{source}, {self.events} events loaded, "
            f"{len(self.skipped)} skipped, {len(self.rejected)} rejected; "
            f"{self.events_in} events in = {self.events} loaded + {self.duplicates} duplicates + "
            f"{self.rejected_event_count} rejected"
        )
        if self.untimed:
            line += f"; {self.untimed} loaded without a usable eventTime"
        if self.problems:
            line += f"; {len({p for p, _ in self.problems})} files with bad parts"
        return line

    def named_problems(self, skipped_per_reason: int = SKIPPED_SHOWN) -> Iterator[tuple[str, str]]:
        """(what, why) lines for a report: every file rejected or read with bad parts, cache
        warnings, and the files skipped (at most ``skipped_per_reason`` named per reason)."""
        yield from ((str(p), f"rejected: {why}") for p, why in self.rejected)
        yield from ((str(p), f"read with problems: {why}") for p, why in self.problems)
        yield from (("cache", warning) for warning in self.warnings)
        by_reason: dict[str, list[Path]] = {}
        for path, why in self.skipped:
            by_reason.setdefault(why, []).append(path)
        for why, paths in by_reason.items():
            yield from ((str(p), f"skipped: {why}") for p in paths[:skipped_per_reason])
            if len(paths) > skipped_per_reason:
                more = len(paths) - skipped_per_reason
                yield f"{more} more files", f"skipped: {why} (all named in --format json)"

    def to_json(self) -> dict[str, Any]:
        """The accounting as a JSON object (the ``load`` part of a report's summary)."""
        return {
            "files_read": self.files_read,
            "files_from_cache": self.files_from_cache,
            "events_in": self.events_in,
            "events_loaded": self.events,
            "duplicates": self.duplicates,
            "events_rejected": self.rejected_event_count,
            "rejected_by_reason": dict(self.rejected_events),
            "untimed": self.untimed,
            "files_rejected": [{"path": str(p), "reason": why} for p, why in self.rejected],
            "files_with_problems": [{"path": str(p), "problem": why} for p, why in self.problems],
            "files_skipped": [{"path": str(p), "reason": why} for p, why in self.skipped],
            "warnings": list(self.warnings),
        }
