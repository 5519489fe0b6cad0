"""Find CloudTrail log files under the paths a user gives, naming everything left out and why.

Folders are walked recursively; symlinked folders are followed once (a link back into a folder
already walked is skipped, so loops end). Extensions are matched case-insensitively, and only a
file's own name (never a parent folder's) marks it as a digest or Insights file. A folder or file
that cannot be read is reported, never raised.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

EVENT_LOG_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
NON_EVENT_MARKERS = {
    "cloudtrail-digest": "digest file (integrity hashes, not events)",
    "cloudtrail-insight": "CloudTrail Insights file (not API events)",
}


@dataclass
class Discovery:
    """Files to load, and files or folders deliberately left out with the reason."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def skip_reason(path: Path) -> str | None:
    """Why ``path`` is not loaded as CloudTrail events, or None when it should be."""
    name = path.name.lower()
    for marker, reason in NON_EVENT_MARKERS.items():
        if marker in name:
            return reason
    if not name.endswith(EVENT_LOG_SUFFIXES):
        return "not a .json/.json.gz/.jsonl/.ndjson log file"
    return None


def _os_reason(error: OSError) -> str:
    return f"cannot read: {error.strerror or error}"


class _Walker:
    """One recursive walk, remembering the real folders it has entered."""

    def __init__(self, found: Discovery) -> None:
        self.found = found
        self.seen: set[tuple[int, int]] = set()

    def folder(self, folder: Path) -> None:
        try:
            status = folder.stat()
            identity = (status.st_dev, status.st_ino)
            if identity in self.seen:
                if folder.is_symlink():
                    self.found.skipped.append((folder, "symlink to a folder already read (loop)"))
                return
            self.seen.add(identity)
            with os.scandir(folder) as entries:
                children = sorted(entries, key=lambda e: e.name)
        except OSError as error:
            self.found.skipped.append((folder, _os_reason(error)))
            return
        for entry in children:
            self.entry(Path(entry.path))

    def entry(self, path: Path, named: bool = False) -> None:
        """Walk a folder, take a log file, or name what is left out (``named``: given by the user,
        so even a hidden file is named)."""
        try:
            is_dir = path.is_dir()
            is_file = not is_dir and path.is_file()
        except OSError as error:
            self.found.skipped.append((path, _os_reason(error)))
            return
        if is_dir:
            self.folder(path)
        elif not is_file:
            self.found.skipped.append(
                (path, "broken symbolic link" if path.is_symlink() else "not a regular file")
            )
        elif reason := skip_reason(path):
            if named or not path.name.startswith("."):  # editor and OS droppings are not worth a line
                self.found.skipped.append((path, reason))
        else:
            self.found.files.append(path)


def discover(paths: list[Path]) -> Discovery:
    """Expand files and folders (recursively, S3 layout included) into log files, in walk order."""
    found = Discovery()
    walker = _Walker(found)
    for root in paths:
        try:
            missing = not root.exists()
        except OSError as error:
            found.skipped.append((root, _os_reason(error)))
            continue
        if missing:
            found.skipped.append((root, "no such file or folder"))
        else:
            walker.entry(root, named=True)
    return found
