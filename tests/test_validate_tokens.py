"""A detection whose SQL does not even tokenize is a reported problem, not a validator crash."""

from __future__ import annotations

from tests.test_validate import HEADER, IMPORTS, _problems

UNTERMINATED = (
    IMPORTS
    + """SELECT {{ findings.finding_columns("concat('e', ', x)") }}
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }} AND eventsource = 'iam.amazonaws.com'
"""
)


def test_unterminated_string_is_sql001(tmp_path, project) -> None:
    problems = _problems(
        tmp_path, project, {"discovery/d.sql": HEADER.format(id="d", attack="T1087.004") + UNTERMINATED}
    )
    assert [p.code for p in problems] == ["SQL001"]
    assert "tokenize" in problems[0].message
