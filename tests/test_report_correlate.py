"""Incident candidates: who is linked to whom, time splits, and wording that follows the evidence."""

from __future__ import annotations

from datetime import timedelta

from tests.report_support import detection, finding, session, user
from trailhunt.report.correlate import ESCALATION, LEAD, PROBABLE, SUSPICIOUS, correlate

CREATE_USER = detection("create_user", "persistence", corroborate=["defense evasion from the same principal"])
CREATE_KEY = detection("create_key", "persistence")
STOP_LOGGING = detection(
    "stop_logging",
    "defense-evasion",
    corroborate=["persistence from the same principal (CreateUser, CreateAccessKey)"],
)
SHARE_SNAPSHOT = detection("share_snapshot", "exfiltration", confidence="medium")
DISCOVERY = detection("discovery_burst", "discovery", confidence="low", severity="low")
IMPAIR = detection("guardduty_off", "defense-impairment")

ATTACKER = user("svc-reporting")
KEY = "AKIAQ3EGRZ5PLW7TNVXK"


def only(findings, classes=None):
    candidates = correlate(findings, classes or {})
    assert len(candidates) == 1, [c.principals for c in candidates]
    return candidates[0]


def test_one_create_user_by_a_known_admin_is_a_lead_not_an_incident():
    admin = session("AWSReservedSSO_AdministratorAccess_0123456789abcdef", "alice@example.com")
    candidate = only([finding(CREATE_USER, "2024-03-13T10:00:00Z", admin)], {admin: "human"})
    assert candidate.level == LEAD
    assert any("single event" in r for r in candidate.reasons)
    assert any("known human" in r for r in candidate.reasons)


def test_persistence_and_defense_evasion_within_an_hour_is_an_escalation_candidate():
    candidate = only(
        [
            finding(CREATE_USER, "2024-03-13T14:02:10Z", ATTACKER, key=KEY),
            finding(STOP_LOGGING, "2024-03-13T14:31:00Z", ATTACKER, "StopLogging", key=KEY),
        ]
    )
    assert candidate.level == ESCALATION
    assert any("within 29 min" in r for r in candidate.reasons)


def test_the_same_pair_three_hours_apart_is_only_suspicious():
    candidate = only(
        [
            finding(CREATE_USER, "2024-03-13T10:00:00Z", ATTACKER),
            finding(STOP_LOGGING, "2024-03-13T13:00:00Z", ATTACKER, "StopLogging"),
        ]
    )
    assert candidate.level == SUSPICIOUS


def test_several_detections_on_one_event_stay_a_lead():
    same_event = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
    candidate = only(
        [
            finding(CREATE_USER, "2024-03-13T14:02:10Z", ATTACKER, event_id=same_event),
            finding(STOP_LOGGING, "2024-03-13T14:02:10Z", ATTACKER, event_id=same_event),
            finding(SHARE_SNAPSHOT, "2024-03-13T14:02:10Z", ATTACKER, event_id=same_event),
        ]
    )
    assert candidate.independent == 1
    assert candidate.level == LEAD


def test_three_independent_tactics_with_high_confidence_is_a_probable_compromise():
    candidate = only(
        [
            finding(DISCOVERY, "2024-03-13T13:50:00Z", ATTACKER, "ListUsers", last="2024-03-13T13:58:00Z"),
            finding(CREATE_USER, "2024-03-13T14:02:10Z", ATTACKER),
            finding(STOP_LOGGING, "2024-03-13T14:31:00Z", ATTACKER, "StopLogging"),
        ]
    )
    assert candidate.level == PROBABLE
    assert candidate.tactics == ["persistence", "defense-evasion", "discovery"]


def test_defense_impairment_counts_as_the_same_tactic_as_defense_evasion():
    candidate = only(
        [
            finding(STOP_LOGGING, "2024-03-13T14:00:00Z", ATTACKER, "StopLogging"),
            finding(IMPAIR, "2024-03-13T14:10:00Z", ATTACKER, "DeleteDetector"),
        ]
    )
    assert candidate.independent == 1
    assert candidate.level == SUSPICIOUS  # two detections on two events, one tactic


def test_automation_is_held_at_suspicious_however_much_it_does():
    role = session("terraform-apply", "tf-run-8812")
    candidate = only(
        [
            finding(DISCOVERY, "2024-03-13T13:50:00Z", role, "ListUsers"),
            finding(CREATE_USER, "2024-03-13T14:02:10Z", role),
            finding(STOP_LOGGING, "2024-03-13T14:31:00Z", role, "StopLogging"),
        ],
        {role: "automation"},
    )
    assert candidate.level == SUSPICIOUS
    assert any("automation" in r for r in candidate.reasons)


def test_access_key_links_two_principals_and_created_user_links_to_its_creator():
    creator = finding(CREATE_USER, "2024-03-13T14:02:10Z", ATTACKER, key=KEY, target_user="backup-admin")
    created = finding(
        STOP_LOGGING, "2024-03-13T14:21:07Z", user("backup-admin"), "StopLogging", key="AKIAZ4ETQ2NXH7D5QW3M"
    )
    same_key_other_arn = finding(SHARE_SNAPSHOT, "2024-03-13T14:40:00Z", "AIDAQ3EGRZ5PLW7TNVXK", key=KEY)
    candidate = only([creator, created, same_key_other_arn])
    assert candidate.principals == [ATTACKER, user("backup-admin"), "AIDAQ3EGRZ5PLW7TNVXK"]


def test_a_new_key_named_in_a_finding_links_its_later_use():
    issued = "AKIAZ4ETQ2NXH7D5QW3M"
    creator = finding(
        CREATE_KEY, "2024-03-13T14:03:00Z", ATTACKER, "CreateAccessKey", new_access_key_id=issued
    )
    use = finding(SHARE_SNAPSHOT, "2024-03-13T14:40:00Z", user("backup-admin"), key=issued)
    assert only([creator, use]).principals == [ATTACKER, user("backup-admin")]


def test_no_link_into_automation_by_name():
    role = session("terraform-apply", "tf-run-8812")
    attacker = finding(CREATE_USER, "2024-03-13T14:02:10Z", ATTACKER, role_arn=role)
    pipeline = finding(SHARE_SNAPSHOT, "2024-03-13T14:05:00Z", role)
    assert len(correlate([attacker, pipeline], {role: "automation"})) == 2


def test_unrelated_principals_are_separate_candidates():
    a = finding(CREATE_USER, "2024-03-13T14:02:10Z", user("alice"))
    b = finding(CREATE_USER, "2024-03-13T14:03:10Z", user("bob"))
    assert len(correlate([a, b], {})) == 2


def test_a_quiet_gap_longer_than_the_window_splits_an_actor():
    early = finding(CREATE_USER, "2024-03-13T01:00:00Z", ATTACKER)
    burst = finding(DISCOVERY, "2024-03-13T08:00:00Z", ATTACKER, "ListUsers", last="2024-03-13T09:00:00Z")
    late = finding(STOP_LOGGING, "2024-03-13T14:59:00Z", ATTACKER, "StopLogging")
    runs = correlate([early, burst, late], {}, gap=timedelta(hours=6))
    assert sorted(len(c.findings) for c in runs) == [1, 2]  # 01:00 | 08:00-09:00 and 14:59 (5h59m after)


def test_corroborating_signals_seen_only_on_the_evidence_they_name():
    candidate = only(
        [
            finding(CREATE_USER, "2024-03-13T14:02:10Z", ATTACKER),
            finding(STOP_LOGGING, "2024-03-13T14:31:00Z", ATTACKER, "StopLogging"),
            finding(SHARE_SNAPSHOT, "2024-03-13T14:35:00Z", ATTACKER, "ModifySnapshotAttribute"),
        ]
    )
    seen = {s.text: s.seen for s in candidate.signals}
    # A tactic word is not evidence: only a named detection id or API call can be seen.
    assert seen["defense evasion from the same principal"] is None
    assert seen["persistence from the same principal (CreateUser, CreateAccessKey)"] == (
        "CreateUser in create_user"
    )
    assert [s.text for s in candidate.needed] == [
        "defense evasion from the same principal",
        "something else from the same principal",
    ]
