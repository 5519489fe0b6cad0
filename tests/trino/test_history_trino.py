"""The daily principal-history summary on a real Trino server: same baseline as the raw scan."""

from __future__ import annotations

import json

from tests.test_history import FIXTURES, history_matches_raw
from trailhunt.deploy.history import HISTORY_TABLE, history_table_sql
from trailhunt.engines import trino as trino_engine


def _records() -> list[dict]:
    records = []
    for path in FIXTURES:
        document = json.loads(path.read_text())
        records += document["Records"] if isinstance(document, dict) and "Records" in document else [document]
    return records


def test_summary_baseline_equals_the_raw_scan_on_trino(trino_conn, table) -> None:
    trino_engine.load_records(trino_conn, table, _records())

    trino_engine.query(trino_conn, f"DROP TABLE IF EXISTS {HISTORY_TABLE}")
    trino_engine.query(trino_conn, history_table_sql("bigint", "varchar"))
    days, rows = history_matches_raw(lambda sql: trino_engine.query(trino_conn, sql), table)
    assert days > 30 and rows > 100
