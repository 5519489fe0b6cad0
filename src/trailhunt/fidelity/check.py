"""What one Athena statement needs on DuckDB: the fidelity rewrites it gets and the issues it has."""

from __future__ import annotations

from trailhunt.fidelity.base import Issue
from trailhunt.fidelity.transpile import adapted


def rewrites_for(sql: str) -> list[str]:
    """``rule: why`` for every fidelity rewrite one Athena statement needs on DuckDB."""
    return list(adapted(sql).rewrites)


def issues_for(sql: str) -> list[Issue]:
    """Constructs of one Athena statement whose DuckDB answer could differ (FID codes)."""
    return list(adapted(sql).issues)
