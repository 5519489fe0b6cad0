"""Leaves of a detection's WHERE clause (one field against constants) as EventBridge filters.

A leaf knows, for each SQL truth value, which filters on its field give it: TRUE, FALSE and NULL
(the field is absent). Field names map back to CloudTrail's camelCase JSON keys under ``detail``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any, Literal

import sqlglot
from sqlglot import exp

from trailhunt.deploy.eventbridge_pattern import TRUE, Dnf, Path, SqlOnlyError, cond, escape_wildcard
from trailhunt.render import sqltext
from trailhunt.schema import JSON_TEXT_COLUMNS, columns

Truth = Literal["T", "F", "N"]
T: Truth = "T"
F: Truth = "F"
N: Truth = "N"
ALL: frozenset[Truth] = frozenset({T, F, N})
FieldKind = Literal["text", "bool", "json"]  # struct/column text, JSON bool (readOnly), JSON value
BOOL_FIELDS = frozenset({("detail", "readOnly")})
NUMERIC_TYPES = {"TINYINT", "SMALLINT", "INT", "BIGINT", "DOUBLE", "FLOAT", "DECIMAL", "REAL"}
NUMERIC_LIMIT = 5e9  # EventBridge numeric matching range
MAX_PREFIXES = 256
_MISSING = [{"exists": False}]
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Field:
    """A field an event pattern can name."""

    path: Path
    kind: FieldKind


@dataclass(frozen=True)
class Leaf:
    """Filters on one field giving each SQL truth value (None: no filter can say it)."""

    path: Path
    true: list[Any] | None
    false: list[Any] | None
    null: list[Any] | None
    not_true: list[Any] | None = None  # FALSE or NULL together, when only the pair is expressible
    why: str = ""

    def outcome(self, wanted: frozenset[Truth]) -> Dnf:
        """Events for which the leaf takes one of ``wanted``."""
        if wanted == ALL:
            return TRUE
        if {F, N} <= wanted and self.not_true is not None:
            parts = [self.not_true, self.true if T in wanted else []]
        else:
            parts = [{T: self.true, F: self.false, N: self.null}[v] for v in sorted(wanted)]
        if any(p is None for p in parts):
            raise SqlOnlyError(self.why)
        return cond(self.path, [f for p in parts if p for f in p])


def _unparen(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _column_parts(node: exp.Expr) -> list[str] | None:
    if isinstance(node, exp.Column):
        return [p.name for p in node.parts]
    if isinstance(node, exp.Dot) and (head := _column_parts(node.this)) is not None:
        return [*head, node.expression.name]
    return None


def _describe(node: exp.Expr) -> str:
    """Short text naming an expression: a function by name, anything else by its SQL."""
    if isinstance(node, exp.Case):
        return "a CASE expression"
    text = node.sql("athena")
    if isinstance(node, exp.Func) and "(" in text:
        return text.split("(", 1)[0].lower() + "(...)"
    return text if len(text) <= 60 else text[:59] + "…"


def _json_field(node: exp.JSONExtractScalar) -> Field:
    parts = _column_parts(node.this)
    column = columns().get(parts[0].lower()) if parts and len(parts) == 1 else None
    if column is None or column.name not in JSON_TEXT_COLUMNS:
        raise SqlOnlyError(f"{node.sql('athena')}: json_extract_scalar on something other than a JSON column")
    path = node.expression
    keys = path.expressions[1:] if isinstance(path, exp.JSONPath) else []
    if not keys or not all(isinstance(k, exp.JSONPathKey) for k in keys):
        raise SqlOnlyError(f"{node.sql('athena')}: JSON path with array elements or wildcards")
    return Field(("detail", column.json_key, *(str(k.this) for k in keys)), "json")


def field_of(node: exp.Expr) -> Field:
    """The event field a SQL expression reads; SqlOnlyError when it is not a plain field."""
    node = _unparen(node)
    if isinstance(node, exp.JSONExtractScalar):
        return _json_field(node)
    parts = _column_parts(node)
    if parts is None:
        raise SqlOnlyError(f"{_describe(node)} is not a plain field (functions on fields)")
    keys, fields, scalar = [], columns(), False
    for part in parts:
        field = fields.get(part.lower())
        if field is None:
            raise SqlOnlyError(f"{'.'.join(parts)} is not a CloudTrail field")
        keys.append(field.json_key)
        fields = field.children()
        scalar = field.type.is_type(exp.DataType.Type.VARCHAR, exp.DataType.Type.TEXT)
    name = ".".join(parts).lower()
    if not scalar:
        raise SqlOnlyError(f"{name} is a struct, array or map, not a single value")
    if name == "eventtime":
        raise SqlOnlyError("a condition on eventTime (time of day, age) has no event-pattern equivalent")
    if name in JSON_TEXT_COLUMNS:
        raise SqlOnlyError(f"{name} is matched as JSON text; EventBridge sees it as an object")
    path = ("detail", *keys)
    return Field(path, "bool" if path in BOOL_FIELDS else "text")


def _literal(node: exp.Expr) -> Any:
    node = _unparen(node)
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not node.this.is_string:
        return -_literal(node.this)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        number = float(node.this)
        return int(number) if number.is_integer() else number
    raise SqlOnlyError(f"{_describe(node)} is not a constant")


def _values(field: Field, text: Any) -> list[Any]:
    """The JSON values an event may hold when the SQL value equals ``text``."""
    if not isinstance(text, str):
        raise SqlOnlyError(f"{'.'.join(field.path)} compared with a number; Athena reads it as text")
    if field.kind == "bool":
        return [text == "true"] if text in ("true", "false") else []
    if field.kind == "json" and (text in ("true", "false") or _NUMBER.match(text)):
        return [text, text == "true" if text in ("true", "false") else float(text)]
    return [text]


def _anything_but(field: Field, texts: list[str]) -> list[Any] | None:
    """Present values other than ``texts``. A JSON value compared with 'true'/'false' is taken to be a
    JSON boolean (AWS writes request flags that way); other JSON numbers/booleans are not expressible."""
    flags = {"true": True, "false": False}
    if field.kind == "bool" or (field.kind == "json" and texts and all(t in flags for t in texts)):
        return [b for b in (True, False) if b not in {flags.get(t) for t in texts}]
    values = [v for t in texts for v in _values(field, t)]
    if field.kind == "json" and len(values) != len(texts):
        return None
    return [{"anything-but": sorted(set(values))}]


def _equality(field: Field, texts: list[str]) -> Leaf:
    values = [v for t in texts for v in _values(field, t)]
    why = f"{'.'.join(field.path)} <> a value that may be a JSON number or boolean"
    return Leaf(field.path, values, _anything_but(field, texts), _MISSING, why=why)


def _equality_with_default(node: exp.Expr, texts: list[Any]) -> Leaf:
    """``field IN texts``, where ``coalesce(field, 'default')`` turns an absent field into the default."""
    if not isinstance(node, exp.Coalesce):
        return _equality(field_of(node), texts)
    if len(node.expressions) != 1:
        raise SqlOnlyError(f"{_describe(node)}: coalesce() of several fields")
    base = _equality(field_of(node.this), texts)
    default_hit = _literal(node.expressions[0]) in texts
    return Leaf(
        base.path,
        (base.true or []) + (_MISSING if default_hit else []),
        None if base.false is None else base.false + ([] if default_hit else _MISSING),
        [],
        why=base.why,
    )


def _like_parts(pattern: str, escape: str | None) -> list[str | None]:
    """LIKE pattern as literal characters and None for ``%``; ``_`` is not expressible."""
    parts: list[str | None] = []
    chars = iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(next(chars, ""))
        elif char == "%":
            if not parts or parts[-1] is not None:
                parts.append(None)
        elif char == "_":
            raise SqlOnlyError(f"LIKE {pattern!r}: '_' (any one character) has no EventBridge equivalent")
        else:
            parts.append(char)
    return parts


def _string_match(field: Field, match: dict[str, Any]) -> Leaf:
    return Leaf(field.path, [match], [{"anything-but": match}], _MISSING)


def _like(field: Field, pattern: str, escape: str | None) -> Leaf:
    if field.kind == "bool":
        raise SqlOnlyError(f"LIKE on the boolean {'.'.join(field.path)}")
    parts = _like_parts(pattern, escape)
    text = "".join(p for p in parts if p is not None)
    wild = [i for i, p in enumerate(parts) if p is None]
    if not wild:
        return _equality(field, [text])
    if parts == [None]:
        return Leaf(field.path, [{"exists": True}], [], _MISSING)
    if wild == [len(parts) - 1]:
        return _string_match(field, {"prefix": text})
    if wild == [0]:
        return _string_match(field, {"suffix": text})
    return _string_match(
        field, {"wildcard": "".join("*" if p is None else escape_wildcard(p) for p in parts)}
    )


def _numeric_side(node: exp.Expr) -> tuple[Field, bool] | None:
    node = _unparen(node)
    if isinstance(node, exp.Cast) and node.to.this.name in NUMERIC_TYPES:
        field = field_of(node.this)
        if field.kind != "json":
            raise SqlOnlyError(f"numeric comparison on {'.'.join(field.path)}, which events hold as text")
        return field, isinstance(node, exp.TryCast)
    return None


def _numeric(node: exp.Expr, ranges: list[list[Any]], complement: list[list[Any]]) -> Leaf:
    found = _numeric_side(node)
    if found is None:
        field = field_of(node)  # a function of a field says so; a plain field is text
        raise SqlOnlyError(f"{'.'.join(field.path)}: ordering comparison on text")
    field, safe = found
    bounds = [b for r in ranges + complement for b in r[1::2]]
    if any(abs(b) > NUMERIC_LIMIT for b in bounds):
        raise SqlOnlyError(f"numeric bound beyond EventBridge's ±{NUMERIC_LIMIT:g}")
    why = (
        f"TRY_CAST of {'.'.join(field.path)}: non-numeric values give NULL, which a pattern cannot single out"
    )
    return Leaf(
        field.path,
        [{"numeric": r} for r in ranges],
        [{"numeric": r} for r in complement],
        None if safe else _MISSING,
        why=why,
    )


_FLIP = {exp.GT: "<", exp.GTE: "<=", exp.LT: ">", exp.LTE: ">="}
_OPS = {exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<="}
_NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}


def _comparison(node: exp.Binary) -> Leaf:
    left, right = node.this, node.expression
    if _numeric_side(left) is None and _numeric_side(right) is not None:
        left, right, op = right, left, _FLIP[type(node)]
    else:
        op = _OPS[type(node)]
    bound = _literal(right)
    return _numeric(left, [[op, bound]], [[_NEGATED[op], bound]])


def _ipv4_column(node: exp.Expr) -> exp.Expr | None:
    """The column when ``node`` is exactly ``sqltext.ipv4_as_number(column)`` (the in_networks macro)."""
    column = node.find(exp.Column)
    if column is None:
        return None
    expected = sqlglot.parse_one(sqltext.ipv4_as_number(column.sql("athena")), read="athena")
    return column if _unparen(node) == _unparen(expected) else None


def _outside(network: ipaddress.IPv4Network) -> list[Any]:
    """IPv4 text outside ``network``, as anything-but on dotted-quad prefixes."""
    boundary = -(-network.prefixlen // 8) * 8
    subnets = list(network.subnets(new_prefix=boundary)) if boundary else []
    if not subnets or len(subnets) > MAX_PREFIXES:
        raise SqlOnlyError(f"{network}: too many address prefixes to exclude in a pattern")
    texts = [
        escape_wildcard(str(s.network_address))
        if s.prefixlen == 32
        else ".".join(str(s.network_address).split(".")[: s.prefixlen // 8]) + ".*"
        for s in subnets
    ]
    return [{"anything-but": {"wildcard": texts}}]


def _between(node: exp.Between) -> Leaf:
    low, high = _literal(node.args["low"]), _literal(node.args["high"])
    column = _ipv4_column(node.this)
    if column is None:
        return _numeric(node.this, [[">=", low, "<=", high]], [["<", low], [">", high]])
    field = field_of(column)
    networks = list(
        ipaddress.summarize_address_range(ipaddress.IPv4Address(low), ipaddress.IPv4Address(high))
    )
    if len(networks) != 1:
        raise SqlOnlyError(f"address range {low}..{high} is not one CIDR block")
    why = "an address outside a network, alone, has no pattern (EventBridge has no anything-but cidr)"
    not_true = [*_outside(networks[0]), *_MISSING]
    return Leaf(field.path, [{"cidr": str(networks[0])}], None, None, not_true=not_true, why=why)


def _negated(leaf_: Leaf) -> Leaf:
    return Leaf(leaf_.path, leaf_.false, leaf_.true, leaf_.null, why=leaf_.why)


def _equals(node: exp.EQ | exp.NEQ) -> Leaf:
    sides = [node.this, node.expression]
    numeric = [s for s in sides if _numeric_side(s)]
    if numeric:
        number = _literal(sides[1] if numeric[0] is sides[0] else sides[0])
        result = _numeric(numeric[0], [["=", number]], [["<", number], [">", number]])
    else:
        fields = [s for s in sides if not isinstance(_unparen(s), exp.Literal)]
        if len(fields) != 1:
            raise SqlOnlyError(f"{_describe(node)}: compares two fields or two constants")
        constant = sides[1] if fields[0] is sides[0] else sides[0]
        result = _equality_with_default(_unparen(fields[0]), [_literal(constant)])
    return result if isinstance(node, exp.EQ) else _negated(result)


def leaf(node: exp.Expr) -> Leaf:
    """The leaf for a comparison of one field with constants; SqlOnlyError says why not."""
    if isinstance(node, exp.EQ | exp.NEQ):
        return _equals(node)
    if isinstance(node, exp.In):
        if node.args.get("query") or node.args.get("unnest"):
            raise SqlOnlyError("compares with a subquery (a baseline or a lookup)")
        return _equality_with_default(_unparen(node.this), [_literal(e) for e in node.expressions])
    if isinstance(node, exp.Escape | exp.Like):
        like = node.this if isinstance(node, exp.Escape) else node
        escape = _literal(node.expression) if isinstance(node, exp.Escape) else None
        if not isinstance(like, exp.Like):
            raise SqlOnlyError(f"{_describe(node)}: ESCAPE outside LIKE")
        result = _like(field_of(like.this), _literal(like.expression), escape)
        return _negated(result) if like.args.get("negate") else result
    if isinstance(node, exp.StartsWith):
        return _string_match(field_of(node.this), {"prefix": _literal(node.expression)})
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        field = field_of(node.this)
        return Leaf(field.path, _MISSING, [{"exists": True}], [])
    if isinstance(node, exp.Between):
        return _between(node)
    if isinstance(node, exp.GT | exp.GTE | exp.LT | exp.LTE):
        return _comparison(node)
    if isinstance(node, exp.RegexpLike | exp.RegexpExtract):
        raise SqlOnlyError("uses a regular expression")
    raise SqlOnlyError(f"{_describe(node)} is not a comparison of one field with constants")
