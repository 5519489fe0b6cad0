"""Problems and the error model: what went wrong, where, and which exit code it means.

``Problem`` is one finding of a check, with a code and a ``path:line``. The exceptions below are
the only ones the CLI turns into exit codes (``EXIT_*``), in one place (``cli.main``):
``UsageError`` (and ``ProblemError``, input that cannot be used) exit 2 with one line each;
anything else is an internal error, exit 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass(frozen=True)
class Problem:
    """One finding of a check: what is wrong and where."""

    code: str
    message: str
    path: Path | None = None
    line: int | None = None
    severity: Severity = "error"

    @property
    def location(self) -> str:
        """``path:line``, ``path`` or ``<unknown>``."""
        if self.path is None:
            return "<unknown>"
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        if self.path is None:
            return f"{self.severity} {self.code}: {self.message}"
        return f"{self.location}: {self.severity} {self.code}: {self.message}"


class TrailhuntError(Exception):
    """Base of trailhunt's own errors; ``exit_code`` is what the command exits with."""

    exit_code = EXIT_INTERNAL

    def lines(self) -> list[str]:
        """What to print, one line per problem."""
        return [first_line(self)]


class UsageError(TrailhuntError):
    """Wrong arguments or input: one line saying what is wrong and how to fix it (exit 2)."""

    exit_code = EXIT_USAGE


class ProblemError(UsageError):
    """Input that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        """One line per problem."""
        return [first_line(str(p)) for p in self.problems]


def first_line(error: BaseException | str) -> str:
    """The first non-empty line of an error message, else the exception's type name."""
    text = error if isinstance(error, str) else str(error)
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return "error" if isinstance(error, str) else type(error).__name__
