"""Athena (Trino) SQL to DuckDB SQL through sqlglot.

Unsupported constructs raise instead of passing silently. Engine traps that change answers are
handled by ``fidelity`` rewrites applied here.
"""

from __future__ import annotations

import sqlglot
from sqlglot import ErrorLevel
from sqlglot.errors import SqlglotError

from trailhunt.problems import Problem, ProblemError

SOURCE_DIALECT = "athena"


def parse_athena(sql: str) -> list[sqlglot.Expression]:
    """Parse Athena SQL into statements (raises sqlglot errors)."""
    return [s for s in sqlglot.parse(sql, read=SOURCE_DIALECT) if s is not None]


def to_duckdb(sql: str, origin: str = "<sql>") -> str:
    """Transpile one Athena statement to DuckDB; untranslatable constructs raise ProblemError."""
    try:
        statements = parse_athena(sql)
        if len(statements) != 1:
            raise ProblemError([Problem("SQL002", f"expected one statement, found {len(statements)}")])
        return statements[0].sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as error:
        raise ProblemError([Problem("SQL003", f"{origin}: cannot translate to DuckDB: {error}")]) from error
