"""The CloudTrail table schema, derived from the Athena DDL shipped in ``data/cloudtrail_table.sql``.

Everything that needs the schema (validator, DuckDB loader, Trino conformance table, ``ddl``
command) asks this module, so the AWS-documented DDL stays the single source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import sqlglot
from sqlglot import exp

TABLE_NAME = "cloudtrail"
JSON_TEXT_COLUMNS = frozenset(
    {"requestparameters", "responseelements", "additionaleventdata", "serviceeventdetails"}
)


@dataclass(frozen=True)
class Field:
    """One column or struct field: its CloudTrail JSON key and its type."""

    json_key: str
    type: exp.DataType

    @property
    def name(self) -> str:
        """The lower-case name Athena gives the field."""
        return self.json_key.lower()

    def children(self) -> dict[str, Field]:
        """Struct members by lower-case name (empty for scalars, arrays and maps)."""
        return _struct_members(self.type)


def _struct_members(data_type: exp.DataType) -> dict[str, Field]:
    if not data_type.is_type(exp.DataType.Type.STRUCT):
        return {}
    members = [Field(d.name, d.args["kind"]) for d in data_type.expressions]
    return {m.name: m for m in members}


def ddl_text() -> str:
    """The bundled Athena DDL, comments included."""
    return resources.files("trailhunt.data").joinpath("cloudtrail_table.sql").read_text()


@cache
def columns() -> dict[str, Field]:
    """Top-level columns of the CloudTrail table, by lower-case name, in DDL order."""
    create = sqlglot.parse_one(ddl_text(), read="hive")
    defs = [d for d in create.this.expressions if isinstance(d, exp.ColumnDef)]
    return {d.name.lower(): Field(d.name, d.args["kind"]) for d in defs}


def resolve_path(path: list[str]) -> Field | None:
    """The field at ``path`` (column then struct members, any case), or None if it does not exist."""
    fields = columns()
    field: Field | None = None
    for part in path:
        field = fields.get(part.lower())
        if field is None:
            return None
        fields = field.children()
    return field


def type_sql(data_type: exp.DataType, dialect: str, *, lower_names: bool = True) -> str:
    """Render a column type for ``dialect``, with struct member names lower-cased or as in JSON."""
    data_type = data_type.copy()
    for member in data_type.find_all(exp.ColumnDef):
        name = member.name.lower() if lower_names else member.name
        member.set("this", exp.to_identifier(name, quoted=not lower_names))
    return data_type.sql(dialect)


def sqlglot_schema() -> dict[str, dict[str, str]]:
    """The table as a sqlglot schema mapping (struct members lower-cased), for qualification."""
    return {TABLE_NAME: {name: type_sql(f.type, "trino") for name, f in columns().items()}}
