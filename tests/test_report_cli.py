"""``trailhunt hunt``: formats, --output, and --fail-on exit codes a CI job can use."""

from __future__ import annotations

import json

import pytest

from tests.report_support import DATA
from trailhunt.cli.commands import main

HUNT = [
    "hunt", str(DATA / "payloads.json"), str(DATA / "baseline.json"),
    "--context", str(DATA / "context.yaml"), "--detection", "cloudtrail_logging_stopped",
]  # fmt: skip


def test_terminal_report_prints_every_section_in_order(capsys):
    assert main(HUNT) == 0
    out = capsys.readouterr().out
    titles = ["Summary", "Ranked findings", "Baseline framing", "Incident candidates", "Detection drafts",
              "Triage runbook"]  # fmt: skip
    positions = [out.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "\x1b" not in out


@pytest.mark.parametrize(("threshold", "code"), [("low", 1), ("high", 1), ("critical", 0)])
def test_fail_on_severity(capsys, threshold, code):
    assert main([*HUNT, "--format", "jsonl", "--fail-on", threshold]) == code
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_json_is_one_document_with_counts_candidates_and_runbooks(capsys):
    assert main([*HUNT, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "trailhunt.report/1"
    assert document["summary"]["load"]["events"] == 15 and document["summary"]["findings"] == 3
    assert len(document["findings"]) == 3
    assert sum(len(c["detection_ids"]) for c in document["candidates"]) >= 1
    assert document["runbooks"][0]["candidate_id"] == document["candidates"][0]["id"]


def test_output_file_format_follows_the_suffix(tmp_path, capsys):
    html = tmp_path / "report.html"
    assert main([*HUNT, "--output", str(html)]) == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    lines = tmp_path / "findings.txt"
    assert main([*HUNT, "--output", str(lines), "--format", "jsonl"]) == 0
    assert [json.loads(line)["detection_id"] for line in lines.read_text().splitlines()] == [
        "cloudtrail_logging_stopped"
    ] * 3
    assert capsys.readouterr().out == ""


def test_markdown_to_stdout(capsys):
    assert main([*HUNT, "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("# trailhunt hunt report\n")


def test_a_hunt_over_nothing_still_reports(tmp_path, capsys):
    empty = tmp_path / "empty.json"
    empty.write_text('{"Records": []}')
    assert main(["hunt", str(empty), "--fail-on", "low"]) == 0
    out = capsys.readouterr().out
    assert "No events in the window." in out and "No findings." in out


def test_drafts_print_their_sql_only_when_asked(capsys):
    assert main(HUNT) == 0
    short = capsys.readouterr().out
    assert "detections/defense-evasion/cloudtrail_logging_stopped.sql" in short and "SELECT" not in short
    assert main([*HUNT, "--drafts"]) == 0
    assert "SELECT" in capsys.readouterr().out
