"""Every format prints the same report in the same order; JSON field names are stable."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from tests.report_support import DATA, detection, finding, session, user
from trailhunt.baseline import compute_baseline
from trailhunt.engines.duckdb import connect
from trailhunt.findings import CONTRACT_FIELDS
from trailhunt.ingest.load import load_files
from trailhunt.render.context import load_context
from trailhunt.render.renderer import DEFAULT_WINDOW
from trailhunt.report.build import build_report
from trailhunt.report.render_html import render_html
from trailhunt.report.render_json import render_jsonl
from trailhunt.report.render_markdown import render_markdown
from trailhunt.report.render_terminal import hunt_progress, render_terminal
from trailhunt.result import HuntResult

CONTEXT = load_context(DATA / "context.yaml")
ATTACKER = user("svc-reporting")
PIPELINE = session("terraform-apply", "tf-run-8812")
CREATE_USER = detection("create_user", "persistence", "T1136.003", "medium", "high")
ADMIN_POLICY = detection("admin_policy_attached", "privilege-escalation", "T1098.003", "high", "critical")
JSON_FIELDS = [
    "schema", "rank", "score", "detection_id", "detection_title", "tactic", "attack", "confidence", "severity", "kind",
    "principal_class", "candidate_id", "candidate_level", "candidate_score", *CONTRACT_FIELDS, "extra",
]  # fmt: skip
SECTIONS = [
    "Summary",
    "Ranked findings",
    "Baseline framing",
    "Incident candidates",
    "Detection drafts",
    "Triage runbook",
]


@pytest.fixture(scope="module")
def report(catalog, renderer):
    con = connect()
    report = load_files(con, [DATA / "baseline.json"])
    baseline = compute_baseline(con, renderer, CONTEXT, DEFAULT_WINDOW)
    con.close()
    stop = catalog.get("cloudtrail_logging_stopped")
    findings = [
        finding(CREATE_USER, "2024-03-13T14:02:10Z", ATTACKER, target_user="backup-admin"),
        finding(
            ADMIN_POLICY, "2024-03-13T14:03:30Z", ATTACKER, "AttachUserPolicy", target_user="backup-admin"
        ),
        finding(stop, "2024-03-13T14:21:07Z", user("backup-admin"), "StopLogging", trail="org-trail"),
        finding(CREATE_USER, "2024-03-13T09:00:03Z", PIPELINE, ip="34.201.10.12", target_user="deploy-bot"),
    ]
    result = HuntResult(report, DEFAULT_WINDOW, CONTEXT, findings, detections_run=3, baseline=baseline)
    return build_report(result, renderer)


def _positions(text: str) -> list[int]:
    return [text.index(section) for section in SECTIONS]


def test_the_attacker_chain_is_the_top_candidate_and_the_pipeline_is_ranked_last(report):
    top = report.candidates[0]
    assert (top.id, top.level.label) == ("C1", "probable compromise")
    assert top.principals == [ATTACKER, user("backup-admin")]
    assert report.findings[-1].finding.principal_arn == PIPELINE
    assert report.findings[-1].principal_class == "automation"
    assert [b.candidate.id for b in report.runbooks] == ["C1"]


def test_terminal_sections_in_order_and_tables_fit_the_width(report):
    for width in (80, 120, 200):
        console = Console(file=io.StringIO(), width=width, highlight=False, emoji=False)
        render_terminal(report, console)
        out = console.file.getvalue()  # type: ignore[attr-defined]
        assert _positions(out) == sorted(_positions(out))
        assert max(len(line) for line in out.splitlines()) <= width


def test_markdown_sections_in_order(report):
    text = render_markdown(report)
    assert _positions(text) == sorted(_positions(text))
    assert "### C1: probable compromise" in text
    assert "```sql\nSELECT" in text  # the draft of the real detection


def test_html_has_a_timeline_an_identity_graph_and_an_overview_strip(report):
    page = render_html(report)
    assert _positions(page) == sorted(_positions(page))
    article = re.search(r"<article id=C1>.*?</article>", page, re.DOTALL)
    assert article is not None
    c1 = article.group()
    # The timeline: one focusable, labelled dot per finding, a time axis with tick labels, a legend.
    dots = re.findall(r"<g class=dot tabindex=0 role=img aria-label='([^']*)'>", c1)
    assert len(dots) == 3 and any("StopLogging" in d for d in dots)
    assert c1.count("class=dot-label") == 3
    assert re.findall(r"<text class=tick-label[^>]*>(\d\d:\d\d)</text>", c1)
    assert "<span class='swatch t-persistence'></span>Persistence" in c1
    # The identity graph: svc-reporting created and empowered backup-admin, who then acted.
    graph = re.search(r"<svg class=graph.*?</svg>", c1, re.DOTALL)
    assert graph is not None
    edges = re.findall(r"<g class=edge><title>([^<]*)</title>", graph.group())
    assert edges == ["CreateUser, AttachUserPolicy"]
    assert "user/svc-reporting" in graph.group() and "user/backup-admin" in graph.group()
    # The overview strip: events per hour by principal class from the baseline, C1 shaded.
    strip = re.search(r"<svg class=overview.*?</svg>", page, re.DOTALL)
    assert strip is not None and "<rect class='bar c-automation'" in strip.group()
    assert "<title>C1 probable compromise</title>" in strip.group()


def test_json_lines_fields_are_the_documented_ones(report):
    lines = [json.loads(line) for line in render_jsonl(report).splitlines()]
    assert len(lines) == 4
    assert all(list(line) == JSON_FIELDS for line in lines)
    top = lines[0]
    assert top["detection_id"] == "admin_policy_attached"
    assert top["attack"] == [{"id": "T1098.003", "name": "Additional Cloud Roles", "v18_alias": None}]
    assert (top["candidate_id"], top["candidate_level"]) == ("C1", "probable compromise")
    stop = next(line for line in lines if line["detection_id"] == "cloudtrail_logging_stopped")
    assert stop["attack"] == [
        {"id": "T1685.002", "name": "Disable or Modify Cloud Log", "v18_alias": "T1562.008"}
    ]
    assert stop["extra"] == {"trail": "org-trail"}
    assert [line["rank"] for line in lines] == [1, 2, 3, 4]


def test_progress_bars_show_on_a_terminal_only(catalog):
    detections = catalog.detections[:2]
    for terminal in (True, False):
        console = Console(file=io.StringIO(), force_terminal=terminal, width=100)
        with hunt_progress(console, len(detections)) as (loaded, ran):
            loaded(512, 3000)
            for d in detections:
                ran(d)
        out = console.file.getvalue()  # type: ignore[attr-defined]
        assert ("2/2" in out and f"running {detections[-1].id}" in out) is terminal
        assert bool(out) is terminal
