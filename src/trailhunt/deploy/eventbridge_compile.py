"""Compile a rendered detection's WHERE clause into an EventBridge pattern expression, or say why not.

SQL is three-valued and a row passes WHERE only when its predicate is TRUE. ``outcome(node,
wanted)`` gives the events for which ``node`` evaluates to one of the ``wanted`` truth values
(T, F, N), so NOT, ``coalesce(..., FALSE)`` and AND/OR over NULLs keep their exact meaning. Leaves
(one field against constants) are in ``eventbridge_leaves``.
"""

from __future__ import annotations

from sqlglot import exp

from trailhunt.deploy.eventbridge_leaves import ALL, F, N, T, Truth, leaf
from trailhunt.deploy.eventbridge_pattern import FALSE, TRUE, Dnf, SqlOnlyError, all_of, any_of
from trailhunt.fidelity.transpile import parse_athena
from trailhunt.schema import TABLE_NAME
from trailhunt.validate.columns import PARTITION_COLUMNS


def _swap(wanted: frozenset[Truth]) -> frozenset[Truth]:
    return frozenset({T: F, F: T, N: N}[v] for v in wanted)


def _unparen(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _and(a: exp.Expr, b: exp.Expr, wanted: frozenset[Truth], flip: bool) -> Dnf:
    """``a AND b`` (or, with ``flip``, ``a OR b`` by De Morgan) taking one of the ``wanted`` values."""

    def o(node: exp.Expr, values: set[Truth]) -> Dnf:
        return outcome(node, _swap(frozenset(values)) if flip else frozenset(values))

    target = _swap(wanted) if flip else wanted
    if target == {T}:
        return all_of(o(a, {T}), o(b, {T}))
    if target == {F}:
        return any_of(o(a, {F}), o(b, {F}))
    if target == {T, N}:
        return all_of(o(a, {T, N}), o(b, {T, N}))
    if target == {F, N}:
        return any_of(o(a, {F, N}), o(b, {F, N}))
    if target == {N}:
        return any_of(all_of(o(a, {N}), o(b, {T, N})), all_of(o(a, {T}), o(b, {N})))
    return any_of(all_of(o(a, {T}), o(b, {T})), o(a, {F}), o(b, {F}))  # {T, F}


def _constant(node: exp.Expr) -> Truth | None:
    if isinstance(node, exp.Boolean):
        return T if node.this else F
    if isinstance(node, exp.Null):
        return N
    return None


def _coalesce(node: exp.Coalesce, wanted: frozenset[Truth]) -> Dnf:
    fallbacks = [_constant(_unparen(e)) for e in node.expressions]
    if len(fallbacks) != 1 or fallbacks[0] is None:
        raise SqlOnlyError(
            f"{node.sql('athena')[:80]}: coalesce() over values other than a TRUE/FALSE default"
        )
    inner = (wanted - {N}) | ({N} if fallbacks[0] in wanted else set())
    return outcome(node.this, frozenset(inner))


def outcome(node: exp.Expr, wanted: frozenset[Truth]) -> Dnf:
    """Events for which ``node`` evaluates to one of ``wanted``."""
    if not wanted:
        return FALSE
    if wanted == ALL:
        return TRUE
    node = _unparen(node)
    if (value := _constant(node)) is not None:
        return TRUE if value in wanted else FALSE
    if isinstance(node, exp.Not):
        return outcome(node.this, _swap(wanted))
    if isinstance(node, exp.And | exp.Or):
        return _and(node.this, node.expression, wanted, flip=isinstance(node, exp.Or))
    if isinstance(node, exp.Coalesce):
        return _coalesce(node, wanted)
    return leaf(node).outcome(wanted)


def _conjuncts(node: exp.Expr) -> list[exp.Expr]:
    node = _unparen(node)
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


def _columns(node: exp.Expr) -> set[str]:
    return {c.parts[0].name.lower() for c in node.find_all(exp.Column)}


def _is_window(node: exp.Expr) -> bool:
    """A time-window or partition bound from ``in_window()``: constant bounds on eventtime/partitions."""
    node = _unparen(node)
    if isinstance(node, exp.And):
        return _is_window(node.this) and _is_window(node.expression)
    if isinstance(node, exp.GTE | exp.LT):
        column = _unparen(node.this)
        return (
            isinstance(column, exp.Column)
            and column.name.lower() == "eventtime"
            and not _columns(node.expression)
        )
    if isinstance(node, exp.Between):
        bounds = [node.args["low"], node.args["high"]]
        used = _columns(node.this)
        return bool(used) and used <= PARTITION_COLUMNS and not any(_columns(b) for b in bounds)
    return False


def _single_event_where(query: exp.Expr) -> exp.Expr | None:
    """The WHERE of a query that selects single events from the table; SqlOnlyError says why not."""
    if not isinstance(query, exp.Select):
        raise SqlOnlyError("combines several queries (UNION/INTERSECT/EXCEPT)")
    if query.find(exp.With):
        raise SqlOnlyError("uses a WITH clause (several steps or a baseline)")
    if (
        query.args.get("group")
        or query.args.get("having")
        or any(node.find(exp.AggFunc) for node in query.expressions)
    ):
        raise SqlOnlyError("aggregates several events (GROUP BY / count / thresholds)")
    if query.find(exp.Window):
        raise SqlOnlyError("compares events with a window function")
    if query.args.get("joins"):
        raise SqlOnlyError("joins rows (JOIN / UNNEST)")
    source = query.args.get("from_")
    if source is None or not isinstance(source.this, exp.Table) or source.this.name.lower() != TABLE_NAME:
        raise SqlOnlyError("reads from a subquery rather than the CloudTrail table")
    if query.args.get("distinct") or query.args.get("limit"):
        raise SqlOnlyError("uses DISTINCT or LIMIT across events")
    where = query.args.get("where")
    if where is not None and where.find(exp.Subquery, exp.Exists, exp.Select):
        raise SqlOnlyError("compares with a subquery (a baseline or a lookup)")
    return where.this if where is not None else None


def _bound_value(node: exp.Expr) -> exp.Expr:
    """``transform(ARRAY[value], v -> body)[1]`` (one value bound to a name, as ``in_networks``
    writes it) as ``body`` with ``value`` in place of ``v``: the same truth value for every event."""
    if not (isinstance(node, exp.Bracket) and isinstance(node.this, exp.Transform)):
        return node
    values, function = node.this.this, node.this.expression
    index = node.expressions[0] if len(node.expressions) == 1 else None
    if not (
        isinstance(values, exp.Array)
        and len(values.expressions) == 1
        and isinstance(function, exp.Lambda)
        and len(function.expressions) == 1
        and isinstance(index, exp.Literal)
        and index.name == "0"
    ):
        return node
    name, value = function.expressions[0].name, values.expressions[0]

    def substitute(part: exp.Expr) -> exp.Expr:
        bare = isinstance(part, exp.Column) and not part.table
        lone = isinstance(part, exp.Identifier) and not isinstance(part.parent, exp.Column)
        return value.copy() if (bare or lone) and part.name == name else part

    body = function.this.copy().transform(substitute)
    return exp.Paren(this=body)


def compile_where(sql: str) -> Dnf:
    """The pattern expression equivalent to the WHERE of rendered Athena ``sql`` (window dropped)."""
    statements = parse_athena(sql)
    if len(statements) != 1:
        raise SqlOnlyError(f"expected one statement, found {len(statements)}")
    where = _single_event_where(statements[0])
    where = where.transform(_bound_value) if where is not None else None
    conjuncts = [c for c in _conjuncts(where) if not _is_window(c)] if where is not None else []
    return all_of(*(outcome(c, frozenset({T})) for c in conjuncts))
