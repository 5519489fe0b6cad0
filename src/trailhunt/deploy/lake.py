"""Best-effort rewrite of a detection's Athena SQL for CloudTrail Lake.

AWS closed CloudTrail Lake to new customers in 2026, so this target is kept best-effort: the output
is marked as such and should be reviewed before use. Lake differs from the Athena table in ways a
rewrite can bridge: the table is an event data store id; fields keep CloudTrail's camelCase names;
``eventTime`` is a timestamp; ``readOnly`` is a boolean; ``requestParameters``, ``responseElements``
and ``additionalEventData`` are maps of strings (nested objects as JSON text).
"""

from __future__ import annotations

import re

from sqlglot import exp

from trailhunt.fidelity.transpile import parse_athena
from trailhunt.schema import JSON_TEXT_COLUMNS, columns

EVENT_DATA_STORE = re.compile(r"[A-Za-z0-9-]{1,128}\Z")
ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z$")
CLOUDTRAIL_TEXT_TIME = "%Y-%m-%dT%H:%i:%sZ"
_PLACEHOLDER = "trailhunt_event_data_store"
HEADER = (
    "-- {id}: best-effort CloudTrail Lake rewrite by trailhunt. AWS closed CloudTrail Lake to new customers\n"
    "-- in 2026; review before use (eventTime is a timestamp, request parameters are maps).\n"
)


def _camel_path(column: exp.Column) -> list[str] | None:
    fields, names = columns(), []
    for part in column.parts:
        field = fields.get(part.name.lower())
        if field is None:
            return None
        names.append(field.json_key)
        fields = field.children()
    return names


def _column(names: list[str]) -> exp.Expr:
    node: exp.Expr = exp.column(names[0], quoted=False)
    for name in names[1:]:
        node = exp.Dot(this=node, expression=exp.to_identifier(name))
    return node


def _lake_time(node: exp.Expr) -> exp.Expr | None:
    """A bound compared with eventtime, as a timestamp (or a Lake literal) instead of CloudTrail text."""
    if isinstance(node, exp.Literal) and node.is_string and (match := ISO_TIME.match(node.this)):
        return exp.Literal.string(f"{match.group(1)} {match.group(2)}")
    return node.this if isinstance(node, exp.TimeToStr) else None


def _is_readonly_flag(node: exp.Expr) -> bool:
    """``readonly = 'true'`` (or 'false'): a string on Athena, a boolean on Lake."""
    return (
        isinstance(node, exp.EQ)
        and isinstance(node.this, exp.Column)
        and node.this.name.lower() == "readonly"
        and isinstance(node.expression, exp.Literal)
        and node.expression.this in ("true", "false")
    )


def _rewrite(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.GTE | exp.GT | exp.LT | exp.LTE) and isinstance(node.this, exp.Column):
        bound = _lake_time(node.expression)
        if node.this.name.lower() == "eventtime" and bound is not None:
            return node.__class__(this=exp.column("eventTime"), expression=bound)
    if isinstance(node, exp.JSONExtractScalar) and isinstance(node.this, exp.Column):
        path = node.expression
        keys = [str(k.this) for k in path.expressions[1:]] if isinstance(path, exp.JSONPath) else []
        if node.this.name.lower() in JSON_TEXT_COLUMNS and keys and len(keys) == len(path.expressions) - 1:
            value = exp.func(
                "element_at", _column(_camel_path(node.this) or [node.this.name]), exp.Literal.string(keys[0])
            )
            rest = "$." + ".".join(keys[1:])
            return (
                value if len(keys) == 1 else exp.func("json_extract_scalar", value, exp.Literal.string(rest))
            )
    if _is_readonly_flag(node):
        return exp.EQ(
            this=exp.column("readOnly"), expression=exp.Boolean(this=node.expression.this == "true")
        )
    if isinstance(node, exp.Column) and (names := _camel_path(node)) is not None:
        if names == ["eventTime"]:
            return exp.func("date_format", exp.column("eventTime"), exp.Literal.string(CLOUDTRAIL_TEXT_TIME))
        if names[0].lower() in JSON_TEXT_COLUMNS:
            return exp.func("json_format", exp.cast(_column(names), "JSON"))
        if names == ["readOnly"]:
            return exp.cast(exp.column("readOnly"), "VARCHAR")
        return _column(names)
    if isinstance(node, exp.Table) and node.name.lower() == "cloudtrail":
        return exp.to_table(_PLACEHOLDER)
    return node


def to_lake(sql: str, detection_id: str, event_data_store: str) -> str:
    """``sql`` (rendered for Athena, flat layout) rewritten for a CloudTrail Lake event data store."""
    if not EVENT_DATA_STORE.match(event_data_store):
        raise ValueError(f"--event-data-store {event_data_store!r}: expected the event data store id")
    [query] = parse_athena(sql)
    rewritten = query.transform(_rewrite, copy=True).sql("trino", pretty=True)
    return HEADER.format(id=detection_id) + rewritten.replace(_PLACEHOLDER, event_data_store) + "\n"
