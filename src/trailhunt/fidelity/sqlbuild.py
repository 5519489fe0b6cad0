"""Small builders for the DuckDB expressions that fidelity rewrites produce."""

from __future__ import annotations

from sqlglot import exp


def fn(name: str, *args: exp.Expr) -> exp.Expr:
    """A DuckDB function call, written as is."""
    return exp.Anonymous(this=name, expressions=list(args))


def lit(value: str | int) -> exp.Expr:
    """A string or integer literal."""
    return exp.Literal.string(value) if isinstance(value, str) else exp.Literal.number(value)


def case(*whens: tuple[exp.Expr, exp.Expr], default: exp.Expr | None = None) -> exp.Case:
    """``CASE WHEN c THEN v ... [ELSE d] END``."""
    ifs = [exp.If(this=condition, true=value) for condition, value in whens]
    return exp.Case(ifs=ifs, default=default)


def fail(message: str) -> exp.Expr:
    """DuckDB's ``error(message)``: makes DuckDB fail where Trino fails, instead of answering."""
    return fn("error", lit(message))


def paren(node: exp.Expr) -> exp.Expr:
    """``node`` in parentheses unless it is atomic."""
    if isinstance(node, (exp.Column, exp.Literal, exp.Anonymous, exp.Func, exp.Paren)):
        return node
    return exp.Paren(this=node)


def lambda_(params: list[str], body: exp.Expr) -> exp.Lambda:
    """``(params) -> body``."""
    return exp.Lambda(this=body, expressions=[exp.to_identifier(p) for p in params])


def column(name: str) -> exp.Column:
    """A reference to a lambda parameter or column."""
    return exp.column(name)


def literal_text(node: exp.Expr | None) -> str | None:
    """The value of a string literal, else None."""
    if isinstance(node, exp.Literal) and node.is_string:
        return node.this
    return None


def literal_int(node: exp.Expr | None) -> int | None:
    """The value of an integer literal (or its negation), else None."""
    if isinstance(node, exp.Neg):
        inner = literal_int(node.this)
        return None if inner is None else -inner
    if isinstance(node, exp.Literal) and node.is_int:
        return int(node.this)
    return None
