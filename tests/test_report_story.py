"""Ranking by story: what the actor achieved, corroborated by its other calls, ranks first; a known
human doing the expected (root signing in with MFA) ranks down. Through the real hunt path.

``lab_intrusion.json`` reproduces the pattern of a recorded lab intrusion: a leaked IAM user key
runs a recon of 16 distinct APIs across 6 services in 10 minutes with 4 AccessDenied (under the
fixed burst thresholds), grants itself ``*:*`` with an inline PutUserPolicy, and creates a second
access key for itself; beside it, the account owner signs in as root (with MFA) three times.
"""

from __future__ import annotations

import shlex

import pytest

from tests.report_support import DATA, detection, finding, user
from trailhunt.hunt import hunt
from trailhunt.render.context import load_context
from trailhunt.report.build import build_report
from trailhunt.report.correlate import LEAD, SUSPICIOUS, correlate
from trailhunt.report.html_graph import build_graph
from trailhunt.report.story import story_of

INTERN = "arn:aws:iam::111122223333:user/dev-intern"
ROOT = "arn:aws:iam::111122223333:root"


@pytest.fixture(scope="module")
def lab(catalog, renderer):
    context = load_context(DATA / "lab_context.yaml")
    result = hunt([DATA / "lab_intrusion.json"], renderer, catalog.detections, context, use_cache=False)
    assert not result.errors
    return build_report(result, renderer)


def test_the_attacker_ranks_first_as_suspicious_with_a_runbook(lab):
    top = lab.candidates[0]
    assert top.principals == [INTERN]
    assert top.level.rank >= SUSPICIOUS.rank
    assert lab.findings[0].finding.principal_arn == INTERN
    assert lab.runbooks[0].candidate is top
    commands = [s.command for s in lab.runbooks[0].steps if s.command]
    assert [
        "aws",
        "iam",
        "delete-user-policy",
        "--user-name",
        "dev-intern",
        "--policy-name",
        "dev-tools",
    ] in [shlex.split(c) for c in commands]


def test_the_story_names_what_was_achieved_and_the_corroborating_calls(lab):
    story = lab.candidates[0].story
    assert list(story.achieved) == ["privilege raised to admin", "credentials or access created"]
    assert story.activity == [
        "reconnaissance: 18 distinct APIs across 6 services nearby",
        "4 denied calls (AccessDenied) nearby",
        "credentials created for itself: CreateAccessKey",
    ]


def test_root_signing_in_with_mfa_as_a_listed_human_is_ranked_down(lab):
    root = next(c for c in lab.candidates if c.principals == [ROOT])
    assert root.level is LEAD
    assert root.expected_human
    assert root.score < lab.candidates[0].score / 4
    assert all(
        "a known human signing in with MFA: ranked down" in r.notes
        for r in lab.findings
        if r.candidate is root
    )


def test_a_denied_attempt_then_a_success_of_the_same_family_corroborates():
    grant = detection("inline_grant", "privilege-escalation")
    tried = finding(grant, "2024-03-13T14:00:00Z", user("mallory"), "PutUserPolicy", finding_kind="attempt")
    done = finding(grant, "2024-03-13T14:05:00Z", user("mallory"), "PutUserPolicy", event_id="second")
    (alone,) = correlate([tried], {})
    (both,) = correlate([tried, done], {})
    assert alone.level is LEAD and alone.story.summary == "tried: privilege raised"
    assert both.story.activity == ["PutUserPolicy was denied, then succeeded (inline_grant)"]
    assert both.level is SUSPICIOUS
    assert (
        story_of(
            [tried, done], {}, [], {id(tried): "privilege-escalation", id(done): "privilege-escalation"}
        ).points
        == 4
    )


def test_the_identity_graph_notes_the_self_grant_instead_of_drawing_a_loop(lab):
    graph = build_graph(lab.candidates[0])
    assert graph.itself == {"user:111122223333:dev-intern": ["PutUserPolicy", "CreateAccessKey"]}
    assert all(source != target for source, target in graph.edges)
