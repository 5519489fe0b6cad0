"""EventBridge pattern algebra: field conditions in disjunctive normal form, rendered as a pattern.

A condition says "the value at this path matches one of these filters" (EventBridge's OR within
one field). A term ANDs conditions on distinct paths; an expression ORs terms. Two conditions on
the same path are intersected where one EventBridge field can say both, else ``SqlOnlyError``.
Filters are kept as canonical JSON text so they can live in sets.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any

Path = tuple[str, ...]
Bound = tuple[float, bool]  # (value, inclusive)
Term = dict[Path, frozenset[str]]
Dnf = list[Term]
TRUE: Dnf = [{}]
FALSE: Dnf = []
MAX_TERMS = 32
EXISTS = '{"exists": true}'
MISSING = '{"exists": false}'
_STRING_KINDS = ("prefix", "suffix", "wildcard")


class SqlOnlyError(Exception):
    """The predicate has no exact EventBridge equivalent; the message says why."""


def canonical(value: Any) -> str:
    """A filter as canonical JSON text."""
    return json.dumps(value, sort_keys=True)


def cond(path: Path, filters: list[Any]) -> Dnf:
    """The expression "value at ``path`` matches one of ``filters``" (FALSE for no filters)."""
    return [{path: frozenset(canonical(f) for f in filters)}] if filters else FALSE


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """EventBridge wildcard (``*`` any run; ``\\*`` and ``\\\\`` escapes) as a regular expression."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        out.append(".*" if char == "*" else re.escape(char))
        index += 1
    return re.compile("".join(out), re.DOTALL)


def escape_wildcard(text: str) -> str:
    """Literal text as an EventBridge wildcard pattern."""
    return text.replace("\\", "\\\\").replace("*", "\\*")


def _numeric_holds(value: float, ops: list[Any]) -> bool:
    checks = {"<": float.__lt__, "<=": float.__le__, "=": float.__eq__, ">=": float.__ge__, ">": float.__gt__}
    return all(checks[op](float(value), float(bound)) for op, bound in zip(ops[::2], ops[1::2], strict=True))


def matches(value: Any, f: Any) -> bool:
    """Whether a present scalar ``value`` matches filter ``f`` (EventBridge semantics)."""
    if _is_scalar(f) or f is None:
        return _same(value, f)
    (kind, arg), text = next(iter(f.items())), isinstance(value, str)
    if kind == "exists":
        return bool(arg)
    if kind == "prefix":
        return text and value.startswith(arg)
    if kind == "suffix":
        return text and value.endswith(arg)
    if kind == "wildcard":
        return text and any(wildcard_regex(w).fullmatch(value) for w in _as_list(arg))
    if kind == "equals-ignore-case":
        return text and any(value.lower() == a.lower() for a in _as_list(arg))
    if kind == "numeric":
        return isinstance(value, int | float) and not isinstance(value, bool) and _numeric_holds(value, arg)
    if kind == "cidr":
        try:
            return ipaddress.ip_address(value) in ipaddress.ip_network(arg)
        except ValueError:
            return False
    if kind == "anything-but":
        if isinstance(arg, dict):
            return not any(matches(value, {k: v}) for k, v in arg.items())
        return not any(_same(value, a) for a in _as_list(arg))
    raise SqlOnlyError(f"unknown filter {f}")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _excluded_wildcards(f: Any) -> list[str] | None:
    """The strings an anything-but filter excludes, as wildcard patterns (None if not string-based)."""
    arg = f.get("anything-but") if isinstance(f, dict) else None
    if arg is None:
        return None
    if isinstance(arg, dict):
        kind, value = next(iter(arg.items()))
        if kind == "wildcard":
            return list(_as_list(value))
        if kind in ("prefix", "suffix"):
            wild = "{}*" if kind == "prefix" else "*{}"
            return [wild.format(escape_wildcard(v)) for v in _as_list(value)]
        return None
    values = _as_list(arg)
    return [escape_wildcard(v) for v in values] if all(isinstance(v, str) for v in values) else None


def _tighter(current: Bound | None, new: Bound, lower: bool) -> Bound:
    if current is None:
        return new
    if new[0] != current[0]:
        return new if (new[0] > current[0]) == lower else current
    return new if not new[1] else current  # at the same value, the exclusive bound is tighter


def _numeric_bounds(ops: list[Any]) -> tuple[Bound | None, Bound | None]:
    low: Bound | None = None
    high: Bound | None = None
    for op, bound in zip(ops[::2], ops[1::2], strict=True):
        if op in (">", ">=", "="):
            low = _tighter(low, (bound, op != ">"), lower=True)
        if op in ("<", "<=", "="):
            high = _tighter(high, (bound, op != "<"), lower=False)
    return low, high


def _numeric_filter(low: Bound | None, high: Bound | None) -> list[Any]:
    if low and high and (low[0] > high[0] or (low[0] == high[0] and not (low[1] and high[1]))):
        return []
    if low and high and low[0] == high[0]:
        return [{"numeric": ["=", low[0]]}]
    ops: list[Any] = []
    if low:
        ops += [">=" if low[1] else ">", low[0]]
    if high:
        ops += ["<=" if high[1] else "<", high[0]]
    return [{"numeric": ops}]


def _both(path: Path, a: Any, b: Any) -> list[Any]:
    """Filters matching exactly the values that match both ``a`` and ``b``."""
    if canonical(a) == canonical(b):
        return [a]
    if MISSING in (canonical(a), canonical(b)):
        return []
    if canonical(a) == EXISTS or canonical(b) == EXISTS:
        return [b if canonical(a) == EXISTS else a]
    if _is_scalar(a):
        return [a] if matches(a, b) else []
    if _is_scalar(b):
        return [b] if matches(b, a) else []
    kinds = (next(iter(a)), next(iter(b)))
    if kinds == ("numeric", "numeric"):
        return _numeric_filter(*_numeric_bounds([*a["numeric"], *b["numeric"]]))
    if kinds == ("anything-but", "anything-but"):
        excluded_a, excluded_b = a["anything-but"], b["anything-but"]
        if not isinstance(excluded_a, dict) and not isinstance(excluded_b, dict):
            values = _as_list(excluded_a) + _as_list(excluded_b)
            if len({type(v) for v in values}) == 1:
                return [{"anything-but": sorted(set(values))}]
        wild_a, wild_b = _excluded_wildcards(a), _excluded_wildcards(b)
        if wild_a is not None and wild_b is not None:
            return [{"anything-but": {"wildcard": sorted(set(wild_a) | set(wild_b))}}]
    if kinds in (("prefix", "prefix"), ("suffix", "suffix")):
        first, second = a[kinds[0]], b[kinds[0]]
        starts = str.startswith if kinds[0] == "prefix" else str.endswith
        if starts(first, second) or starts(second, first):
            return [a if len(first) >= len(second) else b]
        return []
    raise SqlOnlyError(f"{'.'.join(path)} would need {canonical(a)} and {canonical(b)} at once")


def _intersect(path: Path, left: frozenset[str], right: frozenset[str]) -> frozenset[str]:
    out: set[str] = set()
    for a in left:
        for b in right:
            out.update(canonical(f) for f in _both(path, json.loads(a), json.loads(b)))
    return frozenset(out)


def _merge(first: Term, second: Term) -> Term | None:
    out = dict(first)
    for path, filters in second.items():
        if path in out:
            filters = _intersect(path, out[path], filters)
            if not filters:
                return None
        out[path] = filters
    return out


def _subsumes(general: Term, specific: Term) -> bool:
    return all(p in specific and specific[p] <= f for p, f in general.items())


def _union_on(first: Term, second: Term) -> Term | None:
    """``first OR second`` as one term when they differ on one path only."""
    if first.keys() != second.keys():
        return None
    differing = [p for p in first if first[p] != second[p]]
    if len(differing) != 1:
        return None
    path = differing[0]
    merged = dict(first)
    filters = first[path] | second[path]
    if {EXISTS, MISSING} <= filters:
        del merged[path]
    else:
        merged[path] = filters
    return merged


def _simplify(terms: Dnf) -> Dnf:
    terms = list({canonical(sorted((list(p), sorted(f)) for p, f in t.items())): t for t in terms}.values())
    changed = True
    while changed:
        changed = False
        for i, a in enumerate(terms):
            for j, b in enumerate(terms):
                if i == j:
                    continue
                if _subsumes(a, b):
                    del terms[j]
                    changed = True
                elif (union := _union_on(a, b)) is not None:
                    terms = [t for k, t in enumerate(terms) if k not in (i, j)] + [union]
                    changed = True
                if changed:
                    break
            if changed:
                break
    return terms


def any_of(*exprs: Dnf) -> Dnf:
    """OR of expressions."""
    return _simplify([term for expr in exprs for term in expr])


def all_of(*exprs: Dnf) -> Dnf:
    """AND of expressions."""
    result = TRUE
    for expr in exprs:
        merged = [m for a in result for b in expr if (m := _merge(a, b)) is not None]
        result = _simplify(merged)
        if len(result) > MAX_TERMS:
            raise SqlOnlyError(f"more than {MAX_TERMS} alternative combinations of conditions")
    return result


def _sorted_filters(filters: frozenset[str]) -> list[Any]:
    return [json.loads(f) for f in sorted(filters, key=lambda f: (f.startswith("{"), f))]


def nest(term: Term) -> dict[str, Any]:
    """A term as a nested pattern object."""
    pattern: dict[str, Any] = {}
    for path in sorted(term):
        node = pattern
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise SqlOnlyError(f"{'.'.join(path)} is both a value and an object in the pattern")
            node = child
        if path[-1] in node:
            raise SqlOnlyError(f"{'.'.join(path)} is both a value and an object in the pattern")
        node[path[-1]] = _sorted_filters(term[path])
    return pattern


def to_pattern(dnf: Dnf) -> dict[str, Any]:
    """The EventBridge pattern for ``dnf``: shared conditions at the top, the rest under ``$or``."""
    if not dnf:
        raise SqlOnlyError("the condition can never be true under this context")
    common = {p: f for p, f in dnf[0].items() if all(t.get(p) == f for t in dnf[1:])}
    pattern = nest(common)
    rests = [{p: f for p, f in t.items() if p not in common} for t in dnf]
    if len(dnf) > 1:
        pattern["$or"] = [nest(rest) for rest in rests]
    return pattern
