"""The corroboration checklist: ticked only on evidence in the data, never for what CloudTrail
cannot see, and never both ticked and still to check."""

from __future__ import annotations

from tests.report_support import detection, finding, user
from trailhunt.baseline import Tally
from trailhunt.report.checklist import checklist, declared_evidence

ATTACKER = user("svc-reporting")


def calls(name: str, events: int = 1, errors: int = 0, service: str = "iam.amazonaws.com") -> Tally:
    """A baseline API tally of the attacker."""
    when = "2024-03-13T14:20:00Z"
    return Tally(ATTACKER, service, events, 0, errors, 1, 1, when, when, detail=name)


def signals(corroborate, others=(), activity=()):
    det = detection("share_snapshot", "exfiltration", corroborate=corroborate)
    findings = [finding(det, "2024-03-13T14:35:00Z", ATTACKER, "ModifySnapshotAttribute")]
    findings += [finding(d, "2024-03-13T14:30:00Z", ATTACKER, name) for d, name in others]
    return {s.text: s for s in checklist(findings, list(activity))}


def test_declared_evidence_is_detection_ids_and_api_calls_not_product_names():
    text = "GuardDuty or CloudTrail: StopLogging, DeleteTrail, or console_login_from_new_ip?"
    assert declared_evidence(text, "x") == ("console_login_from_new_ip", "StopLogging", "DeleteTrail")


def test_a_named_detection_that_fired_is_seen():
    burst = detection("discovery_api_burst", "discovery")
    text = "a discovery_api_burst by the same principal"
    item = signals([text], [(burst, "ListUsers")])[text]
    assert (item.status, item.seen) == ("seen", "discovery_api_burst fired")


def test_a_named_call_in_the_actors_activity_is_seen_and_a_denied_one_is_not():
    text = "credentials added afterwards (CreateAccessKey, CreateLoginProfile)"
    assert signals([text], activity=[calls("CreateLoginProfile")])[text].seen == (
        "CreateLoginProfile ×1 by the same principal"
    )
    assert signals([text], activity=[calls("CreateLoginProfile", 2, 2)])[text].status == "check"


def test_the_call_that_fired_the_detection_does_not_confirm_its_own_item():
    text = "other sharing by the same principal (ModifySnapshotAttribute, ModifyImageAttribute)"
    items = signals([text], activity=[calls("ModifySnapshotAttribute", service="ec2.amazonaws.com")])
    assert items[text].status == "check"


def test_what_cloudtrail_cannot_see_is_never_ticked():
    burst = detection("discovery_api_burst", "discovery")
    texts = [
        "GuardDuty Exfiltration:S3/AnomalousBehavior or Discovery:S3/AnomalousBehavior findings",
        "VPC flow logs from the instance to unknown addresses",
        "process list on the host",
    ]
    items = signals(texts, [(burst, "ListBuckets")])
    assert {items[t].status for t in texts} == {"elsewhere"}


def test_a_tactic_word_alone_is_a_check_and_no_item_is_both():
    stop = detection("cloudtrail_logging_stopped", "defense-evasion")
    texts = [
        "other defense-evasion from the same principal",
        "sts GetCallerIdentity first (GetCallerIdentity)",
    ]
    items = signals(texts, [(stop, "StopLogging")], [calls("GetCallerIdentity", service="sts.amazonaws.com")])
    assert items[texts[0]].status == "check"
    assert items[texts[1]].status == "seen"
    assert len({s.status for s in items.values()}) == 2


def test_an_item_about_the_target_user_is_not_confirmed_by_the_callers_own_calls():
    about_target = "does a ConsoleLogin for the target user follow?"
    by_caller = "did the same principal add credentials to the new user (CreateLoginProfile)?"
    activity = [calls("ConsoleLogin", service="signin.amazonaws.com"), calls("CreateLoginProfile")]
    items = signals([about_target, by_caller], activity=activity)
    assert items[about_target].status == "check"
    assert items[by_caller].seen == "CreateLoginProfile ×1 by the same principal"
    target_login = detection("console_login_without_mfa", "initial-access")
    items = signals([about_target], [(target_login, "ConsoleLogin")])  # the same principal here
    assert items[about_target].status == "check"
