"""Where trailhunt keeps caches (``$TRAILHUNT_CACHE`` or ``~/.cache/trailhunt``, one folder per kind),
and how it writes them: private folders (0700) and files (0600), unique temp names, atomic renames,
and a size cap with least-recently-used eviction.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

DEFAULT_MAX_MB = 4096  # per cache kind; TRAILHUNT_CACHE_MAX_MB overrides
_BYPASSED: ContextVar[bool] = ContextVar("trailhunt_caches_bypassed", default=False)


@contextmanager
def bypassed(active: bool = True) -> Iterator[None]:
    """Inside this block (when ``active``) no cache is read or written (``--no-cache``)."""
    token = _BYPASSED.set(active)
    try:
        yield
    finally:
        _BYPASSED.reset(token)


def caches_enabled() -> bool:
    """False inside ``bypassed()``: every cache must then neither read nor write."""
    return not _BYPASSED.get()


def cache_dir(kind: str) -> Path:
    """The cache folder for ``kind`` (``parquet``, ``duckdb-sql``), not created."""
    base = os.environ.get("TRAILHUNT_CACHE") or Path.home() / ".cache" / "trailhunt"
    return Path(base) / kind


def private_dir(folder: Path) -> Path:
    """Create ``folder`` (and missing parents) readable by the owner only and return it; refuse
    (OSError) a folder that is not a folder of this user."""
    for missing in reversed([p for p in (folder, *folder.parents) if not p.exists()]):
        missing.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise OSError(f"{folder} is not a folder of this user")
    if info.st_mode & 0o077:
        folder.chmod(0o700)
    return folder


def temp_path(folder: Path, suffix: str) -> Path:
    """A new, unique, empty 0600 file in ``folder`` to write before an atomic rename."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=".part-", suffix=suffix)
    os.close(handle)
    return Path(name)


def publish(partial: Path, final: Path, mode: int = 0o600) -> None:
    """Make ``partial`` owner-only (``mode``) and move it to ``final`` atomically."""
    partial.chmod(mode)
    partial.replace(final)


def write_private(final: Path, data: bytes) -> None:
    """Write ``final`` atomically, owner-only."""
    partial = temp_path(final.parent, final.suffix)
    try:
        partial.write_bytes(data)
        publish(partial, final)
    finally:
        partial.unlink(missing_ok=True)


def mtime(path: Path) -> float:
    """``path``'s modification time; 0 when it is gone (evicted by a concurrent hunt)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def max_bytes() -> int:
    """The size cap of one cache kind, in bytes."""
    text = os.environ.get("TRAILHUNT_CACHE_MAX_MB", "")
    return (int(text) if text.isdigit() else DEFAULT_MAX_MB) * 1024 * 1024


def evict(entries: Iterable[tuple[Path, list[Path]]], keep: set[Path], limit: int) -> list[Path]:
    """Delete least-recently-used entries until their total size is within ``limit``.

    ``entries`` pairs each entry's index file (its modification time is its last use) with all of
    its files; entries in ``keep`` (in use now) are never deleted. Returns the index files removed.
    """
    sized = []
    for index, files in entries:
        try:
            sized.append(
                (index.stat().st_mtime, index, files, sum(f.stat().st_size for f in files if f.exists()))
            )
        except OSError:
            continue
    total = sum(size for *_, size in sized)
    removed = []
    for _, index, files, size in sorted(sized, key=lambda e: e[0]):
        if total <= limit:
            break
        if index in keep:
            continue
        for file in files:
            file.unlink(missing_ok=True)
        total -= size
        removed.append(index)
    return removed


def package_digest(package: Path) -> str:
    """A digest of every ``.py`` file under ``package`` (names and bytes), subpackages included:
    a cache keyed by it goes stale whenever code that shapes its entries changes, whatever moves."""
    digest = hashlib.blake2b(digest_size=20)
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0")
        digest.update(module.read_bytes() + b"\0")
    return digest.hexdigest()
