"""Fidelity rules for arrays and lambdas: any/all/none_match, reduce, contains, array_distinct."""

from __future__ import annotations

from sqlglot import exp

from trailhunt.fidelity.base import Context
from trailhunt.fidelity.sqlbuild import case, column, fn, lambda_

ACCUMULATOR, ELEMENT = "fidelity_acc", "fidelity_elem"


def _fold(array: exp.Expr, predicate: exp.Expr, operator: type[exp.And | exp.Or]) -> exp.Expr:
    """SQL three-valued OR/AND of ``predicate`` over the elements (empty: FALSE/TRUE, NULL array: NULL)."""
    results = fn("list_transform", array, predicate)
    merge = lambda_([ACCUMULATOR, ELEMENT], operator(this=column(ACCUMULATOR), expression=column(ELEMENT)))
    return fn("list_reduce", results, merge, exp.Boolean(this=operator is exp.And))


def _match(node: exp.Expr, context: Context) -> tuple[exp.Expr, exp.Expr] | None:
    args = node.expressions
    if len(args) != 2 or not isinstance(args[1], exp.Lambda):
        context.flag("FID060", f"{node.name} needs an array and a lambda", node)
        return None
    return args[0], args[1]


def any_match(node: exp.Expr, context: Context) -> exp.Expr | None:
    """No DuckDB function. Trino: TRUE if the predicate is TRUE for an element, else NULL if it
    is NULL for one, else FALSE: exactly OR in SQL's three-valued logic."""
    parts = _match(node, context)
    return None if parts is None else _fold(*parts, exp.Or)


def all_match(node: exp.Expr, context: Context) -> exp.Expr | None:
    """No DuckDB function. Trino's all_match is AND in SQL's three-valued logic (empty: TRUE)."""
    parts = _match(node, context)
    return None if parts is None else _fold(*parts, exp.And)


def none_match(node: exp.Expr, context: Context) -> exp.Expr | None:
    """No DuckDB function. Trino's none_match is NOT any_match."""
    parts = _match(node, context)
    return None if parts is None else exp.Not(this=exp.Paren(this=_fold(*parts, exp.Or)))


def reduce(node: exp.Expr, context: Context) -> exp.Expr | None:
    """sqlglot cannot write Trino's output function. DuckDB's list_reduce with an initial value
    folds like Trino; the output lambda is applied by substituting its parameter."""
    array, merge, finish = node.this, node.args["merge"], node.args.get("finish")
    folded = fn("list_reduce", array.copy(), merge, node.args["initial"])
    if finish is None:
        return folded
    parameter = finish.expressions[0].name
    body = finish.this.copy()
    for reference in list(body.find_all(exp.Identifier)):
        in_column = isinstance(reference.parent, exp.Column)
        is_field = isinstance(reference.parent, exp.Dot) and reference.arg_key == "expression"
        if reference.name == parameter and not in_column and not is_field:
            if reference is body:
                body = folded
            else:
                reference.replace(folded.copy())
    return case((exp.Is(this=array, expression=exp.Null()), exp.Null()), default=body)


def contains(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino's contains is NULL when the value is absent but the array holds a NULL; DuckDB FALSE."""
    array, value = node.this, node.expression
    found = fn("list_contains", array.copy(), value.copy())
    has_null = exp.LT(this=fn("list_count", array.copy()), expression=fn("len", array.copy()))
    return case((found, exp.true()), (has_null, exp.Null()), default=fn("list_contains", array, value))


def array_distinct(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino keeps first occurrences in order and one NULL; DuckDB's list_distinct reorders and
    drops NULLs. list_position compares NULLs as equal, so keeping x where it first occurs works."""
    array = node.this
    first = exp.EQ(this=fn("list_position", array.copy(), column(ELEMENT)), expression=column("fidelity_pos"))
    return fn("list_filter", array, lambda_([ELEMENT, "fidelity_pos"], first))
