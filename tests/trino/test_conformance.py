"""Every detection x every test case on a real Trino server: its rows must equal DuckDB's.

The Athena SQL is rendered once per engine (target ``trino`` / ``duckdb``) with the case's context
and parameters; the fixture is loaded into a Trino memory table with the Athena CloudTrail schema.
Rows are compared as multisets of normalised values.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import CATALOG, PROJECT
from trailhunt.engines import trino as trino_engine
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.validate.fixtures import case_options, run_case

if TYPE_CHECKING:
    from trino.dbapi import Connection

CASES = [
    pytest.param(detection, index, id=f"{detection.id}::{case.case_id(index)}")
    for detection in CATALOG.detections
    for index, case in enumerate(detection.meta.tests)
]
OUTCOMES: dict[str, bool] = {}  # case id -> identical, for the lane's summary line
_LOADED: dict[str, str] = {}  # fixture -> Trino table


def _normal(value: Any) -> Any:
    if isinstance(value, Decimal | float):
        return round(float(value), 9)
    if isinstance(value, list | tuple):
        return tuple(_normal(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _normal(v)) for k, v in value.items()))
    return value


def _multiset(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((tuple((k, _normal(v)) for k, v in sorted(r.items())) for r in rows), key=repr)


def _table_for(conn: Connection, fixture: str) -> str:
    if fixture not in _LOADED:
        table = f"fixture_{len(_LOADED) + 1}"
        records = json.loads((PROJECT.fixtures / fixture).read_text())["Records"]
        trino_engine.load_records(conn, table, records)
        _LOADED[fixture] = table
    return _LOADED[fixture]


@pytest.mark.parametrize(("detection", "index"), CASES)
def test_trino_rows_equal_duckdb_rows(trino_conn, detection, index, request) -> None:
    renderer = Renderer(PROJECT)
    case = detection.meta.tests[index]
    duck = run_case(renderer, detection, index)
    base = case_options(renderer, case)
    options = RenderOptions(
        context=base.context, params=base.params, target="trino", table=_table_for(trino_conn, case.fixture)
    )
    sql = renderer.render(detection, options)
    trino_rows = trino_engine.query(trino_conn, sql)
    identical = _multiset(trino_rows) == _multiset(duck.rows)
    OUTCOMES[request.node.callspec.id] = identical
    assert identical, (
        f"Trino and DuckDB differ for {request.node.callspec.id}\n--- Athena SQL ---\n{sql}\n"
        f"--- Trino ---\n{json.dumps(trino_rows, indent=1, default=str)}\n"
        f"--- DuckDB ---\n{json.dumps(duck.rows, indent=1, default=str)}"
    )
