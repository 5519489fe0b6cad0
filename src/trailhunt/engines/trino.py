"""The Trino engine (``hunt --engine trino``) and the conformance lane's loader.

``TrinoEngine`` runs rendered SELECTs on a cluster that holds CloudTrail with the Athena schema.
``create_table``/``load_records`` fill a table for the conformance lane:

Records load with the DuckDB loader's semantics (``ingest``), value for value: lower-case columns,
structs as ROWs (absent struct or member -> NULL), JSON keys matched case-sensitively, JSON text
columns holding the exact text DuckDB's ``read_json`` writes, and every other scalar as VARCHAR in
DuckDB's spelling. Values become quoted SQL literals, so any string round-trips unchanged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from trailhunt.engines.base import (
    NotSelectError,
    QueryOutcome,
    Row,
    SendsRenderedText,
    Target,
    ensure_select,
    refused,
)
from trailhunt.identifiers import identifier
from trailhunt.problems import first_line
from trailhunt.schema import JSON_TEXT_COLUMNS, TABLE_NAME, Field, columns, type_sql

if TYPE_CHECKING:
    from trino.dbapi import Connection

MAX_STATEMENT_CHARS = 900_000  # below Trino's default query.max-length of 1,000,000
MAX_BATCH_ROWS = 1_000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# yyjson (DuckDB's JSON writer) escapes only these, with upper-case hex.
_JSON_ESCAPES = {c: f"\\u{c:04X}" for c in range(0x20)} | {
    0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"
}  # fmt: skip
_NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def connect(
    host: str, port: int, catalog: str = "memory", schema: str = "default", user: str = "trailhunt"
) -> Connection:
    """A Trino DB-API connection whose session catalog and schema are ``catalog``.``schema``."""
    import trino

    identifier(catalog, "catalog")
    identifier(schema, "schema")
    return trino.dbapi.connect(host=host, port=port, user=user, catalog=catalog, schema=schema)


def _qualified(conn: Connection, table: str) -> str:
    identifier(table, "table")
    return f"{conn.catalog}.{conn.schema}.{table}"


def create_table(conn: Connection, table: str = TABLE_NAME) -> None:
    """(Re)create ``table`` empty, with the Athena CloudTrail column names and types."""
    name = _qualified(conn, table)
    spec = ", ".join(f'"{n}" {type_sql(f.type, "trino")}' for n, f in columns().items())
    _execute(conn, f"DROP TABLE IF EXISTS {name}")
    _execute(conn, f"CREATE TABLE {name} ({spec})")


def load_records(conn: Connection, table: str, records: list[dict[str, Any]]) -> int:
    """Create ``table`` and insert CloudTrail ``records`` (JSON objects) in batches; return the count."""
    create_table(conn, table)
    prefix = f"INSERT INTO {_qualified(conn, table)} VALUES "
    batch: list[str] = []
    size = len(prefix)
    for record in records:
        row = _row(record)
        if batch and (size + len(row) > MAX_STATEMENT_CHARS or len(batch) == MAX_BATCH_ROWS):
            _execute(conn, prefix + ", ".join(batch))
            batch, size = [], len(prefix)
        batch.append(row)
        size += len(row) + 2
    if batch:
        _execute(conn, prefix + ", ".join(batch))
    return len(records)


def query(conn: Connection, sql: str) -> list[Row]:
    """Run ``sql`` (Athena/Trino dialect) and return rows keyed by column name, ROWs as dicts."""
    cursor = conn.cursor()
    cursor.execute(sql)
    rows = cursor.fetchall()
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, map(_plain, row), strict=True)) for row in rows]


class TrinoEngine(SendsRenderedText):
    """An ``Engine`` on a Trino cluster; ``max_bytes`` drops a statement's rows once Trino reports it
    processed more (checked when the statement ends: the cluster is yours, the guard keeps hunts
    comparable with Athena)."""

    name = "trino"
    target: Target = "trino"
    concurrency = 1

    def __init__(self, conn: Connection, table: str = TABLE_NAME, max_bytes: int | None = None):
        identifier(table, "table")
        self.conn, self.table, self.max_bytes = conn, table, max_bytes
        self._spent = 0

    def run(self, sql: str, label: str) -> QueryOutcome:
        """Check and run one SELECT; a cluster or query failure is a FAILED outcome."""
        from trino.exceptions import Error as TrinoError

        try:
            ensure_select(sql, "trino")
        except NotSelectError as error:
            return refused(label, str(error))
        cursor = self.conn.cursor()
        try:
            cursor.execute(sql)
            rows = cursor.fetchall()
        except (TrinoError, OSError) as error:  # OSError: cluster unreachable
            return QueryOutcome(label, state="FAILED", reason=first_line(error))
        stats = cursor.stats or {}
        scanned, elapsed = int(stats.get("processedBytes") or 0), int(stats.get("elapsedTimeMillis") or 0)
        self._spent += scanned
        outcome = QueryOutcome(label, bytes_scanned=scanned, elapsed_ms=elapsed, query_id=cursor.query_id)
        if self.max_bytes is not None and scanned > self.max_bytes:
            outcome.state, outcome.reason = (
                "CANCELLED",
                f"scanned {scanned} bytes, over --max-bytes {self.max_bytes}",
            )
            return outcome
        names = [d[0] for d in cursor.description or []]
        outcome.rows = [dict(zip(names, map(_plain, row), strict=True)) for row in rows]
        return outcome

    def spent(self) -> int:
        """Bytes Trino reported processing so far."""
        return self._spent

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _execute(conn: Connection, sql: str) -> None:
    cursor = conn.cursor()
    cursor.execute(sql)
    cursor.fetchall()


def _plain(value: Any) -> Any:
    """The client's value with named ROWs turned into dicts, recursively."""
    names = getattr(value, "_names", None)
    if names is not None and None not in names:
        return {n: _plain(v) for n, v in zip(names, value, strict=True)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _row(record: dict[str, Any]) -> str:
    """The parenthesised VALUES row for one record, columns in table order."""
    values = []
    _expect(record, dict, "record")
    for field in columns().values():
        value = record.get(field.json_key)
        if field.name in JSON_TEXT_COLUMNS:
            values.append("NULL" if value is None else _string(json_text(value)))
        else:
            values.append(_literal(value, field, field.json_key))
    return "(" + ", ".join(values) + ")"


def _literal(value: Any, field: Field, path: str) -> str:
    """The SQL literal for JSON ``value`` stored in ``field`` (``path`` names it in errors)."""
    if value is None:
        return "NULL"
    data_type = field.type
    if data_type.is_type(exp.DataType.Type.STRUCT):
        members = _expect(value, dict, path)
        inner = (
            _literal(members.get(m.json_key), m, f"{path}.{m.json_key}") for m in field.children().values()
        )
        return "ROW(" + ", ".join(inner) + ")"
    if data_type.is_type(exp.DataType.Type.ARRAY):
        element = Field("element", data_type.expressions[0])
        items = _expect(value, list, path)
        return "ARRAY[" + ", ".join(_literal(v, element, f"{path}[]") for v in items) + "]"
    if data_type.is_type(exp.DataType.Type.MAP):
        entries = _expect(value, dict, path)
        keys = ", ".join(_string(k) for k in entries)
        values = ", ".join("NULL" if v is None else _string(varchar_text(v)) for v in entries.values())
        return f"MAP(ARRAY[{keys}], ARRAY[{values}])"
    return _string(varchar_text(value))


def _expect(value: Any, kind: type, path: str) -> Any:
    if not isinstance(value, kind):
        wanted = "OBJECT" if kind is dict else "ARRAY"
        raise ValueError(f"{path}: expected {wanted}, got {type(value).__name__} {json_text(value)[:80]}")
    return value


def _string(text: str) -> str:
    """A Trino VARCHAR literal for ``text``; control characters go in a Unicode-escaped literal."""
    if not _CONTROL.search(text):
        return "'" + text.replace("'", "''") + "'"
    escaped = text.replace("\\", "\\\\").replace("'", "''")
    return "U&'" + _CONTROL.sub(lambda m: f"\\{ord(m.group()):04X}", escaped) + "'"


def varchar_text(value: Any) -> str:
    """A non-null JSON value read into a DuckDB VARCHAR: strings as is, floats as Python spells them."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return _NON_FINITE.get(repr(value), repr(value))
    return json_text(value)


def json_text(value: Any) -> str:
    """``value`` as the compact JSON text DuckDB's ``read_json`` writes for a JSON column (yyjson)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.translate(_JSON_ESCAPES) + '"'
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ",".join(json_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json_text(str(k))}:{json_text(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"not a JSON value: {value!r}")


def _json_float(value: float) -> str:
    """yyjson's spelling: shortest digits, positional (with ``.0``) for 1e-7 < |x| < 1e21, else ``1e21``."""
    text = repr(value)
    if text in _NON_FINITE or "e" not in text:
        return _NON_FINITE.get(text, text)
    mantissa, exponent = text.split("e")
    power = int(exponent)
    if not -7 < power < 21:
        return f"{mantissa}e{power}"
    sign = "-" if value < 0 else ""
    digits = mantissa.lstrip("-").replace(".", "")
    if power < 0:
        return f"{sign}0.{'0' * (-power - 1)}{digits}"
    return f"{sign}{digits.ljust(power + 1, '0')}.0"
