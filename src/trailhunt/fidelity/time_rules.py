"""Fidelity rules for dates and times: date_diff, AT TIME ZONE, to_iso8601, format_datetime.

Athena's session time zone is UTC and ``duckdb_engine.connect`` sets DuckDB's to UTC, so
``hour()``, ``date()`` and friends agree on UTC values. What remains are functions whose
semantics differ, handled here.
"""

from __future__ import annotations

import re

from sqlglot import exp

from trailhunt.fidelity.base import Context
from trailhunt.fidelity.sqlbuild import case, fn, lit, literal_text
from trailhunt.fidelity.typemap import TIMESTAMP_TZ, T

FIXED_UNITS = frozenset({"millisecond", "second", "minute", "hour", "day", "week"})
CALENDAR_UNITS = frozenset({"month", "quarter", "year"})
# Field extractions whose value is the same for Trino's zoned and DuckDB's local timestamp.
LOCAL_FIELD_FUNCTIONS = (
    exp.Hour, exp.Minute, exp.Second, exp.Day, exp.DayOfMonth, exp.Month, exp.Year, exp.Quarter,
    exp.DayOfWeekIso, exp.DayOfWeek, exp.DayOfYear, exp.Date, exp.TimeToStr,
)  # fmt: skip
ISO_FORMATS = {
    T.TIMESTAMPTZ: "%Y-%m-%dT%H:%M:%S.%gZ",
    T.TIMESTAMP: "%Y-%m-%dT%H:%M:%S.%g",
    T.DATE: "%Y-%m-%d",
}
# Joda pattern letters (repeat count) and the strftime directive printing the same text.
JODA_TO_STRFTIME = {
    ("y", 1): "%Y", ("y", 4): "%Y", ("y", 2): "%y",
    ("M", 1): "%-m", ("M", 2): "%m", ("M", 3): "%b", ("M", 4): "%B",
    ("d", 1): "%-d", ("d", 2): "%d", ("D", 3): "%j",
    ("H", 1): "%-H", ("H", 2): "%H", ("h", 1): "%-I", ("h", 2): "%I",
    ("m", 1): "%-M", ("m", 2): "%M", ("s", 1): "%-S", ("s", 2): "%S",
    ("S", 3): "%g", ("S", 6): "%f", ("E", 3): "%a", ("E", 4): "%A", ("a", 1): "%p",
}  # fmt: skip
JODA_TOKEN = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|.", re.DOTALL)


def date_diff(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino counts whole units elapsed (Joda); DuckDB's date_diff counts boundaries crossed.

    DuckDB's ``datesub`` counts elapsed units too. For calendar units Joda measures a negative
    difference as the negated forward one, which ``datesub`` does not, so that case is swapped.
    """
    unit_node = node.args.get("unit")
    unit = unit_node.name.lower() if isinstance(unit_node, (exp.Var, exp.Literal)) else ""
    if unit not in FIXED_UNITS | CALENDAR_UNITS:
        context.flag("FID010", f"date_diff unit {unit or '?'!r} is not a literal Trino unit", node)
        return None
    start, end = node.expression, node.this
    if unit in FIXED_UNITS:
        return fn("datesub", lit(unit), start, end)
    backwards = exp.LT(this=end.copy(), expression=start.copy())
    negated = exp.Neg(this=fn("datesub", lit(unit), end.copy(), start.copy()))
    return case((backwards, negated), default=fn("datesub", lit(unit), start, end))


def at_time_zone(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino keeps a zoned timestamp; DuckDB returns a zone-less local one (and reads a
    zone-less input as local to the target zone). Only field extraction from a zoned value agrees."""
    if context.types.of(node.this) in TIMESTAMP_TZ and isinstance(node.parent, LOCAL_FIELD_FUNCTIONS):
        return None
    message = (
        "AT TIME ZONE gives a zoned timestamp on Athena but a local one on DuckDB; use it on a "
        "timestamp with time zone, directly inside hour()/day_of_week()/date()/date_format()"
    )
    context.flag("FID011", message, node, near="at time zone")
    return None


def to_iso8601(node: exp.Expr, context: Context) -> exp.Expr | None:
    """No DuckDB function: strftime with Trino's exact layout (millisecond precision, ``Z``)."""
    value = node.expressions[0] if node.expressions else None
    kind = context.types.of(value) if value is not None else None
    precision = value.to.expressions if isinstance(value, exp.Cast) else []
    if value is None or kind is None or kind not in ISO_FORMATS or precision:
        message = "to_iso8601 needs a date, timestamp or timestamp with time zone of default precision"
        context.flag("FID012", message, node)
        return None
    return fn("strftime", value, lit(ISO_FORMATS[kind]))


def format_datetime(node: exp.Expr, context: Context) -> exp.Expr | None:
    """No DuckDB function: Joda patterns translated to strftime for the letters both print alike."""
    args = node.expressions
    pattern = literal_text(args[1]) if len(args) == 2 else None
    directives = joda_to_strftime(pattern) if pattern is not None else None
    if directives is None:
        message = (
            "format_datetime pattern must be a literal using only y, M, d, D, H, h, m, s, S, E, a "
            "and quoted text (or use date_format)"
        )
        context.flag("FID013", message, node)
        return None
    return fn("strftime", args[0], lit(directives))


def joda_to_strftime(pattern: str) -> str | None:
    """The strftime format printing what Joda ``pattern`` prints, or None if unsupported."""
    out = []
    for match in JODA_TOKEN.finditer(pattern):
        text = match.group(0)
        if text.startswith("'"):
            out.append("'" if text == "''" else text[1:-1].replace("''", "'").replace("%", "%%"))
        elif match.group(1):
            directive = JODA_TO_STRFTIME.get((text[0], len(text)))
            if directive is None:
                return None
            out.append(directive)
        else:
            out.append("%%" if text == "%" else text)
    return "".join(out)
