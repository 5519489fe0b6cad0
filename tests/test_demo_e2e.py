"""End to end over the bundled demo: the intrusion is the top incident candidate, the IaC roles are not."""

from __future__ import annotations

import json

import pytest

from trailhunt.hunt import hunt
from trailhunt.render.context import load_context
from trailhunt.report.build import build_report
from trailhunt.report.correlate import ESCALATION
from trailhunt.report.write import FORMATS, render_text

pytestmark = pytest.mark.slow

LEAKED_KEY = "AKIAQ3EGRZ5PLW7TNVXK"  # svc-reporting's key, used from 185.220.101.47
ATTACKER = ("arn:aws:iam::111122223333:user/svc-reporting", "arn:aws:iam::111122223333:user/backup-admin")
IAC_ROLES = (":assumed-role/terraform-apply/", ":assumed-role/github-actions-deploy/")


@pytest.fixture(scope="module")
def report(project, catalog, renderer):
    context = load_context(project.fixtures / "contexts" / "demo.yaml")
    result = hunt([project.fixtures / "demo"], renderer, catalog.detections, context)
    assert result.load.events > 1000 and not result.load.rejected
    return build_report(result, renderer)


def test_the_attacker_is_the_top_incident_candidate(report):
    top = report.candidates[0]
    assert set(ATTACKER) <= set(top.principals)
    assert LEAKED_KEY in top.access_keys
    assert top.level.rank >= ESCALATION.rank
    assert "185.220.101.47" in top.source_ips
    assert {"persistence", "defense-evasion", "exfiltration"} <= set(top.tactics)
    assert report.findings[0].candidate is top
    assert report.runbooks[0].candidate is top


def test_iac_roles_raise_no_high_confidence_incident(report):
    noisy = [t.name for t in report.baseline.noisiest_automation()]
    assert all(any(role in name for role in IAC_ROLES) for name in noisy)  # their noise is in the data
    for candidate in report.candidates:
        if any(role in p for p in candidate.principals for role in IAC_ROLES):
            assert candidate.level.rank < ESCALATION.rank, (candidate.id, candidate.reasons)


def test_runbook_contains_the_leaked_key(report):
    commands = [s.command or "" for s in report.runbooks[0].containment]
    assert any(
        f"update-access-key --status Inactive --access-key-id {LEAKED_KEY} --user-name svc-reporting" in c
        for c in commands
    )


def test_every_format_renders_the_demo(report):
    texts = {fmt: render_text(report, fmt) for fmt in FORMATS}
    assert len(texts["jsonl"].splitlines()) == len(report.findings)
    assert json.loads(texts["jsonl"].splitlines()[0])["candidate_id"] == "C1"
    document = json.loads(texts["json"])
    assert document["summary"]["findings"] == len(report.findings)
    assert document["candidates"][0]["id"] == document["findings"][0]["candidate_id"] == "C1"
    for fmt in ("terminal", "md", "html", "json"):  # the load accounting reaches every report format
        assert "3900" in texts[fmt] and "duplicates" in texts[fmt]
    assert texts["html"].startswith("<!DOCTYPE html>") and texts["md"].startswith("# trailhunt hunt report")
    assert "Triage runbook" in texts["terminal"]
