"""The CloudTrail schema as DuckDB needs it: the camelCase JSON structure to read and the renaming SELECT."""

from __future__ import annotations

import json
from functools import cache

from sqlglot import exp

from trailhunt.schema import JSON_TEXT_COLUMNS, Field, columns, type_sql


def _structure(field: Field) -> object:
    """``json_transform``'s structure for one field: JSON text, a nested object, a list or a type."""
    if field.name in JSON_TEXT_COLUMNS:
        return "JSON"
    if members := field.children():
        return {m.json_key: _structure(m) for m in members.values()}
    if field.type.is_type(exp.DataType.Type.ARRAY):
        return [_structure(Field("element", field.type.expressions[0]))]
    return type_sql(field.type, "duckdb")


@cache
def transform_structure() -> str:
    """The ``json_transform`` structure of one log document, as JSON text.

    A document is either ``{"Records": [record, ...]}`` or one bare record (JSON lines), so the
    structure holds the ``Records`` list and every record field beside it. Keys are CloudTrail's
    camelCase JSON keys (matched case-sensitively).
    """
    record = {f.json_key: _structure(f) for f in columns().values()}
    return json.dumps({"Records": [record], **record})


def _member(expr: str, member: Field) -> str:
    return f'{expr}."{member.json_key}"'


def _renamed(expr: str, field: Field) -> str:
    """SQL turning ``expr`` (camelCase struct) into the lower-case Athena shape of ``field``."""
    if field.name in JSON_TEXT_COLUMNS:
        return f"CAST({expr} AS VARCHAR)"
    members = field.children()
    if members:
        packed = ", ".join(f'"{m.name}" := {_renamed(_member(expr, m), m)}' for m in members.values())
        return f"CASE WHEN {expr} IS NULL THEN NULL ELSE struct_pack({packed}) END"
    if field.type.is_type(exp.DataType.Type.ARRAY):
        element = field.type.expressions[0]
        inner = Field("element", element)
        return f"list_transform({expr}, lambda x: {_renamed('x', inner)})"
    return expr


@cache
def renaming_select(source: str) -> str:
    """Select list producing the Athena column names and shapes from struct/record ``source``.

    ``source`` is an SQL prefix such as ``r.`` (a record struct) or an empty string (top-level
    columns of a ``read_json`` of bare records).
    """
    parts = []
    for field in columns().values():
        expr = f'{source}"{field.json_key}"'
        parts.append(f'{_renamed(expr, field)} AS "{field.name}"')
    return ", ".join(parts)


TIME_COLUMN = "event_ts"  # eventTime parsed once at load: TIMESTAMPTZ in UTC, NULL when unusable
# A parsed time outside these bounds is a broken clock or a forged field, not an event time.
EARLIEST_TIME = "1970-01-01 00:00:00+00"
LATEST_TIME = "2100-01-01 00:00:00+00"
ISO_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


def parsed_time(expr: str) -> str:
    """SQL for ``expr`` (an eventTime string) as a UTC TIMESTAMPTZ, or NULL when unusable.

    Accepts every ISO-8601 spelling CloudTrail and its exports produce (``Z``, ``+00:00``, other
    offsets, fractional seconds, a space or lower-case ``t`` as separator).
    """
    parsed = f"try_cast(upper(trim({expr})) AS TIMESTAMPTZ)"
    return (
        f"CASE WHEN {parsed} >= TIMESTAMPTZ '{EARLIEST_TIME}' AND {parsed} < TIMESTAMPTZ '{LATEST_TIME}' "
        f"THEN {parsed} END"
    )


@cache
def record_select(source: str) -> str:
    """``renaming_select`` with ``eventtime`` normalised and the typed time column added.

    ``eventtime`` stays the Athena string column detections compare, rewritten to CloudTrail's own
    ``YYYY-MM-DDTHH:MM:SSZ`` (UTC, whole seconds) so string comparison and
    ``from_iso8601_timestamp`` behave as on Athena; NULL when the time cannot be parsed.
    """
    parts = []
    for field in columns().values():
        expr = f'{source}"{field.json_key}"'
        if field.name == "eventtime":
            parts.append(f"strftime({parsed_time(expr)}, '{ISO_SECONDS}') AS \"eventtime\"")
            parts.append(f"{parsed_time(expr)} AS {TIME_COLUMN}")
        else:
            parts.append(f'{_renamed(expr, field)} AS "{field.name}"')
    return ", ".join(parts)
