"""The input files of a load: each one's content hash, compression and shape, read in one pass."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

from trailhunt.ingest.load_report import FileStats, LoadReport
from trailhunt.ingest.rawjson import GZIP_MAGIC

CHUNK = 1 << 20
PEEK_BYTES = 4096  # enough text to skip a file's leading whitespace and see its first value
EMPTY_KEY = hashlib.blake2b(b"", digest_size=20).hexdigest()  # the content hash of a zero-byte file


@dataclass(frozen=True)
class SourceFile:
    """One input file: where it is, the hash of its bytes, whether it is gzip, and whether its text
    opens a JSON array (``[{...}, ...]``, as event exports and recordings are) rather than objects."""

    path: Path
    key: str
    gzip: bool
    array: bool
    text_bytes: int  # the size of its JSON text: gzip's own record of it, else the file's size


def _opens_array(first: bytes, gzip: bool) -> bool:
    """Whether the text starting ``first`` (the file's first bytes) opens with ``[``."""
    if gzip:
        try:
            first = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(first, PEEK_BYTES)
        except zlib.error:
            return False  # DuckDB fails on it too, and the tolerant reader names the problem
    return first[:PEEK_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"[")


def hash_file(path: Path) -> SourceFile:
    """Read ``path`` once: its content hash, gzip magic and shape. OSError when it cannot be read."""
    digest = hashlib.blake2b(digest_size=20)
    with path.open("rb") as stream:
        first = stream.read(CHUNK)
        digest.update(first)
        size, tail = len(first), first[-4:]
        while block := stream.read(CHUNK):
            digest.update(block)
            size += len(block)
            tail = (tail + block[-4:])[-4:]
    gzip = first.startswith(GZIP_MAGIC)
    # a gzip member ends with its text's size modulo 4 GiB (ISIZE); a log file is one member
    text_bytes = int.from_bytes(tail, "little") if gzip and size >= 18 else size
    return SourceFile(path, digest.hexdigest(), gzip, _opens_array(first, gzip), text_bytes)


def unreadable(path: Path, error: OSError) -> FileStats:
    """The stats of a file that could not even be opened."""
    return FileStats(fatal=f"cannot read: {error.strerror or error}")


def hash_all(files: list[Path], report: LoadReport) -> list[tuple[Path, SourceFile | None]]:
    """Hash every file; an unreadable one is rejected in ``report`` and paired with None."""
    hashed: list[tuple[Path, SourceFile | None]] = []
    for path in files:
        try:
            hashed.append((path, hash_file(path)))
        except OSError as error:
            report.add_file(path, unreadable(path, error))
            hashed.append((path, None))
    return hashed


def distinct(hashed: list[tuple[Path, SourceFile | None]]) -> list[SourceFile]:
    """The readable files of ``hashed``, one per content, in the order each content first appears."""
    return list({s.key: s for _, s in hashed if s is not None}.values())
