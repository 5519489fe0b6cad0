"""Fidelity rules for numbers and casts: division, rounding casts, text/number mixing, approximations."""

from __future__ import annotations

from sqlglot import exp

from trailhunt.fidelity.base import Context
from trailhunt.fidelity.sqlbuild import case, fail, fn, lit, paren
from trailhunt.fidelity.typemap import DECIMAL, FLOATING, INTEGER, TEXT, T

# Trino casts text to an integer with Java's parseLong after trim(): a sign and digits, between
# characters up to U+0020 (DuckDB trims only spaces, tabs and line breaks).
TRINO_INTEGER_TEXT = "[+-]?[0-9]+"
JAVA_TRIM = r"^[\x00-\x20]+|[\x00-\x20]+$"
NOT_TEXT = INTEGER | FLOATING | DECIMAL | {T.BOOLEAN, T.DATE, T.TIMESTAMP, T.TIMESTAMPTZ, T.JSON}
NUMBERS = INTEGER | FLOATING | DECIMAL


def division(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino divides integers with truncation toward zero (5 / 2 = 2, -7 / 2 = -3); DuckDB's
    ``/`` gives 2.5 and its ``//`` floors. ``(a - a % b) // b`` is exact truncation."""
    assert isinstance(node, exp.Binary)
    left, right = context.types.of(node.left), context.types.of(node.right)
    if left in FLOATING or right in FLOATING:
        return None
    if left in DECIMAL or right in DECIMAL:
        message = (
            "decimal division rounds to the operands' scale on Athena (1.0 / 3 = 0.3) but not on "
            "DuckDB: CAST an operand to double"
        )
        context.flag("FID020", message, node, near="/")
        return None
    if left in INTEGER and right in INTEGER:
        dividend, divisor = node.left, node.right
        remainder = exp.Mod(this=paren(dividend.copy()), expression=paren(divisor.copy()))
        exact = exp.Paren(this=exp.Sub(this=paren(dividend), expression=remainder))
        return exp.IntDiv(this=exact, expression=paren(divisor))
    message = (
        "cannot tell whether both operands of '/' are integers (Athena truncates integer division): "
        "CAST them to double or bigint"
    )
    context.flag("FID021", message, node, "warning", near="/")
    return None


def cast(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Casts whose result differs: double to integer (Trino rounds half up, DuckDB half to even),
    text to integer (DuckDB also accepts ' 5', '5.5', '1e2', '0x10'), double to text."""
    assert isinstance(node, exp.Cast)
    target, source = node.to.this, context.types.of(node.this)
    safe = isinstance(node, exp.TryCast) or bool(node.args.get("safe"))
    if source == T.JSON:
        return None  # fidelity_json.json_cast
    if target in INTEGER and source in FLOATING:
        rounded = node.copy()
        rounded.set("this", fn("round", node.this))
        return rounded
    if target in TEXT and source in FLOATING:
        message = (
            "CAST of a double to varchar prints 1.5E0 or 1.5 depending on the Athena engine and "
            "1.5 on DuckDB: CAST to bigint or decimal first, or use format_number"
        )
        context.flag("FID022", message, node)
        return None
    if target in INTEGER and source in TEXT:
        value = node.this
        trimmed = fn("regexp_replace", value.copy(), lit(JAVA_TRIM), lit(""), lit("g"))
        digits = fn("regexp_full_match", trimmed.copy(), lit(TRINO_INTEGER_TEXT))
        converted = node.copy()
        converted.set("this", trimmed)
        if safe:
            return case((digits, converted))
        accepted = exp.Or(this=exp.Is(this=value, expression=exp.Null()), expression=digits)
        return case((accepted, converted), default=fail(f"Cannot cast value to {target.value}"))
    return None


def approx_distinct(node: exp.Expr, context: Context) -> exp.Expr | None:
    """DuckDB's HyperLogLog is off by one already at 50 values; Trino's is exact on small sets.
    count(DISTINCT) matches Athena on fixtures, and the warning covers large sets."""
    message = (
        "approx_distinct is approximate on Athena (standard error 2.3%): a threshold near the "
        "boundary can fire differently from the tests; prefer count(DISTINCT ...)"
    )
    context.flag("FID023", message, node, "warning")
    return exp.Count(this=exp.Distinct(expressions=[node.this]))


def approx_percentile(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Different sketches (Trino q-digest, DuckDB t-digest) give different approximations."""
    message = "approx_percentile uses a different sketch on Athena and DuckDB; results can differ"
    context.flag("FID024", message, node, "warning")
    return None


def concat(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino's concat and || take strings (or arrays) only; DuckDB converts anything silently."""
    parts = node.expressions if isinstance(node, exp.Concat) else [node.this, node.expression]
    for part in parts:
        kind = context.types.of(part)
        if kind is not None and kind in NOT_TEXT:
            message = f"concatenating a {kind.value} fails on Athena: CAST it to varchar first"
            context.flag("FID030", message, node)
    return None


def comparison(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino refuses to compare varchar with a number; DuckDB casts one side silently."""
    assert isinstance(node, exp.Binary)
    if not isinstance(node.left, exp.Literal) and not isinstance(node.right, exp.Literal):
        return None  # checked where one side is a literal: the common mistake, and cheap
    kinds = {context.types.of(node.left), context.types.of(node.right)}
    if kinds & TEXT and kinds & NUMBERS:
        message = "comparing varchar with a number fails on Athena: CAST one side explicitly"
        context.flag("FID031", message, node)
    return None
