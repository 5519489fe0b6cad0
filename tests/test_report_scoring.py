"""The documented score, and ranking: automation noise goes down the list, never off it."""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT
from tests.report_support import detection, finding, session, user
from trailhunt.baseline import Baseline, Tally
from trailhunt.ingest.load import LoadReport
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer
from trailhunt.report import scoring
from trailhunt.report.build import build_report
from trailhunt.result import HuntResult

CRITICAL = detection("snapshot_public", "exfiltration", confidence="high", severity="critical")
LOW = detection("discovery_burst", "discovery", confidence="low", severity="low")
STOP = detection("stop_logging", "defense-evasion", confidence="high", severity="high")
CREATE = detection("create_user", "persistence", confidence="medium", severity="medium")


@pytest.mark.parametrize(
    ("det", "cls", "other", "expected"),
    [
        (CRITICAL, "unknown", 0, 12.0),  # 4 x 3
        (LOW, "human", 0, 1.0),  # 1 x 1
        (CREATE, "unknown", 1, 6.0),  # 2 x 2 x 1.5
        (STOP, "unknown", 3, 22.5),  # 3 x 3 x 2.5
        (STOP, "unknown", 7, 22.5),  # corroboration capped at three other tactics
        (CRITICAL, "automation", 0, 3.0),  # 12 x 0.25
        (CRITICAL, "aws-service", 2, 6.0),  # 12 x 2 x 0.25
        (CRITICAL, "service", 0, 12.0),  # service accounts are not noise: their keys leak
    ],
)
def test_score_formula(det, cls, other, expected):
    assert scoring.score(det.meta.confidence, det.meta.severity, cls, other) == expected


def test_fail_on_thresholds():
    assert scoring.at_least("critical", "high")
    assert scoring.at_least("high", "high")
    assert not scoring.at_least("medium", "high")


def _report(findings, classes):
    tallies = [
        Tally(p, c, 1, 1, 0, 1, 1, "2024-03-13T00:00:00Z", "2024-03-13T00:00:00Z") for p, c in classes.items()
    ]
    result = HuntResult(LoadReport(), None, AccountContext(), findings=findings, detections_run=4)
    result.baseline = Baseline("", AccountContext(), principals=tallies)
    return build_report(result, Renderer(PROJECT), max_drafts=0)  # test detections have no SQL file


def test_automation_noise_is_ranked_down_not_hidden():
    pipeline = session("terraform-apply", "tf-run-8812")
    human = user("alice")
    report = _report(
        [
            finding(CRITICAL, "2024-03-13T10:00:00Z", pipeline, "ModifySnapshotAttribute"),
            finding(CREATE, "2024-03-13T11:00:00Z", human),
        ],
        {pipeline: "automation", human: "unknown"},
    )
    assert [r.finding.principal_arn for r in report.findings] == [human, pipeline]
    assert report.findings[1].score == 3.0
    assert report.findings[1].notes == ["automation: ranked down"]


def test_corroboration_raises_findings_and_candidates_rank_by_level_then_score():
    attacker = user("svc-reporting")
    admin = user("alice")
    report = _report(
        [
            finding(CRITICAL, "2024-03-13T09:00:00Z", admin, "ModifySnapshotAttribute"),
            finding(CREATE, "2024-03-13T14:02:10Z", attacker),
            finding(STOP, "2024-03-13T14:21:07Z", attacker, "StopLogging"),
        ],
        {attacker: "unknown", admin: "human"},
    )
    top = report.candidates[0]
    assert (top.id, top.level.label, top.principals) == ("C1", "escalation candidate", [attacker])
    assert report.candidates[1].principals == [admin]
    stop = next(r for r in report.findings if r.finding.detection is STOP)
    assert (stop.score, stop.other_tactics, stop.candidate.id) == (13.5, 1, "C1")  # 9 x 1.5
    assert [r.rank for r in report.findings] == [1, 2, 3]
    assert report.findings[0].finding.detection is STOP
    # what was achieved (logging weakened 4 + credentials created 3, x3) + best finding per detection
    assert top.score == 3 * (4 + 3) + 13.5 + 6.0


def test_fail_on_reads_severity_of_every_finding():
    pipeline = session("terraform-apply", "tf-run-8812")
    report = _report([finding(CRITICAL, "2024-03-13T10:00:00Z", pipeline)], {pipeline: "automation"})
    assert report.fails("critical")
    assert not report.fails(None)
    low = _report([finding(LOW, "2024-03-13T10:00:00Z", user("bob"))], {user("bob"): "unknown"})
    assert not low.fails("medium")
