"""The CloudTrail schema as DuckDB needs it: camelCase JSON reading types and the renaming SELECT."""

from __future__ import annotations

from functools import cache

from sqlglot import exp

from trailhunt.schema import JSON_TEXT_COLUMNS, Field, columns, type_sql


def _reading_type(field: Field) -> str:
    if field.name in JSON_TEXT_COLUMNS:
        return "JSON"
    return type_sql(field.type, "duckdb", lower_names=False)


@cache
def record_struct_type() -> str:
    """One CloudTrail record as a DuckDB STRUCT keyed by the JSON (camelCase) names."""
    members = ", ".join(f'"{f.json_key}" {_reading_type(f)}' for f in columns().values())
    return f"STRUCT({members})"


@cache
def reading_columns() -> dict[str, str]:
    """``read_json`` columns: the ``Records`` array plus every record field (for bare JSON lines)."""
    spec = {"Records": f"{record_struct_type()}[]"}
    spec.update({f.json_key: _reading_type(f) for f in columns().values()})
    return spec


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
