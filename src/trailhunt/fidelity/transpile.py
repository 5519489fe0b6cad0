"""Athena (Trino) SQL to DuckDB SQL through sqlglot.

Unsupported constructs raise instead of passing silently. Engine traps that change answers are
handled by ``fidelity`` rewrites applied here.
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import ErrorLevel, exp
from sqlglot.dialects.athena import Athena
from sqlglot.dialects.trino import Trino
from sqlglot.errors import SqlglotError
from sqlglot.parsers.athena import AthenaParser

from trailhunt.fidelity.base import Adapted
from trailhunt.fidelity.core import adapt
from trailhunt.fidelity.sqlcache import TranslationCache
from trailhunt.ingest.cachedir import caches_enabled
from trailhunt.problems import Problem, ProblemError

SOURCE_DIALECT = "athena"


class TrinoSource(Trino):
    """Trino keeping each JSON path's original text in ``meta["json_path_text"]``.

    sqlglot re-parses JSON paths in its own syntax and changes some (``$.aws:SourceIp``);
    fidelity rules read the text as Trino does.
    """

    def to_json_path(self, path: exp.Expr | None) -> exp.Expr | None:
        """sqlglot's JSONPath, with the literal text it came from in ``meta``."""
        parsed = super().to_json_path(path)
        if isinstance(path, exp.Literal) and path.is_string and parsed is not None:
            parsed.meta["json_path_text"] = path.name
        return parsed


class AthenaSourceParser(AthenaParser):
    """Athena's parser, routing SELECTs to the ``TrinoSource`` dialect."""

    def __init__(self, **options: object) -> None:
        super().__init__(trino=TrinoSource(), **options)  # type: ignore[arg-type]


class AthenaSource(Athena):
    """Athena as detections are parsed: JSON path texts kept (see ``TrinoSource``)."""

    Parser = AthenaSourceParser  # type: ignore[assignment]


def parse_athena(sql: str) -> list[exp.Expr]:
    """Parse Athena SQL into statements (raises sqlglot errors)."""
    return [s for s in sqlglot.parse(sql, read=AthenaSource) if s is not None]


@lru_cache(maxsize=1024)
def adapted(sql: str) -> Adapted:
    """One Athena statement with the fidelity rules applied (raises sqlglot errors, ProblemError)."""
    statements = parse_athena(sql)
    if len(statements) != 1:
        raise ProblemError([Problem("SQL002", f"expected one statement, found {len(statements)}")])
    return adapt(statements[0])


def to_duckdb(sql: str, origin: str = "<sql>", use_cache: bool | None = None) -> str:
    """Transpile one Athena statement to DuckDB with Athena's semantics.

    Raises ProblemError for constructs sqlglot cannot translate (SQL003) and for those whose
    DuckDB answer could differ from Athena's and cannot be rewritten (FID errors). Successful
    translations are kept in a verified on-disk cache (``sqlcache``), so a repeated hunt does not
    pay for type inference again; ``use_cache`` (default: off inside ``cachedir.bypassed``) turns it off.
    """
    if not (caches_enabled() if use_cache is None else use_cache):
        return _translate(sql, origin)
    cache = TranslationCache.default()
    if (stored := cache.get(sql)) is not None:
        return stored
    translated = _translate(sql, origin)
    cache.put(sql, translated)
    return translated


def _translate(sql: str, origin: str) -> str:
    try:
        result = adapted(sql)
        errors = [i for i in result.issues if i.severity == "error"]
        if errors:
            raise ProblemError([Problem(i.code, f"{origin}: {i.message}") for i in errors])
        return result.tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as error:
        raise ProblemError([Problem("SQL003", f"{origin}: cannot translate to DuckDB: {error}")]) from error
