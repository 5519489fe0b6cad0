"""A detection file: YAML metadata in a leading Jinja comment, then Athena SQL.

The header is validated with pydantic (unknown keys are errors, so typos never pass silently).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from trailhunt.catalog.yamlfile import parse_yaml, top_level_lines
from trailhunt.problems import Problem, ProblemError

Level = Literal["low", "medium", "high"]
Severity = Literal["low", "medium", "high", "critical"]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ParameterValue = int | float | str | list[str]

HEADER = re.compile(r"\A\s*\{#-?(?P<yaml>.*?)-?#\}", re.DOTALL)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TestCase(_Strict):
    """One fixture run: the events, an optional account context, and the expected result."""

    __test__ = False  # not a pytest class

    fixture: NonEmpty
    expect: int | list[dict[str, Any]] = Field(
        description="a row count, or rows compared on the columns each row names"
    )
    context: NonEmpty | None = None
    params: dict[Identifier, ParameterValue] = Field(default_factory=dict)
    name: Identifier | None = None

    @property
    def expected_count(self) -> int:
        """How many rows the case expects."""
        return self.expect if isinstance(self.expect, int) else len(self.expect)

    def case_id(self, index: int) -> str:
        """A stable id: the explicit name, else the fixture stem (suffixed when repeated)."""
        if self.name:
            return self.name
        stem = Path(self.fixture).name.split(".")[0]
        return f"{stem}_{index}" if index else stem


class Metadata(_Strict):
    """The detection header."""

    id: Identifier
    title: NonEmpty
    attack: list[NonEmpty] = Field(min_length=1)
    confidence: Level
    severity: Severity
    description: NonEmpty
    tuning: NonEmpty
    corroborate: list[NonEmpty] = Field(min_length=1)
    response: list[NonEmpty] = Field(min_length=1)
    references: list[NonEmpty] = Field(default_factory=list)
    parameters: dict[Identifier, ParameterValue] = Field(
        default_factory=dict, description="tunable defaults (thresholds, windows) the SQL reads"
    )
    attempts_opt_out: NonEmpty | None = Field(
        default=None,
        description="why failed calls are not reported as attempts (errors or bursts are the subject)",
    )
    tests: list[TestCase] = Field(min_length=1)


@dataclass(frozen=True)
class Detection:
    """A loaded detection: metadata, SQL template and where it came from."""

    meta: Metadata
    sql: str
    path: Path
    sql_first_line: int
    key_lines: dict[str, int]

    @property
    def id(self) -> str:
        """The detection id."""
        return self.meta.id

    @property
    def tactic(self) -> str:
        """The tactic folder the file sits in."""
        return self.path.parent.name

    @property
    def template_source(self) -> str:
        """The whole file as Jinja sees it (header comment included, so line numbers hold)."""
        return self.path.read_text(encoding="utf-8")

    def line_of(self, key: str) -> int:
        """File line of a header key, or of the header start."""
        return self.key_lines.get(key, 1)


def _pydantic_problems(error: ValidationError, path: Path, key_lines: dict[str, int]) -> list[Problem]:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        line = key_lines.get(str(item["loc"][0]), 1) if item["loc"] else 1
        problems.append(Problem("META001", f"{where}: {item['msg']}", path, line))
    return problems


def load_detection(path: Path) -> Detection:
    """Parse one detection file; raise ProblemError listing every header problem."""
    text = path.read_text(encoding="utf-8")
    match = HEADER.match(text)
    if match is None:
        raise ProblemError([Problem("META000", "no leading {#- ... -#} metadata header", path, 1)])
    header_line = text[: match.start("yaml")].count("\n") + 1
    raw = parse_yaml(match.group("yaml"), path, header_line)
    if not isinstance(raw, dict):
        raise ProblemError([Problem("META000", "the header is not a YAML mapping", path, header_line)])
    key_lines = {k: header_line + v for k, v in top_level_lines(match.group("yaml")).items()}
    try:
        meta = Metadata.model_validate(raw)
    except ValidationError as error:
        raise ProblemError(_pydantic_problems(error, path, key_lines)) from error
    problems = []
    if meta.id != path.stem:
        problems.append(
            Problem(
                "META002", f"id {meta.id!r} differs from file name {path.stem!r}", path, key_lines.get("id")
            )
        )
    if problems:
        raise ProblemError(problems)
    sql_first_line = text[: match.end()].count("\n") + 1
    return Detection(meta, text[match.end() :], path, sql_first_line, key_lines)
