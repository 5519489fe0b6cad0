"""The Trino backend against a real server: the table matches the DDL and loads match DuckDB's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from trailhunt.engines import duckdb as duckdb_engine
from trailhunt.engines import trino as trino_engine
from trailhunt.engines.duckdb_schema import TIME_COLUMN
from trailhunt.ingest.load import load_files
from trailhunt.schema import columns, type_sql

if TYPE_CHECKING:
    from trino.dbapi import Connection

NESTED = {
    "eventVersion": "1.09",
    "userIdentity": {
        "type": "AssumedRole",
        "arn": "arn:aws:sts::111122223333:assumed-role/deploy/ci",
        "accountId": "111122223333",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111122223333:role/deploy"},
            "attributes": {"mfaAuthenticated": "false"},
            "webIdFederationData": {
                "federatedProvider": "token.actions",
                "attributes": {"sub": "repo:x", "n": 1},
            },
        },
    },
    "eventTime": "2024-03-13T14:21:07Z",
    "eventSource": "iam.amazonaws.com",
    "eventName": "PutRolePolicy",
    "requestParameters": {
        "roleName": "deploy",
        "policyDocument": '{"Statement":[{"Effect":"Allow","Action":"*"}]}',
        "note": 'l\'été "quoted" \\ 😀 \u2028',
        "nested": {"list": [1, 2.5, None, {"deep": True}], "empty": {}},
    },
    "responseElements": None,
    "additionalEventData": {"bytes": 1.0, "count": 3},
    "eventID": "e1",
    "readOnly": True,
    "resources": [{"ARN": "arn:aws:iam::111122223333:role/deploy", "type": "AWS::IAM::Role"}, {}],
    "addendum": {},
    "managementEvent": True,
}
NUMBERS = {
    "eventTime": "2024-03-13T14:21:08Z",
    "eventID": "e2",
    "readOnly": False,
    "apiVersion": 1e16,
    "errorCode": False,
    "errorMessage": 12.5,
    "requestParameters": {
        "values": [1.0, 1e-7, 1e-6, 1e16, 1e21, 2.5e25, -0.0, 0.1, 12345678901234567890, -3, 1e300, 5e-324],
    },
    "serviceEventDetails": "text",
    "userIdentity": {
        "sessionContext": {"webIdFederationData": {"attributes": {"f": 1e-7, "o": {"x": 1e-7}}}}
    },
}
HOSTILE_TEXT = "a'b''c\\d\x00e\x1f\x7f\u2028\ufeff😀\n\r\tU&'\\0041' '; DROP TABLE cloudtrail; --"
HOSTILE = {
    "eventTime": "2024-03-13T14:21:09Z",
    "eventID": "e3",
    "eventName": HOSTILE_TEXT,
    "userAgent": "\\",
    "sourceIPAddress": "",
    "requestParameters": {HOSTILE_TEXT: HOSTILE_TEXT, "\u001f": "\\u0041"},
    "resources": [{"ARN": HOSTILE_TEXT}],
}
CASES = {"nested": [NESTED], "numbers": [NUMBERS], "hostile": [HOSTILE], "all": [NESTED, NUMBERS, HOSTILE]}


def duckdb_rows(records: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, Any]]:
    """What the DuckDB loader makes of ``records`` written as one CloudTrail log file."""
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"Records": records}, ensure_ascii=False), encoding="utf-8")
    con = duckdb_engine.connect()
    report = load_files(con, [path])
    assert not report.rejected
    # The Athena columns only: the typed event_ts is DuckDB's own (parsed once at load).
    cursor = con.execute(f"SELECT * EXCLUDE ({TIME_COLUMN}) FROM cloudtrail ORDER BY eventid")
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def normal(value: Any) -> Any:
    """Tuples as lists, recursively, so that both clients' containers compare equal."""
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normal(v) for v in value]
    return value


def assert_same_rows(actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert list(got) == list(want)
        assert {c: (got[c], want[c]) for c in want if normal(got[c]) != normal(want[c])} == {}


def test_server_answers(trino_conn: Connection) -> None:
    assert trino_engine.query(trino_conn, "SELECT 1 AS one") == [{"one": 1}]


def test_table_has_the_ddl_columns(trino_conn: Connection, table: str) -> None:
    trino_engine.create_table(trino_conn, table)
    shown = trino_engine.query(trino_conn, f"SHOW COLUMNS FROM {table}")
    assert [(r["Column"], r["Type"]) for r in shown] == [
        (name, type_sql(field.type, "trino").lower()) for name, field in columns().items()
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_load_matches_duckdb(trino_conn: Connection, table: str, tmp_path: Path, case: str) -> None:
    records = CASES[case]
    assert trino_engine.load_records(trino_conn, table, records) == len(records)
    actual = trino_engine.query(trino_conn, f"SELECT * FROM {table} ORDER BY eventid")
    assert_same_rows(actual, duckdb_rows(records, tmp_path))


def test_hostile_text_round_trips(trino_conn: Connection, table: str) -> None:
    trino_engine.load_records(trino_conn, table, [HOSTILE])
    (row,) = trino_engine.query(trino_conn, f"SELECT eventname, resources[1].arn AS arn FROM {table}")
    assert row == {"eventname": HOSTILE_TEXT, "arn": HOSTILE_TEXT}


def test_batches_split(
    trino_conn: Connection, table: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trino_engine, "MAX_BATCH_ROWS", 2)
    records = [{**NESTED, "eventID": f"e{i}"} for i in range(5)]
    trino_engine.load_records(trino_conn, table, records)
    actual = trino_engine.query(trino_conn, f"SELECT * FROM {table} ORDER BY eventid")
    assert_same_rows(actual, duckdb_rows(records, tmp_path))


def test_wrong_shape_is_rejected_like_duckdb(trino_conn: Connection, table: str) -> None:
    with pytest.raises(ValueError, match=r"userIdentity\.sessionContext: expected OBJECT, got str"):
        trino_engine.load_records(trino_conn, table, [{"userIdentity": {"sessionContext": "x"}}])


def test_table_name_must_be_an_identifier(trino_conn: Connection) -> None:
    with pytest.raises(ValueError, match="is not allowed"):
        trino_engine.create_table(trino_conn, "cloudtrail; DROP TABLE x")
