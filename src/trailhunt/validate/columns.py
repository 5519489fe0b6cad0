"""Resolve every column and struct-field reference of a query against the CloudTrail schema.

sqlglot's qualifier stops at the first unknown column and does not check struct members
(``useridentity.arnn``), so this walks each scope itself and reports every bad reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

from trailhunt.schema import TABLE_NAME, Field, columns

PARTITION_COLUMNS = frozenset({"region", "year", "month", "day", "timestamp"})


@dataclass(frozen=True)
class BadReference:
    """A reference that does not resolve, and why."""

    text: str
    reason: str


def _path(column: exp.Column) -> tuple[list[str], exp.Expr]:
    """The dotted name parts of a column reference, extended by any enclosing ``.field`` access."""
    parts = [p.name for p in column.parts]
    node: exp.Expr = column
    while isinstance(node.parent, exp.Dot) and node.parent.this is node:
        node = node.parent
        parts.append(node.expression.name)
    return parts, node


def _lambda_names(node: exp.Expr) -> set[str]:
    names: set[str] = set()
    parent = node.parent
    while parent is not None:
        if isinstance(parent, exp.Lambda):
            names.update(p.name.lower() for p in parent.expressions)
        parent = parent.parent
    return names


def _unnest_names(scope: Scope) -> set[str]:
    names: set[str] = set()
    for unnest in scope.expression.find_all(exp.Unnest):
        alias = unnest.args.get("alias")
        if isinstance(alias, exp.TableAlias):
            names.add(alias.name.lower())
            names.update(c.name.lower() for c in alias.columns)
    return names


def _resolve_in_table(parts: list[str]) -> str | None:
    """None when ``parts`` is a valid column path of the table, else the reason."""
    fields: dict[str, Field] = columns()
    walked: list[str] = []
    for index, part in enumerate(parts):
        name = part.lower()
        if index == 0 and name in PARTITION_COLUMNS:
            return None
        field = fields.get(name)
        if field is None:
            if not walked:
                return f"no column {part!r} in the CloudTrail table"
            if not fields:
                return f"{'.'.join(walked)} is not a struct, so it has no field {part!r}"
            return f"no field {part!r} in struct {'.'.join(walked)} (fields: {', '.join(fields)})"
        walked.append(name)
        fields = field.children()
    return None


def _named_selects(node: exp.Expr) -> list[str]:
    return node.named_selects if isinstance(node, exp.Query) else []


def _source_outputs(source: object) -> set[str] | None:
    """Output names of a derived source (CTE/subquery), None for a base table."""
    if isinstance(source, Scope):
        return {n.lower() for n in _named_selects(source.expression)}
    return None


def _check_column(column: exp.Column, scope: Scope) -> BadReference | None:
    parts, node = _path(column)
    first = parts[0].lower()
    if first in _lambda_names(column) or first in _unnest_names(scope):
        return None
    sources = {name.lower(): src for name, src in scope.sources.items()}
    if len(parts) > 1 and first in sources:
        outputs = _source_outputs(sources[first])
        if outputs is None:
            reason = _resolve_in_table(parts[1:])
        else:
            reason = None if parts[1].lower() in outputs else f"{first!r} has no column {parts[1]!r}"
        return BadReference(node.sql("athena"), reason) if reason else None
    reasons: list[str | None] = []
    for source in sources.values():
        outputs = _source_outputs(source)
        if outputs is None:
            reason = _resolve_in_table(parts)
            reasons.insert(0, reason)
        else:
            reason = None if first in outputs else f"no column {parts[0]!r}"
            reasons.append(reason)
        if reason is None:
            return None
    if first in {n.lower() for n in _named_selects(scope.expression)}:
        return None  # a select alias used in ORDER BY / GROUP BY
    return BadReference(node.sql("athena"), next(filter(None, reasons), f"no source for {parts[0]!r}"))


def bad_references(query: exp.Expr) -> list[BadReference]:
    """Every column or struct-field reference in ``query`` that does not resolve."""
    found: list[BadReference] = []
    for scope in traverse_scope(query):
        for column in scope.columns:
            if isinstance(column.this, exp.Star):
                continue
            bad = _check_column(column, scope)
            if bad and bad not in found:
                found.append(bad)
    return found


def reads_cloudtrail(select: exp.Select) -> bool:
    """Whether ``select`` scans the CloudTrail table directly (FROM or JOIN)."""
    tables = [select.args.get("from_"), *list(select.args.get("joins") or [])]
    return any(
        isinstance(t, exp.Table) and t.name.lower() == TABLE_NAME
        for clause in tables
        if clause is not None
        for t in [clause.this]
    )
