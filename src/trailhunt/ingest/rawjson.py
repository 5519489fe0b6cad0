"""The tolerant reader: turn one log file DuckDB could not read whole into JSON lines of its values.

Used for the files DuckDB's fast reader rejects (a bad line, invalid UTF-8, a BOM, concatenated
documents, a log object larger than its buffer). It streams: a ``{"Records": [...]}`` object is
cut into one line per record without building the whole document, so a 110 MB file needs about
twice its size in memory. Every value it cannot parse is named with its line number; the values
around it are kept.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

GZIP_MAGIC = b"\x1f\x8b"
_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"
MAX_PROBLEMS = 20  # per file; the count goes on, the list stops


class FileError(Exception):
    """The whole file cannot be read; the message says why."""


@dataclass
class Salvage:
    """What the tolerant reader wrote and what it could not parse."""

    values: int = 0
    bad_values: int = 0  # unparseable values (counted as rejected events)
    problems: list[str] = field(default_factory=list)
    unlisted: int = 0  # problems beyond MAX_PROBLEMS

    def note(self, problem: str) -> None:
        """Record a problem (the list is capped; the rest are counted)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.unlisted += 1


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when its magic says gzip; a broken gzip raises FileError."""
    data = path.read_bytes()
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise FileError(f"corrupt or truncated gzip: {error}") from error


def decode(data: bytes, salvage: Salvage) -> str:
    """UTF-8 text; invalid bytes become U+FFFD and each bad line is named. A BOM is dropped."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        pass
    bad: list[int] = []

    def replace(error: UnicodeError) -> tuple[str, int]:
        assert isinstance(error, UnicodeDecodeError)
        bad.append(error.start)
        return "\ufffd", error.end

    codecs.register_error("trailhunt-note", replace)
    text = data.decode("utf-8", errors="trailhunt-note")
    lines = sorted({data.count(b"\n", 0, at) + 1 for at in bad[:10]})  # bounded: a binary file has millions
    shown = ", ".join(str(n) for n in lines) + (f" and {len(bad) - 10} more bytes" if len(bad) > 10 else "")
    salvage.note(f"invalid UTF-8 on line {shown} (replaced with U+FFFD, records kept)")
    return text.removeprefix("\ufeff")


_NEXT_DOCUMENT = re.compile(r"\n(?=[\[{])")


class _Reader:
    """A cursor over the text, yielding records as it goes (one value in memory at a time)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def space(self) -> None:
        text, at = self.text, self.at
        while at < len(text) and text[at] in _WHITESPACE:
            at += 1
        self.at = at

    def peek(self, token: str) -> bool:
        return self.text.startswith(token, self.at)

    def value(self) -> Any:
        """One JSON value; ValueError (with a reason) when it cannot be parsed."""
        try:
            value, self.at = _DECODER.raw_decode(self.text, self.at)
        except json.JSONDecodeError as error:
            raise ValueError(error.msg) from error
        except RecursionError as error:
            raise ValueError("nested too deeply") from error
        return value

    def array(self) -> Iterator[Any]:
        """Elements of the array at the cursor (on its ``[``); the cursor ends after ``]``."""
        self.at += 1
        self.space()
        while not self.peek("]"):
            yield self.value()
            self.space()
            if self.peek(","):
                self.at += 1
                self.space()
            elif not self.peek("]"):
                raise ValueError("expected ',' or ']'")
        self.at += 1

    def log_object(self) -> Iterator[Any]:
        """Records of the object at the cursor: its ``Records`` array streamed, else the object."""
        rest: dict[str, Any] = {}
        streamed = False
        self.at += 1
        self.space()
        while not self.peek("}"):
            key = self.value()
            self.space()
            if not (isinstance(key, str) and self.peek(":")):
                raise ValueError("expected a key and ':'")
            self.at += 1
            self.space()
            if key == "Records" and self.peek("["):
                streamed = True
                yield from self.array()
            else:
                rest[key] = self.value()
            self.space()
            if self.peek(","):
                self.at += 1
                self.space()
            elif not self.peek("}"):
                raise ValueError("expected ',' or '}'")
        self.at += 1
        if not streamed:
            yield rest

    def documents(self, salvage: Salvage, first_line: int = 1) -> Iterator[Any]:
        """Every record of every top-level value: log objects, arrays, JSON lines, concatenations.

        A value that does not parse is named by line; reading resumes at the next line that starts
        a document (``{`` or ``[`` in the first column).
        """
        self.space()
        while self.at < len(self.text):
            start = self.at
            try:
                if self.peek("{"):
                    yield from self.log_object()
                elif self.peek("["):
                    for element in self.array():
                        yield from _records_of(element)
                else:
                    yield self.value()
            except ValueError as error:
                resume = _NEXT_DOCUMENT.search(self.text, start + 1)
                self.at = resume.start() + 1 if resume else len(self.text)
                salvage.bad_values += 1
                if len(salvage.problems) >= MAX_PROBLEMS:  # counting lines is O(file): only for listed ones
                    salvage.unlisted += 1
                else:
                    first = _line(self.text, start) + first_line - 1
                    last = _line(self.text, self.at - 1) + first_line - 1
                    skipped = "line skipped" if last <= first else f"lines {first}-{last} skipped"
                    salvage.note(f"invalid JSON at line {first}: {error} ({skipped})")
            self.space()


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _parses_alone(line: str) -> bool:
    try:
        _, end = _DECODER.raw_decode(line.strip())
    except (ValueError, RecursionError):
        return False
    return end == len(line.strip())


def _json_lines(text: str) -> bool:
    """Whether the text is JSON lines: one of its first non-empty lines is a whole JSON value
    (a line of a pretty-printed document never is)."""
    lines = [line for line in text[: 1 << 20].split("\n")[:-1] if line.strip()][:10]
    return len(lines) > 1 and any(_parses_alone(line) for line in lines)


def values(text: str, salvage: Salvage) -> Iterator[Any]:
    """Every record of the text; JSON lines are read line by line, so a bad line costs only itself
    (the json module's error messages count lines from the start of what it parses)."""
    if not _json_lines(text):
        yield from _Reader(text).documents(salvage)
        return
    at, number = 0, 1
    while at < len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if text[at:end].strip():
            yield from _Reader(text[at:end]).documents(salvage, number)
        at, number = end + 1, number + 1


def _records_of(value: Any) -> Iterator[Any]:
    """The records of one array element: a nested log object's Records, else the element."""
    if isinstance(value, dict) and isinstance(value.get("Records"), list):
        yield from value["Records"]
    else:
        yield value


def salvage_file(path: Path, out: IO[str]) -> Salvage:
    """Write every value of ``path`` that could be an event to ``out``, one JSON line each.

    Raises FileError when nothing in the file can be read (corrupt gzip, no JSON at all).
    """
    salvage = Salvage()
    text = decode(read_bytes(path), salvage)
    if not text.strip():
        raise FileError("empty file: no JSON document")
    for value in values(text, salvage):
        salvage.values += 1
        line = json.dumps(value, ensure_ascii=False, allow_nan=True)
        out.write(line.encode("utf-8", "replace").decode("utf-8") + "\n")
    if salvage.unlisted:
        salvage.problems.append(f"{salvage.unlisted} more problems of the same kinds, not listed")
    if salvage.values == 0:
        raise FileError(salvage.problems[0] if salvage.problems else "no JSON value in the file")
    return salvage
