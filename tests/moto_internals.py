"""The one place tests touch moto's internals, each for a reason moto's public API cannot serve.

- Athena results: moto's public API can queue results (its static ``query-results`` endpoint), but
  only in arrival order, so a test that runs detections concurrently cannot tie rows to one query.
  Everything else in the Athena tests goes through boto3 (GetQueryExecution, ListQueryExecutions).
- EventBridge matching: moto answers the public ``TestEventPattern`` call with an empty response
  (no ``Result``), so the matcher it uses for real rules is called directly.

If a moto upgrade changes these internals, only this module breaks, loudly.
"""

from __future__ import annotations

import json
from typing import Any

from moto.athena.models import QueryResults, athena_backends
from moto.events.models import EventPattern


def seed_results(
    account: str,
    region: str,
    query_id: str,
    rows: list[dict[str, str | None]],
    types: dict[str, str] | None = None,
) -> None:
    """Make ``query_id`` return ``rows``: values as Athena's text cells (None: a NULL cell), typed
    by ``types`` (default: event_count bigint, the rest varchar)."""
    names = list(rows[0]) if rows else []
    types = types or {"event_count": "bigint"}
    info = [{"Name": n, "Label": n, "Type": types.get(n, "varchar")} for n in names]
    header = {"Data": [{"VarCharValue": n} for n in names]}
    data = [{"Data": [{} if r[n] is None else {"VarCharValue": r[n]} for n in names]} for r in rows]
    athena_backends[account][region].query_results[query_id] = QueryResults(
        rows=[header, *data], column_info=info
    )


def pattern_accepts(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """Whether moto's EventBridge rule matcher accepts ``event`` under ``pattern``."""
    return bool(EventPattern.load(json.dumps(pattern)).matches_event(event))
