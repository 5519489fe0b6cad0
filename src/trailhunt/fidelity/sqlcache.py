"""The on-disk cache of Athena-to-DuckDB translations (``$TRAILHUNT_CACHE/duckdb-sql``), used only
after checks: a cache is not trusted.

An entry's key is a digest of everything that determines it: the Athena SQL text, the translator
(trailhunt's and sqlglot's versions and every source file of the trailhunt package) and the
CloudTrail schema DDL. The entry records those inputs and a digest of its content. On read, an
entry that is a link, is not the user's, is open to other users, or does not match its key and
digest is discarded with a warning (the caller translates again). The folder is 0700 and files are
0600, written under unique temporary names and renamed into place; a size cap evicts the least
recently used entries. ``--no-cache`` turns it off (``ingest.cachedir.bypassed``), with every cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import sqlglot

import trailhunt
from trailhunt.ingest.cachedir import cache_dir, evict, package_digest, private_dir, write_private

FORMAT = 1
DEFAULT_MAX_BYTES = 16 * 1024**2
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def translator_fingerprint() -> str:
    """trailhunt's and sqlglot's versions and every source file of the trailhunt package."""
    package = Path(trailhunt.__file__).resolve().parent
    return _digest(trailhunt.__version__, sqlglot.__version__, package_digest(package))


@lru_cache(maxsize=1)
def schema_fingerprint() -> str:
    """A digest of the CloudTrail table DDL every translation is typed against."""
    ddl = resources.files("trailhunt.data").joinpath("cloudtrail_table.sql").read_bytes()
    return hashlib.blake2b(ddl, digest_size=20).hexdigest()


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()


@dataclass(frozen=True)
class TranslationCache:
    """Translations under ``root``, at most ``max_bytes`` in all."""

    root: Path
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def default(cls) -> TranslationCache:
        """The user's cache folder (``$TRAILHUNT_CACHE`` or ``~/.cache/trailhunt``)."""
        return cls(cache_dir("duckdb-sql"))

    @staticmethod
    def key(sql: str) -> str:
        """The entry key of ``sql`` under the current translator and schema."""
        return _digest(str(FORMAT), translator_fingerprint(), schema_fingerprint(), sql)

    def get(self, sql: str) -> str | None:
        """The stored translation of ``sql``, or None (absent, or discarded after a failed check)."""
        key = self.key(sql)
        path = self.root / f"{key}.json"
        try:
            translated = _verified(_read_private(path), key, sql)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            self._discard(path, str(error))
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: eviction goes by modification time
        return translated

    def put(self, sql: str, translated: str) -> None:
        """Store a translation; a cache that cannot be written is skipped, never an error."""
        key = self.key(sql)
        entry = {
            "format": FORMAT, "key": key, "translator": translator_fingerprint(),
            "schema": schema_fingerprint(), "athena_sql": sql, "duckdb_sql": translated,
            "digest": _digest(key, translated),
        }  # fmt: skip
        try:
            write_private(private_dir(self.root) / f"{key}.json", json.dumps(entry).encode())
            self.evict()
        except OSError as error:
            log.warning("trailhunt: translation cache not written (%s)", error)

    def evict(self) -> None:
        """Remove the least recently used entries until the folder is within ``max_bytes``."""
        evict(((path, [path]) for path in self.root.iterdir()), set(), self.max_bytes)

    def _discard(self, path: Path, reason: str) -> None:
        log.warning("trailhunt: discarded translation cache entry %s: %s; translating again", path, reason)
        with contextlib.suppress(OSError):
            path.unlink()


def _verified(text: str, key: str, sql: str) -> str:
    """The translation in an entry's ``text``; ValueError when it is not the entry for ``key``."""
    try:
        entry = json.loads(text)
    except ValueError:
        raise ValueError("not a cache entry") from None
    expected = {
        "format": FORMAT, "key": key, "translator": translator_fingerprint(),
        "schema": schema_fingerprint(), "athena_sql": sql,
    }  # fmt: skip
    if not isinstance(entry, dict) or any(entry.get(k) != v for k, v in expected.items()):
        raise ValueError("its recorded inputs do not match its key")
    translated = entry.get("duckdb_sql")
    if not isinstance(translated, str) or entry.get("digest") != _digest(key, translated):
        raise ValueError("its content does not match its digest")
    return translated


def _read_private(path: Path) -> str:
    """The text of a regular file that is not a link, belongs to this user and is closed to others."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError("not a regular file")
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise OSError(f"owned by uid {info.st_uid} with mode {info.st_mode & 0o777:o}, not 600 and yours")
        return stream.read().decode("utf-8")
