"""The terminal report at 80, 100 and 120 columns over the bundled demo (issue 16's Done-when):
nothing split inside an event name or ARN, every runbook command one logical line the shell
accepts, and the first screen names the top candidate and its next step."""

from __future__ import annotations

import io
import re
import shlex
from itertools import pairwise

import pytest

from trailhunt.hunt import hunt
from trailhunt.render.context import load_context
from trailhunt.report.build import build_report
from trailhunt.report.labels import short_principal
from trailhunt.report.render_terminal import make_console, render_terminal
from trailhunt.report.terminal_details import command_lines

pytestmark = pytest.mark.slow
WIDTHS = (80, 100, 120)


@pytest.fixture(scope="module")
def report(project, catalog, renderer):
    context = load_context(project.fixtures / "contexts" / "demo.yaml")
    result = hunt([project.fixtures / "demo"], renderer, catalog.detections, context)
    return build_report(result, renderer)


def _render(report, width: int, drafts: bool = False) -> list[str]:
    buffer = io.StringIO()
    render_terminal(report, make_console(file=buffer, width=width), drafts=drafts)
    return buffer.getvalue().splitlines()


def _names(report) -> set[str]:
    """Event names and principals (full ARNs and as shown) that must never be split."""
    own = report.result.context.account_ids
    names = {r.finding.event_name for r in report.findings}
    for r in report.findings:
        if r.finding.principal_arn:
            names |= {r.finding.principal_arn, short_principal(r.finding.principal_arn, own)}
    return {n for n in names if len(n) > 3}


@pytest.mark.parametrize("width", WIDTHS)
def test_no_event_name_or_arn_is_split_across_lines(report, width):
    lines = _render(report, width)
    names = _names(report)
    for before, after in pairwise(lines):
        tail, head = before.rstrip(), after.lstrip()
        joined = f"{tail} {head}"
        glued = tail + head
        for name in names:
            broken = name in glued and name not in joined and name not in tail and name not in head
            assert not broken, f"{name!r} split at {width} columns:\n{before}\n{after}"


@pytest.mark.parametrize("width", WIDTHS)
def test_lines_fit_except_runbook_commands(report, width):
    lines = _render(report, width)
    commands = {line.strip() for b in report.runbooks for s in b.steps if s.command
                for line in command_lines(s.command, width)}  # fmt: skip
    too_long = [line for line in lines if len(line) > width and line.strip() not in commands]
    assert not too_long


def _logical_commands(lines: list[str]) -> list[str]:
    """The runbook's commands as the shell reads them: continuation lines joined."""
    start = next(i for i, line in enumerate(lines) if "Triage runbook" in line)
    commands, current = [], ""
    for line in lines[start:]:
        text = line.strip()
        if current or text.startswith("aws "):
            current += text.removesuffix("\\")
            if not text.endswith("\\"):
                commands.append(current)
                current = ""
    return commands


@pytest.mark.parametrize("width", WIDTHS)
def test_every_runbook_command_is_one_logical_line_the_shell_accepts(report, width):
    lines = _render(report, width)
    printed = _logical_commands(lines)
    expected = [c for b in report.runbooks for s in b.steps if s.command for c in s.command.splitlines()]
    assert len(printed) == len(expected) > 10
    for text, command in zip(printed, expected, strict=True):
        assert shlex.split(text) == shlex.split(command)
        assert "<user>" not in text  # every known value filled in


def test_runbook_steps_are_not_repeated_and_warn_only_on_real_shell_operators(report):
    for book in report.runbooks:
        commands = [tuple(shlex.split(s.command)) for s in book.steps if s.command and "$(" not in s.command]
        assert len(commands) == len(set(commands))
        assert not [s.warning for s in book.steps if s.warning and "chains" in s.warning]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_screen_names_the_top_candidate_and_its_next_step(report, width):
    screen = "\n".join(_render(report, width)[:25])
    top = report.candidates[0]
    book = report.runbooks[0]
    assert book.candidate is top
    assert f"{top.id} {top.level.label.upper()}" in screen
    assert "user/svc-reporting" in screen and "185.220.101.47" in screen
    assert "next: " + book.next_step[:30] in re.sub(r"\s+", " ", screen)
    assert "privilege raised to admin" in re.sub(r"\s+", " ", screen)


def test_candidate_tactics_appear_once_per_candidate_not_per_finding(report):
    text = "\n".join(_render(report, 120))
    assert "tactics in C1" not in text
    assert text.count("Persistence, Privilege Escalation") == 1


def test_drafts_are_a_list_with_paths_unless_asked_for(report):
    short = "\n".join(_render(report, 100))
    full = "\n".join(_render(report, 100, drafts=True))
    first = report.drafts[0].detection
    assert f"detections/{first.tactic}/{first.id}.sql" in short
    assert "SELECT" not in short and "--drafts" in short
    assert full.count("SELECT") >= len(report.drafts)
