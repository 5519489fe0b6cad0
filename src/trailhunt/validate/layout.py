"""Source layout of detection SQL and templates: lines a reader can take in without scrolling.

A line over ``MAX_LINE`` characters in a detection's SQL body or a ``templates/*.sql`` file is a
warning (SQL011). A detection's ``{#- ... -#}`` YAML header is exempt: its response commands must
stay one pasteable line each.
"""

from __future__ import annotations

from pathlib import Path

from trailhunt.problems import Problem

MAX_LINE = 120


def long_lines(text: str, path: Path, first_line: int = 1) -> list[Problem]:
    """SQL011 warnings for each line of ``text`` (starting at file line ``first_line``) over
    ``MAX_LINE`` characters."""
    return [
        Problem(
            "SQL011",
            f"line is {len(line)} characters (limit {MAX_LINE}): break it, or name the expression "
            "as a column of a CTE",
            path,
            first_line + offset,
            "warning",
        )
        for offset, line in enumerate(text.splitlines())
        if len(line) > MAX_LINE
    ]
