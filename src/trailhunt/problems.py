"""Problems found in detections, contexts and inputs, each with a code and a ``path:line``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


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
        return f"{self.location}: {self.severity} {self.code}: {self.message}"


class ProblemError(Exception):
    """Raised when input cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
