"""Trino types of the expressions of an Athena query, for rules that depend on operand types.

sqlglot's ``annotate_types`` does the work on a qualified copy (CloudTrail schema from
``schema.sqlglot_schema``, so columns, CTE outputs, ``count(*)`` and casts get their types).
Types are mapped back to the original nodes through a tag in ``meta``. A few Trino rules that
sqlglot does not model are applied on top: ``1.0`` is a DECIMAL literal, JSON functions return
JSON, ``to_unixtime`` returns DOUBLE.
"""

from __future__ import annotations

from functools import cache

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.expressions import DType
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

from trailhunt.schema import TABLE_NAME, resolve_path, sqlglot_schema

TAG = "fidelity_node"
TYPE = "fidelity_type"  # set on nodes built by a rewrite: the Trino type of what they replace
T = DType
INTEGER = frozenset({T.TINYINT, T.SMALLINT, T.INT, T.BIGINT})
FLOATING = frozenset({T.DOUBLE, T.FLOAT})
DECIMAL = frozenset({T.DECIMAL})
TEXT = frozenset({T.VARCHAR, T.TEXT, T.CHAR})
TIMESTAMP_TZ = frozenset({T.TIMESTAMPTZ, T.TIMESTAMPLTZ})
_ALWAYS: dict[type[exp.Expr], T] = {
    exp.JSONExtract: T.JSON,
    exp.ParseJSON: T.JSON,
    exp.TimeToUnix: T.DOUBLE,
    exp.FromISO8601Timestamp: T.TIMESTAMPTZ,
    exp.UnixToTime: T.TIMESTAMPTZ,
    exp.JSONExtractScalar: T.VARCHAR,
    exp.ArraySize: T.BIGINT,
    exp.Length: T.BIGINT,
    exp.StrPosition: T.BIGINT,
    exp.DateDiff: T.BIGINT,
    exp.Count: T.BIGINT,
    exp.ApproxDistinct: T.BIGINT,
    exp.CountIf: T.BIGINT,
}
_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Mod)


class TypeMap:
    """The Trino type of every node of one statement (None when unknown)."""

    def __init__(self, statement: exp.Expr):
        self._statement = statement
        self._annotated: dict[int, exp.DataType] | None = None
        for number, node in enumerate(statement.walk()):
            node.meta[TAG] = number

    @property
    def _types(self) -> dict[int, exp.DataType]:
        """Types from sqlglot's annotation of a qualified copy, computed on first need."""
        if self._annotated is None:
            self._annotated = {}
            for node in _annotated_copy(self._statement).walk():
                number = node.meta.get(TAG)
                if number is not None and node.type is not None and number not in self._annotated:
                    self._annotated[number] = node.type
        return self._annotated

    def of(self, node: exp.Expr) -> T | None:
        """The type of ``node``'s value in Trino, or None when it cannot be told."""
        if TYPE in node.meta:
            return node.meta[TYPE]
        if isinstance(node, exp.Paren):
            return self.of(node.this)
        if isinstance(node, exp.Literal) and not node.is_string:
            return _number_literal_type(node.this)
        if isinstance(node, exp.Neg):
            return self.of(node.this)
        for kind, result in _ALWAYS.items():
            if isinstance(node, kind):
                return result
        if isinstance(node, exp.Cast):
            return node.to.this
        if isinstance(node, (*_ARITHMETIC, exp.Div)):
            return self._arithmetic(node)
        found = self._types.get(node.meta.get(TAG, -1))
        if found is None or found.this in (T.UNKNOWN, T.NULL):
            return _schema_type(node)
        return found.this

    def _arithmetic(self, node: exp.Expr) -> T | None:
        assert isinstance(node, exp.Binary)
        sides = {self.of(node.left), self.of(node.right)}
        if None in sides:
            return None
        if sides & FLOATING:
            return T.DOUBLE
        if sides & DECIMAL:
            return T.DECIMAL
        if sides <= INTEGER:
            return T.BIGINT if T.BIGINT in sides else T.INT
        return None

    def is_in(self, node: exp.Expr, kinds: frozenset[T]) -> bool:
        """Whether ``node`` is known to have one of ``kinds``."""
        return self.of(node) in kinds


def _schema_type(node: exp.Expr) -> T | None:
    """The type of a CloudTrail column or struct field reference (``useridentity.arn``)."""
    if not isinstance(node, (exp.Column, exp.Dot)):
        return None
    parts = [p.name for p in node.parts] if isinstance(node, exp.Column) else _dot_parts(node)
    if parts and parts[0].lower() == TABLE_NAME:
        parts = parts[1:]
    field = resolve_path(parts) if parts else None
    return field.type.this if field else None


def _dot_parts(node: exp.Dot) -> list[str]:
    parts: list[str] = []
    current: exp.Expr = node
    while isinstance(current, exp.Dot):
        parts.insert(0, current.expression.name)
        current = current.this
    return [p.name for p in current.parts] + parts if isinstance(current, exp.Column) else []


def _number_literal_type(text: str) -> T:
    """Trino reads ``1`` as INTEGER (BIGINT when large), ``1.5`` as DECIMAL and ``1e0`` as DOUBLE."""
    if "e" in text.lower():
        return T.DOUBLE
    if "." in text:
        return T.DECIMAL
    return T.INT if abs(int(text)) < 2**31 else T.BIGINT


@cache
def _schema() -> MappingSchema:
    tables: dict[str, object] = dict(sqlglot_schema())
    return MappingSchema(tables, dialect="athena")


def _annotated_copy(statement: exp.Expr) -> exp.Expr:
    copy = statement.copy()
    schema = _schema()
    try:
        copy = qualify(
            copy,
            schema=schema,
            dialect="athena",
            validate_qualify_columns=False,
            quote_identifiers=False,
            identify=False,
        )
    except SqlglotError:
        copy = statement.copy()  # types of literals and functions still help
    try:
        return annotate_types(copy, schema=schema, dialect="athena")
    except SqlglotError:
        return copy
