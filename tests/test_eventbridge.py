"""EventBridge compilation: every single-event detection's pattern matches exactly the records its SQL
matches, checked per fixture record with moto's EventBridge pattern matcher; plus one test per predicate kind."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CATALOG, PROJECT
from tests.moto_internals import pattern_accepts
from trailhunt.deploy.eventbridge import (
    ALL_MANAGEMENT,
    PATTERN_QUOTA,
    SIGN_IN,
    compile_detection,
    detail_types,
    event_for,
    rule_from_sql,
    service_source,
)
from trailhunt.deploy.eventbridge_fit import pattern_size
from trailhunt.render.context import AccountContext, load_context
from trailhunt.render.renderer import Renderer
from trailhunt.validate.fixtures import case_options, run_case

RENDERER = Renderer(PROJECT)
DEMO = load_context(PROJECT.fixtures / "contexts/demo.yaml")
BIG = DEMO.model_copy(
    update={
        "account_ids": [f"{200000000000 + i:012d}" for i in range(50)],
        "automation": DEMO.automation + [f"arn:aws:iam::*:role/pipeline-{i:02d}-*" for i in range(12)],
    }
)
CASES = [
    pytest.param(detection, index, id=f"{detection.id}::{case.case_id(index)}")
    for detection in CATALOG.detections
    for index, case in enumerate(detection.meta.tests)
]


def fixture_records(path: Path) -> list[dict[str, Any]]:
    """Records of a fixture file: a {"Records": [...]} document (optionally gzipped) or JSON lines."""
    text = gzip.decompress(path.read_bytes()).decode() if path.suffix == ".gz" else path.read_text()
    if path.name.endswith((".jsonl", ".jsonl.gz")):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    document = json.loads(text)
    return document["Records"] if isinstance(document, dict) and "Records" in document else [document]


def pattern_matches(pattern: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether moto's matcher accepts the record under every detail-type CloudTrail may give it."""
    verdicts = {pattern_accepts(pattern, event_for(record, t)) for t in detail_types(record)}
    assert len(verdicts) == 1, f"{record.get('eventID')}: the detail-type spellings disagree"
    return verdicts.pop()


@pytest.mark.parametrize(("detection", "index"), CASES)
def test_pattern_matches_exactly_what_sql_matches(detection, index) -> None:
    case = detection.meta.tests[index]
    options = case_options(RENDERER, case)
    rule = compile_detection(RENDERER, detection, options.context, options.params)
    if not rule.compiled:
        assert rule.reason, "a SQL-only detection must say why"
        return
    result = run_case(RENDERER, detection, index)
    fired = [row["event_id"] for row in result.rows]
    assert len(fired) == len(set(fired)), "a single-event detection returns one row per event"
    records = fixture_records(PROJECT.fixtures / case.fixture)
    ids = [r.get("eventID") for r in records]
    assert all(ids) and len(set(ids)) == len(ids), "fixture records need unique eventIDs"
    wrong = [
        f"{r['eventID']} {r.get('eventName')}: SQL {'fires' if r['eventID'] in fired else 'is silent'}, "
        f"pattern {'matches' if pattern_matches(rule.pattern, r) else 'does not'}"
        for r in records
        if (r["eventID"] in fired) != pattern_matches(rule.pattern, r)
    ]
    assert not wrong, f"{rule.pattern_text()}\n" + "\n".join(wrong)
    if any(r.get("readOnly") is True and r["eventID"] in fired for r in records):
        assert rule.state == ALL_MANAGEMENT, "fires on read-only calls, which EventBridge drops by default"


def test_the_example_detection_compiles() -> None:
    rule = compile_detection(RENDERER, CATALOG.get("cloudtrail_logging_stopped"))
    assert rule.compiled and rule.state == "ENABLED"
    assert rule.pattern["source"] == ["aws.cloudtrail"]
    assert rule.pattern["detail"]["eventName"] == ["DeleteTrail", "StopLogging"]
    assert "errorCode" not in rule.pattern["detail"]  # failed calls are reported too, as attempts


def where(predicate: str) -> dict[str, Any]:
    """Compile ``SELECT ... WHERE <window> AND predicate`` and return the pattern (or fail)."""
    rule = rule_from_sql(
        "t",
        f"SELECT eventid FROM cloudtrail WHERE (eventtime >= '2024-01-01T00:00:00Z' AND eventtime < '2024-01-02T00:00:00Z') AND {predicate}",
    )
    assert rule.compiled, rule.reason
    return rule.pattern


def sql_only(predicate: str) -> str:
    rule = rule_from_sql(
        "t", f"SELECT eventid FROM cloudtrail WHERE eventtime >= '2024-01-01T00:00:00Z' AND {predicate}"
    )
    assert not rule.compiled, rule.pattern
    return rule.reason or ""


def record(**fields: Any) -> dict[str, Any]:
    base = {
        "eventVersion": "1.09",
        "eventTime": "2024-01-01T10:00:00Z",
        "eventSource": "iam.amazonaws.com",
        "eventName": "CreateUser",
        "awsRegion": "us-east-1",
        "eventID": "e1",
        "eventType": "AwsApiCall",
        "readOnly": False,
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice"},
    }
    base.update(fields)
    return base


@pytest.mark.parametrize(
    ("predicate", "hit", "miss", "expected"),
    [
        (
            "eventname = 'CreateUser'",
            {},
            {"eventName": "DeleteUser"},
            {"detail": {"eventName": ["CreateUser"]}},
        ),
        (
            "eventname IN ('A', 'CreateUser')",
            {},
            {"eventName": "B"},
            {"detail": {"eventName": ["A", "CreateUser"]}},
        ),
        (
            "eventname NOT IN ('A', 'B')",
            {},
            {"eventName": "A"},
            {"detail": {"eventName": [{"anything-but": ["A", "B"]}]}},
        ),
        (
            "eventname <> 'DeleteUser'",
            {},
            {"eventName": "DeleteUser"},
            {"detail": {"eventName": [{"anything-but": ["DeleteUser"]}]}},
        ),
        (
            "eventname LIKE 'Create%'",
            {},
            {"eventName": "PutUser"},
            {"detail": {"eventName": [{"prefix": "Create"}]}},
        ),
        (
            "eventname LIKE '%User'",
            {},
            {"eventName": "CreateRole"},
            {"detail": {"eventName": [{"suffix": "User"}]}},
        ),
        (
            "eventname LIKE 'C%e%r'",
            {},
            {"eventName": "CreateRole"},
            {"detail": {"eventName": [{"wildcard": "C*e*r"}]}},
        ),
        (
            "eventname NOT LIKE 'Delete%'",
            {},
            {"eventName": "DeleteUser"},
            {"detail": {"eventName": [{"anything-but": {"prefix": "Delete"}}]}},
        ),
        (
            "starts_with(eventname, 'Cre')",
            {},
            {"eventName": "Put"},
            {"detail": {"eventName": [{"prefix": "Cre"}]}},
        ),
        (
            "errorcode IS NULL",
            {},
            {"errorCode": "AccessDenied"},
            {"detail": {"errorCode": [{"exists": False}]}},
        ),
        (
            "errorcode IS NOT NULL",
            {"errorCode": "AccessDenied"},
            {},
            {"detail": {"errorCode": [{"exists": True}]}},
        ),
        ("readonly = 'false'", {}, {"readOnly": True}, {"detail": {"readOnly": [False]}}),
        (
            "useridentity.arn LIKE 'arn:aws:iam::%:user/a%' ESCAPE '\\'",
            {},
            {"userIdentity": {"arn": "arn:aws:iam::1:role/a"}},
            {"detail": {"userIdentity": {"arn": [{"wildcard": "arn:aws:iam::*:user/a*"}]}}},
        ),
        (
            "json_extract_scalar(requestparameters, '$.userName') = 'bob'",
            {"requestParameters": {"userName": "bob"}},
            {"requestParameters": {"userName": "eve"}},
            {"detail": {"requestParameters": {"userName": ["bob"]}}},
        ),
        (
            "CAST(json_extract_scalar(requestparameters, '$.durationSeconds') AS integer) > 3600",
            {"requestParameters": {"durationSeconds": 43200}},
            {"requestParameters": {"durationSeconds": 900}},
            {"detail": {"requestParameters": {"durationSeconds": [{"numeric": [">", 3600]}]}}},
        ),
        (
            "NOT coalesce((FALSE OR FALSE), FALSE) AND eventname = 'CreateUser'",
            {},
            {"eventName": "X"},
            {"detail": {"eventName": ["CreateUser"]}},
        ),
    ],
)
def test_predicate_kinds(predicate, hit, miss, expected) -> None:
    pattern = where(predicate)
    assert {k: v for k, v in pattern.items() if k == "detail"} == expected
    assert pattern_matches(pattern, record(**hit))
    assert not pattern_matches(pattern, record(**miss))


def test_cidr_in_and_outside_trusted_networks() -> None:
    from trailhunt.render import sqltext

    inside = where(sqltext.in_networks("sourceipaddress", ["203.0.113.0/24"]))
    assert inside["detail"]["sourceIPAddress"] == [{"cidr": "203.0.113.0/24"}]
    outside = where(
        f"NOT coalesce({sqltext.in_networks('sourceipaddress', ['203.0.113.0/24', '10.0.0.0/15'])}, FALSE)"
    )
    assert pattern_matches(outside, record(sourceIPAddress="198.51.100.7"))
    assert pattern_matches(outside, record(sourceIPAddress="iam.amazonaws.com"))
    assert not pattern_matches(outside, record(sourceIPAddress="203.0.113.9"))
    assert not pattern_matches(outside, record(sourceIPAddress="10.1.2.3"))
    assert pattern_matches(outside, record(sourceIPAddress="10.2.0.1"))


def test_context_globs_become_anything_but_wildcards() -> None:
    pattern = where(
        "NOT coalesce(((useridentity.arn LIKE 'arn:aws:iam::%:role/ci-%' ESCAPE '\\') OR "
        "(useridentity.sessioncontext.sessionissuer.arn LIKE 'arn:aws:iam::%:role/ci-%' ESCAPE '\\')), FALSE)"
    )
    issuer = pattern["detail"]["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"]
    assert issuer == [{"anything-but": {"wildcard": "arn:aws:iam::*:role/ci-*"}}, {"exists": False}]
    ci = record(
        userIdentity={
            "type": "AssumedRole",
            "arn": "arn:aws:sts::1:assumed-role/ci-x/s",
            "sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam::1:role/ci-x"}},
        }
    )
    assert not pattern_matches(pattern, ci)
    assert pattern_matches(pattern, record())


def test_or_across_fields_uses_dollar_or() -> None:
    pattern = where("(eventname = 'A' OR errorcode = 'AccessDenied')")
    assert len(pattern["$or"]) == 2
    assert pattern_matches(pattern, record(eventName="A"))
    assert pattern_matches(pattern, record(errorCode="AccessDenied"))
    assert not pattern_matches(pattern, record())


@pytest.mark.parametrize(
    ("predicate", "reason"),
    [
        ("eventname = eventsource", "two fields"),
        ("regexp_like(useragent, 'curl')", "regular expression"),
        ("requestparameters LIKE '%Admin%'", "JSON text"),
        ("eventname LIKE 'Get_'", "any one character"),
        ("hour(from_iso8601_timestamp(eventtime)) < 6", "not a plain field"),
        ("useragent > 'a'", "ordering comparison on text"),
        ("eventname IN (SELECT eventname FROM cloudtrail)", "subquery"),
        ("eventtime < '2024-01-02T00:00:00Z' AND eventtime LIKE '2024%'", "eventTime"),
    ],
)
def test_inexpressible_predicates_are_sql_only(predicate, reason) -> None:
    assert reason in sql_only(predicate)


def test_aggregating_query_is_sql_only() -> None:
    rule = rule_from_sql(
        "t",
        "SELECT count(*) AS n FROM cloudtrail WHERE eventtime >= '2024-01-01T00:00:00Z' GROUP BY eventname",
    )
    assert not rule.compiled and "aggregates" in (rule.reason or "")


def test_read_only_calls_need_all_management_events_state() -> None:
    assert (
        rule_from_sql("t", "SELECT 1 FROM cloudtrail WHERE eventname = 'ListUsers'").state == ALL_MANAGEMENT
    )
    assert rule_from_sql("t", "SELECT 1 FROM cloudtrail WHERE eventname = 'CreateUser'").state == "ENABLED"
    assert (
        rule_from_sql(
            "t", "SELECT 1 FROM cloudtrail WHERE readonly = 'false' AND eventname LIKE 'Get%'"
        ).state
        == "ENABLED"
    )
    # STS token calls start with Get but are change events, delivered to ENABLED rules
    assert (
        rule_from_sql("t", "SELECT 1 FROM cloudtrail WHERE eventname = 'GetFederationToken'").state
        == "ENABLED"
    )
    assert compile_detection(RENDERER, CATALOG.get("sts_federation_token_created"), DEMO).state == "ENABLED"


def _all_records() -> list[dict[str, Any]]:
    files = sorted({PROJECT.fixtures / c.fixture for d in CATALOG.detections for c in d.meta.tests})
    return [r for f in files for r in fixture_records(f)]


@pytest.mark.parametrize("context", [DEMO, BIG], ids=["demo", "fifty_accounts_many_globs"])
def test_deployed_patterns_fit_the_quota_and_match_what_the_pattern_matches(context) -> None:
    """Split rules match exactly the records the whole pattern matches; broadened ones at least those."""
    records = _all_records()
    for detection in CATALOG.detections:
        rule = compile_detection(RENDERER, detection, context)
        if not rule.compiled:
            continue
        assert all(pattern_size(p) <= PATTERN_QUOTA for p in rule.parts), detection.id
        broadened = any("left out" in n for n in rule.notes)
        for r in records:
            whole, parts = pattern_matches(rule.pattern, r), any(pattern_matches(p, r) for p in rule.parts)
            assert parts >= whole if broadened else parts == whole, (detection.id, r.get("eventID"))


def test_a_pattern_too_large_to_split_drops_its_exclusions_and_says_so() -> None:
    humans = [f"arn:aws:iam::111122223333:user/person-{i:03d}-*" for i in range(60)]
    context = AccountContext(name="many", automation=humans)
    rule = compile_detection(RENDERER, CATALOG.get("sts_federation_token_created"), context)
    assert rule.compiled and len(rule.pattern_text()) > PATTERN_QUOTA
    assert [pattern_size(p) <= PATTERN_QUOTA for p in rule.parts] == [True]
    assert "left out" in rule.notes[0] and "person-000" not in json.dumps(rule.parts)


def test_sign_in_events_match_both_detail_type_spellings() -> None:
    pattern = where("eventsource = 'signin.amazonaws.com' AND eventname = 'ConsoleLogin'")
    assert set(SIGN_IN) <= set(pattern["detail-type"]) and pattern["source"] == ["aws.signin"]
    login = record(eventSource="signin.amazonaws.com", eventName="ConsoleLogin", eventType="AwsConsoleSignIn")
    assert detail_types(login) == SIGN_IN
    assert pattern_matches(pattern, login)


def test_service_source() -> None:
    assert service_source("iam.amazonaws.com") == "aws.iam"
    assert service_source("monitoring.amazonaws.com") == "aws.monitoring"
    assert service_source("weird") is None
