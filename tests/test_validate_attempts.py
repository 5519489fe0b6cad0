"""The validator knows which detections report failed calls as attempts and which opt out, and why."""

from __future__ import annotations

from tests.test_validate import HEADER, IMPORTS, _problems

AGGREGATE_SQL = (
    IMPORTS
    + """SELECT {{ findings.aggregate_finding_columns("'e'") }}
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }} AND eventsource = 'iam.amazonaws.com'
GROUP BY {{ findings.principal_key() }}
"""
)
OPTED_OUT = HEADER.replace("tests:", 'attempts_opt_out: "failed calls are its subject"\ntests:')


def _codes(tmp_path, project, text: str) -> list[str]:
    return [p.code for p in _problems(tmp_path, project, {"discovery/d.sql": text})]


def test_detection_neither_reporting_attempts_nor_opting_out_is_an_error(tmp_path, project) -> None:
    assert _codes(tmp_path, project, HEADER.format(id="d", attack="T1087.004") + AGGREGATE_SQL) == ["ATM001"]


def test_opt_out_with_a_reason_is_accepted(tmp_path, project) -> None:
    assert _codes(tmp_path, project, OPTED_OUT.format(id="d", attack="T1087.004") + AGGREGATE_SQL) == []


def test_opt_out_that_still_returns_finding_kind_is_an_error(tmp_path, project) -> None:
    sql = (
        IMPORTS
        + """SELECT {{ findings.finding_columns("'e'") }}
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }} AND eventsource = 'iam.amazonaws.com'
"""
    )
    assert _codes(tmp_path, project, OPTED_OUT.format(id="d", attack="T1087.004") + sql) == ["ATM002"]


def test_aggregate_attempts_are_accepted(tmp_path, project) -> None:
    sql = AGGREGATE_SQL.replace("\"'e'\")", "\"'e'\", attempts=true)").replace(
        "GROUP BY {{ findings.principal_key() }}",
        "GROUP BY {{ findings.principal_key() }}, {{ findings.attempt_group() }}",
    )
    assert _codes(tmp_path, project, HEADER.format(id="d", attack="T1087.004") + sql) == []


def test_empty_opt_out_reason_is_rejected(tmp_path, project) -> None:
    text = HEADER.replace("tests:", 'attempts_opt_out: " "\ntests:').format(id="d", attack="T1087.004")
    assert "META001" in _codes(tmp_path, project, text + AGGREGATE_SQL)
