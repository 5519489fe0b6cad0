"""Fit a compiled detection into EventBridge's 2,048-character pattern quota.

A pattern over the quota is first split into several rules: its alternatives (the terms of its
disjunctive normal form) are packed greedily into patterns that each fit, so the rules together match
exactly what the one pattern would (an event matching alternatives in two rules alerts twice). When a
single alternative is still too large, its exclusion lists (``anything-but`` wildcards: the
context's ARN globs and networks, AWS service callers) are dropped from the rule: the rule then alerts
on more events than the SQL, and the scheduled query, which keeps every exclusion, stays exact.
"""

from __future__ import annotations

import json
from typing import Any

from trailhunt.deploy.eventbridge_pattern import Dnf, SqlOnlyError, Term, to_pattern


def pattern_size(pattern: dict[str, Any]) -> int:
    """Characters of ``pattern`` as compact JSON (what EventBridge counts)."""
    return len(json.dumps(pattern, separators=(",", ":")))


def _is_exclusion(filters: frozenset[str]) -> bool:
    """A condition that only excludes wildcard lists (and may allow the field to be absent)."""
    parsed = [json.loads(f) for f in filters]
    excluding = [f for f in parsed if isinstance(f, dict) and isinstance(f.get("anything-but"), dict)]
    return bool(excluding) and all(
        f in excluding or f == {"exists": False} or isinstance(f, str) for f in parsed
    )


def _broaden(term: Term) -> Term:
    return {path: filters for path, filters in term.items() if not _is_exclusion(filters)}


def _pack(dnf: Dnf, quota: int) -> list[Dnf] | None:
    """Greedy packing of the terms into groups whose patterns fit ``quota`` (None if a term alone is too big)."""
    groups: list[Dnf] = []
    for term in dnf:
        if pattern_size(to_pattern([term])) > quota:
            return None
        for group in groups:
            if pattern_size(to_pattern([*group, term])) <= quota:
                group.append(term)
                break
        else:
            groups.append([term])
    return groups


def fit(dnf: Dnf, quota: int) -> tuple[list[dict[str, Any]], list[str]]:
    """The patterns to deploy for ``dnf`` and notes on what was changed to fit ``quota``."""
    whole = to_pattern(dnf)
    size = pattern_size(whole)
    if size <= quota:
        return [whole], []
    groups = _pack(dnf, quota)
    if groups is not None:
        sizes = ", ".join(str(pattern_size(to_pattern(g))) for g in groups)
        return [to_pattern(g) for g in groups], [
            f"{size}-character pattern split into {len(groups)} rules ({sizes} characters) to fit {quota}"
        ]
    broad = [_broaden(term) for term in dnf]
    groups = _pack(broad, quota)
    if groups is None:
        raise SqlOnlyError(
            f"the pattern is {size} characters and does not fit {quota} even without exclusions"
        )
    return [to_pattern(g) for g in groups], [
        f"{size}-character pattern: exclusion lists (context ARN globs and networks) left out of the "
        f"{len(groups)} rule(s) to fit {quota}; the rule alerts on more than the SQL, the scheduled "
        "query applies them"
    ]
