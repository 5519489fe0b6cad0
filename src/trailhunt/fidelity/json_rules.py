"""Fidelity rules for JSON: paths, json_extract(_scalar), json_array_contains/length, JSON casts.

Trino's ``json_extract`` paths are its own small language (``JsonPathTokenizer``): ``.name``
(letters, digits, ``_`` and ``:``), ``[name]``, ``["quoted"]``, and a name that is a number
indexes arrays. sqlglot re-parses paths as JSONPath and silently changes some (``$.aws:SourceIp``
becomes ``$.aws.SourceIp``, slices vanish), so paths are read here from the original text
(kept by ``transpile.AthenaSource``) and written for DuckDB with every key quoted.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from trailhunt.fidelity.base import Context
from trailhunt.fidelity.sqlbuild import case, column, fail, fn, lambda_, lit, literal_text
from trailhunt.fidelity.typemap import FLOATING, INTEGER, TEXT, T

PATH_TEXT = "json_path_text"  # meta key set by transpile.AthenaSource on parsed JSON paths
MAX_NUMERIC_SUBSCRIPTS = 2
CONTAINERS = exp.Tuple(expressions=[lit("OBJECT"), lit("ARRAY")])
# json_array_contains: value type -> (DuckDB json_type of the elements it can equal, cast target)
ELEMENT_TYPES = {
    "text": (("VARCHAR",), "VARCHAR"),
    "integer": (("BIGINT", "UBIGINT"), "BIGINT"),
    "double": (("DOUBLE",), "DOUBLE"),
    "boolean": (("BOOLEAN",), "BOOLEAN"),
}


class PathError(ValueError):
    """A JSON path that Trino rejects or that DuckDB would read differently."""


def trino_path_tokens(path: str) -> list[tuple[str, str]]:
    """Tokens of a Trino JSON path as (text, form), form being ``dot``, ``bracket`` or ``quoted``."""
    if not path.startswith("$"):
        raise PathError("a JSON path starts with $")
    tokens, index = [], 1
    while index < len(path):
        if path[index] == ".":
            end = _scan(path, index + 1, lambda c: c.isalnum() or c in "_:")
            tokens.append((path[index + 1 : end], "dot"))
        elif path.startswith('["', index):
            end = path.find('"]', index + 2)
            if end < 0 or any(c in path[index + 2 : end] for c in '"\\'):
                raise PathError("quoted path keys must not contain quotes or backslashes")
            tokens.append((path[index + 2 : end], "quoted"))
            end += 1
        elif path[index] == "[":
            end = _scan(path, index + 1, lambda c: c.isalnum() or c == "_")
            if end >= len(path) or path[end] != "]":
                raise PathError('Trino allows only [index], [name] and ["name"] subscripts (no *, no slices)')
            tokens.append((path[index + 1 : end], "bracket"))
        else:
            raise PathError(f"unexpected {path[index]!r} at offset {index}")
        if not tokens[-1][0]:
            raise PathError("empty path segment (wildcards like * and .. are not Trino JSON paths)")
        index = end + 1 if tokens[-1][1] != "dot" else end
    return tokens


def _scan(text: str, start: int, accept: Callable[[str], bool]) -> int:
    end = start
    while end < len(text) and accept(text[end]):
        end += 1
    return end


def duckdb_paths(path: str) -> list[str]:
    """DuckDB paths that together read what Trino's ``path`` reads (raises PathError otherwise).

    Trino reads ``[0]`` as an index in an array and as the key "0" in an object; DuckDB's index
    finds nothing in an object, so each numeric subscript yields a path per reading (at most
    two subscripts) and the caller takes the one that finds a value.
    """
    paths = ["$"]
    tokens = trino_path_tokens(path)
    if sum(text.isdigit() for text, _ in tokens) > MAX_NUMERIC_SUBSCRIPTS:
        raise PathError(f"at most {MAX_NUMERIC_SUBSCRIPTS} numeric subscripts are supported")
    for text, form in tokens:
        key = f'."{text}"'
        if not text.isdigit():
            paths = [p + key for p in paths]
        elif form != "bracket" or (len(text) > 1 and text.startswith("0")):
            raise PathError(
                f"write array index {text} as [{int(text)}]: Trino reads {text!r} as index or key"
            )
        else:
            paths = [p + variant for p in paths for variant in (f"[{text}]", key)]
    return paths


def _path_literals(node: exp.Expr, context: Context) -> list[exp.Expr] | None:
    path = node.expression
    text = path.meta.get(PATH_TEXT) if path is not None else None
    if text is None:
        text = literal_text(path)
    if text is None:
        context.flag("FID040", "JSON path must be a string literal", node)
        return None
    try:
        return [lit(p) for p in duckdb_paths(text)]
    except PathError as error:
        context.flag("FID041", f"JSON path {text!r}: {error}", node, near=text)
        return None


def _first_found(read: Callable[[exp.Expr], exp.Expr], paths: list[exp.Expr]) -> exp.Expr:
    reads = [read(p) for p in paths]
    return reads[0] if len(reads) == 1 else exp.Coalesce(this=reads[0], expressions=reads[1:])


def json_extract_scalar(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino returns NULL for objects and arrays; DuckDB's ``->>`` returns their JSON text."""
    paths = _path_literals(node, context)
    if paths is None:
        return None
    scalar = _first_found(lambda p: fn("json_value", node.this.copy(), p), paths)
    return fn("json_extract_string", scalar, lit("$"))


def json_extract(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Same JSON result on both engines once the path reads the same key."""
    paths = _path_literals(node, context)
    if paths is None:
        return None
    return _first_found(lambda p: fn("json_extract", node.this.copy(), p), paths)


def json_array_length(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino returns NULL when the value is not an array; DuckDB returns 0."""
    value = node.expressions[0]
    is_array = exp.EQ(this=fn("json_type", value.copy()), expression=lit("ARRAY"))
    return case((is_array, fn("json_array_length", value)))


def json_array_contains(node: exp.Expr, context: Context) -> exp.Expr | None:
    """No DuckDB function. Trino compares the top-level elements of the value's own JSON type."""
    kind = context.types.of(node.expression)
    family = (
        "text" if kind in TEXT else "integer" if kind in INTEGER else "double" if kind in FLOATING
        else "boolean" if kind == T.BOOLEAN else None
    )  # fmt: skip
    if family is None:
        message = "json_array_contains needs a value of known type (varchar, integer, double, boolean)"
        context.flag("FID042", message, node)
        return None
    json_types, target = ELEMENT_TYPES[family]
    wanted = exp.In(this=fn("json_type", column("e")), expressions=[lit(t) for t in json_types])
    value_of = exp.cast(fn("json_extract_string", column("e"), lit("$")), target)
    elements = fn(
        "list_transform", exp.cast(node.this.copy(), "JSON[]"), lambda_(["e"], case((wanted, value_of)))
    )
    is_array = exp.EQ(this=fn("json_type", node.this), expression=lit("ARRAY"))
    return case((is_array, fn("list_contains", elements, node.expression)))


def json_cast(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino casts a JSON string to its text (DuckDB keeps the quotes) and refuses objects and
    arrays (TRY_CAST gives NULL for the whole value)."""
    assert isinstance(node, exp.Cast)
    if context.types.of(node.this) != T.JSON:
        return None
    safe = isinstance(node, exp.TryCast) or bool(node.args.get("safe"))
    target, value = node.to, node.this
    element = target.expressions[0].this if target.is_type("array") and target.expressions else None
    if target.this in TEXT:
        return _scalar_text(value, safe)
    if element == T.JSON:
        return None
    if element not in TEXT:
        message = "CAST of JSON to this type differs between Athena and DuckDB: CAST json_extract_scalar(...)"
        context.flag("FID043", message, node)
        return None
    texts = fn(
        "list_transform", exp.cast(value.copy(), "JSON[]"), lambda_(["e"], _scalar_text(column("e"), safe))
    )
    if not safe:
        return texts
    not_array = exp.NEQ(this=fn("json_type", value.copy()), expression=lit("ARRAY"))
    is_container = exp.In(this=fn("json_type", column("e")), expressions=CONTAINERS.expressions)
    nested = fn("list_bool_or", fn("list_transform", exp.cast(value, "JSON[]"), lambda_(["e"], is_container)))
    return case((not_array, exp.Null()), (nested, exp.Null()), default=texts)


def _scalar_text(value: exp.Expr, safe: bool) -> exp.Expr:
    """Trino's JSON-to-varchar: strings unquoted, integers as written, objects and arrays fail.
    A JSON float prints like a double (``2.5E0``), which DuckDB cannot print: it fails loudly."""
    is_container = exp.In(this=fn("json_type", value.copy()), expressions=CONTAINERS.expressions)
    refused = exp.Null() if safe else fail("Cannot cast JSON object or array to varchar")
    is_float = exp.EQ(this=fn("json_type", value.copy()), expression=lit("DOUBLE"))
    unprintable = fail("JSON float to varchar prints like 2.5E0 on Athena: use json_extract_scalar")
    default = fn("json_extract_string", value, lit("$"))
    return case((is_container, refused), (is_float, unprintable), default=default)


def json_format(node: exp.Expr, context: Context) -> exp.Expr | None:
    """json_parse sorts object keys on Trino (not on DuckDB), so its text form differs."""
    if node.this.find(exp.ParseJSON) is not None:
        message = "json_format of json_parse: Athena sorts object keys, DuckDB keeps their order"
        context.flag("FID044", message, node)
    return None
