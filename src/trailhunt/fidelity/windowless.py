"""DuckDB translations that do not depend on the hunt window: translate once, hunt any window.

A detection's Athena SQL carries the window's bounds (and baseline look-backs) as literals, so a
translation keyed by that text is lost with every new window or data set. Here the SQL is also
rendered for a fixed sentinel window; that text is what gets translated and cached
(``transpile.to_duckdb``), and the real window's literals then replace the sentinel's in the
translation. The replacement is used only when checks show it is the text translating the
concrete SQL would give:

- the concrete and the sentinel SQL differ only in the digits of plain string literals (same
  length, same other characters, same text outside those literals);
- each sentinel literal stands for one concrete literal wherever it occurs;
- the translation holds each sentinel value exactly as often as the sentinel SQL, always as a
  whole quoted literal, so none was rewritten, dropped or duplicated.

Otherwise the concrete SQL is translated: a detection that defeats the sentinel is slower,
never wrong. With the translation cache off (``--no-cache``) the concrete SQL is translated too.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from trailhunt.fidelity.transpile import to_duckdb
from trailhunt.ingest.cachedir import caches_enabled
from trailhunt.problems import ProblemError, first_line
from trailhunt.render.window import Window

# Unlikely in any detection's own text, and written by the same code as real bounds.
SENTINEL_START = datetime(2222, 2, 22, 22, 22, 22, tzinfo=UTC)
SENTINEL_END = datetime(2222, 3, 3, 3, 3, 3, tzinfo=UTC)
_DIGIT = re.compile(r"[0-9]")
log = logging.getLogger(__name__)
# What a SQL lexer reads as one unit, leftmost first: string literals, quoted identifiers, comments.
_LEXEMES = re.compile(
    r"(?P<prefix>\b[A-Za-z]+&?)?(?P<string>'(?:[^']|'')*')|\"(?:[^\"]|\"\")*\"|`[^`]*`|--[^\n]*|/\*.*?\*/",
    re.DOTALL,
)


@dataclass(frozen=True)
class Translation:
    """A detection's SQL for one window: Athena text, DuckDB text, and how the latter was made."""

    athena_sql: str
    duckdb_sql: str
    fallback: str | None = None  # why the concrete SQL was translated; None: the sentinel's was reused


def sentinel_window(window: Window) -> Window:
    """The fixed window every translation is made for, in ``window``'s layout."""
    return Window(SENTINEL_START, SENTINEL_END, window.layout, window.relative)


def translate_rendered(render: Callable[[Window], str], window: Window, origin: str = "<sql>") -> Translation:
    """``render(window)`` translated to DuckDB through the translation of ``render(sentinel)``.

    Raises ProblemError when the concrete SQL cannot be rendered or translated.
    """
    concrete = render(window)
    if not caches_enabled():
        return Translation(concrete, to_duckdb(concrete, origin), "the translation cache is off")
    try:
        sentinel = render(sentinel_window(window))
        mapping = literal_mapping(sentinel, concrete)
        duckdb_sql = substitute(to_duckdb(sentinel, origin), mapping)
    except (ProblemError, SentinelMismatchError) as error:
        reason = first_line(error)
        log.debug("trailhunt: %s translated for its own window: %s", origin, reason)
        return Translation(concrete, to_duckdb(concrete, origin), reason)
    return Translation(concrete, duckdb_sql)


class SentinelMismatchError(ValueError):
    """The sentinel's translation cannot stand in for the concrete SQL's."""


@dataclass(frozen=True)
class LiteralMapping:
    """Sentinel literal values, the concrete value each stands for, and how often each occurs."""

    values: dict[str, str]
    occurrences: Counter[str]


def literal_mapping(sentinel: str, concrete: str) -> LiteralMapping:
    """Which plain string literals of ``sentinel`` become which in ``concrete``.

    Raises SentinelMismatchError unless the two differ only in digits inside plain string literals and
    each sentinel value maps to one concrete value everywhere.
    """
    if sentinel == concrete:
        return LiteralMapping({}, Counter())
    if len(sentinel) != len(concrete) or _DIGIT.sub("0", sentinel) != _DIGIT.sub("0", concrete):
        raise SentinelMismatchError("the window changes more than the digits of the SQL")
    spans = string_spans(sentinel)
    edges = [0, *(edge for span in spans for edge in span), len(sentinel)]
    if any(sentinel[a:b] != concrete[a:b] for a, b in zip(edges[0::2], edges[1::2], strict=True)):
        raise SentinelMismatchError("the window changes SQL outside string literals")
    pairs = [(sentinel[a + 1 : b - 1], concrete[a + 1 : b - 1]) for a, b in spans]
    values: dict[str, str] = {}
    for value, real in pairs:
        if values.setdefault(value, real) != real:
            raise SentinelMismatchError(f"sentinel literal {value!r} stands for more than one value")
    changed = {value: real for value, real in values.items() if value != real}
    occurrences = Counter(value for value, _ in pairs if value in changed)
    return LiteralMapping(changed, occurrences)


def string_spans(sql: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each plain string literal of ``sql``: quotes around text without quotes.

    Read left to right as a SQL lexer does, so quotes inside comments and quoted identifiers do
    not count. Other literals (escaped quotes, ``X''``/``U&''`` prefixes) count as SQL outside
    literals, which must not change.
    """
    return [
        match.span()
        for match in _LEXEMES.finditer(sql)
        if match["string"] and not match["prefix"] and "'" not in match["string"][1:-1]
    ]


def substitute(translated: str, mapping: LiteralMapping) -> str:
    """``translated`` with each sentinel literal replaced by its concrete value, in one pass.

    Raises SentinelMismatchError unless each sentinel value occurs in ``translated`` exactly as often as
    in the sentinel SQL, each time as a whole quoted literal.
    """
    if not mapping.values:
        return translated
    alternatives = "|".join(re.escape(value) for value in mapping.values)
    literal = re.compile(f"(?<!')'({alternatives})'(?!')")
    found = Counter(match.group(1) for match in literal.finditer(translated))
    for value, expected in mapping.occurrences.items():
        if found[value] != expected or translated.count(value) != expected:
            raise SentinelMismatchError(
                f"sentinel literal {value!r} occurs {translated.count(value)} time(s) in the translation "
                f"({found[value]} as a literal), {expected} in the SQL"
            )
    return literal.sub(lambda match: f"'{mapping.values[match.group(1)]}'", translated)
