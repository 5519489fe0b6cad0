"""The cache segments one hunt reads, held by hard links in a folder of its own.

A hunt's detections read parquet segments in place, for the whole hunt, while a concurrent hunt may
evict them from the cache. Each segment in use is therefore linked into a private folder
(``.run-*`` beside the segments, so on the same filesystem): eviction removes the cache's name, not
the hunt's. The folder holds an exclusive ``flock`` for the life of the hunt; a folder whose lock
can be taken belongs to a hunt that ended without cleaning up, and ``sweep`` removes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

RUN_PREFIX = ".run-"
LOCK_NAME = "lock"
NEW_SECONDS = 60  # a folder younger than this is left alone, locked or not


class SegmentLinks:
    """A private folder of links to the segments one hunt reads; ``close`` removes it."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(tempfile.mkdtemp(dir=root, prefix=RUN_PREFIX))
        self._lock = os.open(self.folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.paths: list[Path] = []

    def add(self, parquet: Path, name: str | None = None) -> Path:
        """Link ``parquet`` into the folder as ``name`` (its own name by default; a copy where the
        filesystem has no hard links); the link's path. FileNotFoundError when it is gone."""
        link = self.folder / (name or parquet.name)
        try:
            os.link(parquet, link)
        except OSError as error:
            if isinstance(error, FileNotFoundError):
                raise
            shutil.copyfile(parquet, link)
        self.paths.append(link)
        return link

    def drop(self, link: Path) -> None:
        """Stop reading ``link`` (a segment found unusable)."""
        self.paths.remove(link)
        link.unlink(missing_ok=True)

    def close(self) -> None:
        """Remove the folder and its links (the segments stay in the cache)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.close(self._lock)


def sweep(root: Path) -> None:
    """Remove the link folders of hunts that ended without closing theirs."""
    for folder in root.glob(f"{RUN_PREFIX}*"):
        with contextlib.suppress(OSError):
            if time.time() - folder.stat().st_mtime < NEW_SECONDS:
                continue  # its hunt may not have taken the lock yet
        try:
            lock = os.open(folder / LOCK_NAME, os.O_RDWR)
        except OSError:
            continue  # being created, or already gone
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its hunt is running
        finally:
            os.close(lock)
        shutil.rmtree(folder, ignore_errors=True)
