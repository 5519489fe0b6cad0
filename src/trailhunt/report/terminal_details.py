"""The terminal report's details: baseline framing, incident candidates, drafts, runbook, problems.

Every log-derived string goes through ``escape.for_markup``. Wrapped lines keep their indentation
(``Padding``). Runbook commands are never wrapped: one command per line, printed with
``soft_wrap``, and a command longer than the screen is cut at its options with shell line
continuations (`` \\``), so what a person pastes is what the shell reads.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from rich.console import Console
from rich.rule import Rule
from rich.syntax import Syntax
from rich.text import Text

from trailhunt.escape import for_markup, for_terminal
from trailhunt.report.build import Report
from trailhunt.report.correlate import SUSPICIOUS, Candidate
from trailhunt.report.labels import (
    CLASS_LABELS,
    attack_label,
    percent,
    plural,
    short_principal,
    short_time,
    tactic_label,
)
from trailhunt.report.runbook import PERSON_NOTICE, Runbook

MAX_DETAILED = 8
MAX_DRAFTS = 3
LEVEL_STYLES = {1: "dim", 2: "yellow", 3: "bold red", 4: "bold white on red"}
SEVERITY_STYLES = {"low": "dim", "medium": "yellow", "high": "red", "critical": "bold red"}
CONTINUATION = " \\"


def render_details(report: Report, console: Console, drafts: bool = False) -> None:
    """Baseline, candidates, drafts (a list, or the SQL with ``drafts``), runbook, problems."""
    _baseline(report, console)
    _candidates(report, console)
    _drafts(report, console, drafts)
    _runbooks(report, console)
    _problems(report, console)


def _baseline(report: Report, console: Console) -> None:
    console.print(Rule("Baseline framing", align="left"))
    baseline = report.baseline
    if baseline is None:
        console.print(report.no_baseline)
        return
    total = baseline.total_events
    console.print(f"[bold]{plural(total, 'event')} by principal class[/]")
    console.print(
        f"  {'class':<20} {'events':>7} {'share':>6} {'writes':>6} {'errors':>6} {'principals':>10}"
    )
    for t in baseline.classes:
        console.print(
            f"  {CLASS_LABELS[t.name]:<20} {t.events:>7} {percent(t.events, total):>6} {t.writes:>6} "
            f"{t.errors:>6} {t.principals:>10}"
        )
    if baseline.context.expected_regions:
        expected = sum(t.events for t in baseline.regions if t.cls == "expected")
        regions = for_markup(", ".join(baseline.context.expected_regions))
        console.print(f"Regions: {percent(expected, total)} of events in expected regions ({regions}).")
        for t in baseline.unexpected_regions():
            _item(console, f"[yellow]unexpected region[/] {for_markup(t.name)}: {plural(t.events, 'event')}, "
                           f"{plural(t.principals, 'principal')}, {short_time(t.first_seen)} – {short_time(t.last_seen)}")  # fmt: skip
    else:
        console.print("Regions: the context lists no expected_regions, so no region is called unexpected.")
    room = max(console.width - 40, 24)
    if noisy := baseline.noisiest_automation():
        console.print("Expected noise set aside (busiest automation principals):")
        for t in noisy:
            _item(console, f"{for_markup(short_principal(t.name), room)}: {plural(t.events, 'event')}, "
                           f"{plural(t.writes, 'write')}")  # fmt: skip
    if unknown := baseline.unknown_principals():
        count = baseline.unknown_principal_count()
        console.print(f"[bold]Not in the context[/]: {plural(count, 'principal')}, busiest:")
        for t in unknown:
            _item(console, f"{for_markup(short_principal(t.name), room)}: {plural(t.events, 'event')} from "
                           f"{plural(t.sources, 'source')}, {short_time(t.first_seen)} – {short_time(t.last_seen)}")  # fmt: skip


def _item(console: Console, markup: str) -> None:
    """An indented list item; wrapped lines indented two further."""
    line = Text("  ")
    line.append_text(indented(Text.from_markup(markup), console, 4))
    console.print(line, soft_wrap=True)


def indented(text: Text, console: Console, indent: int) -> Text:
    """``text`` wrapped to fit after ``indent`` columns, continuation lines indented as much."""
    room = max(console.width - indent, 20)
    out = Text()
    for number, line in enumerate(text.wrap(console, room)):
        if number:
            out.append("\n" + " " * indent)
        out.append_text(line)
    return out


def _fact(console: Console, label: str, markup: str) -> None:
    """``  label    value``, wrapped lines indented under the value."""
    text = Text(f"  {label:<9}")
    text.append_text(indented(Text.from_markup(markup), console, 11))
    console.print(text, soft_wrap=True)


def _candidate(c: Candidate, console: Console) -> None:
    style = LEVEL_STYLES[c.level.rank]
    console.print(
        f"[{style}]{c.id} · {c.level.label.upper()}[/] · score {c.score:g} · [dim]{c.level.meaning}[/]"
    )
    who = ", ".join(short_principal(p) for p in c.principals[:4])
    more = f" (+{len(c.principals) - 4})" if len(c.principals) > 4 else ""
    _fact(console, "who", for_markup(who) + more)
    if c.access_keys:
        _fact(console, "keys", for_markup(", ".join(c.access_keys[:4])))
    _fact(console, "from", for_markup(", ".join(f"{ip} ×{n}" for ip, n in c.source_ips.most_common(5))))
    for agent, count in c.user_agents.most_common(2):
        _fact(console, "agent", f"{for_markup(agent, 160)} ×{count}")
    if len(c.user_agents) > 2:
        _fact(console, "agent", f"… {plural(len(c.user_agents) - 2, 'more distinct user agent')}")
    _fact(console, "when", f"{for_markup(c.first_seen)} – {for_markup(c.last_seen)}")
    _fact(console, "achieved", for_markup(c.story.summary))
    _fact(console, "tactics", ", ".join(tactic_label(t) for t in c.tactics))
    _fact(console, "fired", for_markup(", ".join(c.detection_ids)))
    for reason in c.reasons:
        _fact(console, "why", for_markup(reason))
    for s in c.seen:
        _fact(console, "✓ seen", f"{for_markup(s.text)} [dim]({for_markup(s.seen)})[/]")
    for s in c.needed[:6]:
        confirm = f"confirm with {', '.join(s.evidence)}" if s.evidence else "a question for a person"
        _fact(console, "☐ check", f"{for_markup(s.text)} [dim]({for_markup(confirm)}; {s.detection_id})[/]")
    for s in c.elsewhere[:4]:
        _fact(console, "↗ other", f"{for_markup(s.text)} [dim](outside CloudTrail; {s.detection_id})[/]")


def _candidates(report: Report, console: Console) -> None:
    console.print(Rule("Incident candidates", align="left"))
    if not report.candidates:
        console.print("No incident candidates.")
        return
    detailed = [c for c in report.candidates if c.level.rank >= SUSPICIOUS.rank][:MAX_DETAILED]
    detailed = detailed or report.candidates[:1]
    for c in detailed:
        _candidate(c, console)
    rest = [c for c in report.candidates if c not in detailed]
    if rest:
        console.print("Other candidates (single signals and held-down noise):")
        for c in rest:
            _item(console, f"{c.id} {c.level.label} · {for_markup(short_principal(c.principals[0]))} · "
                           f"{for_markup(', '.join(c.detection_ids))} · {short_time(c.first_seen)}")  # fmt: skip


def _drafts(report: Report, console: Console, full: bool) -> None:
    console.print(Rule("Detection drafts (Athena SQL to schedule)", align="left"))
    shown = report.drafts if full else report.drafts[:MAX_DRAFTS]
    for d in shown:
        line = Text.from_markup(
            f"[bold]{for_markup(d.detection.id)}[/] · {plural(d.findings, 'finding')} here · "
            f"{for_markup(attack_label(d.detection, aliases=True))}"
        )
        console.print(indented(line, console, 2), soft_wrap=True)
        console.print(f"  [dim]{for_markup(project_path(d.detection.path))}[/]", soft_wrap=True)
        if full:
            console.print(f"[dim]tuning:[/] {for_markup(' '.join(d.tuning.split()))}")
            if d.parameters:
                console.print(f"[dim]parameters:[/] {for_markup(d.parameters)}")
            sql = "\n".join(for_terminal(line) for line in d.sql.splitlines())
            console.print(Syntax(sql, "sql", word_wrap=True, background_color="default"))
    if not full:
        console.print("[dim]Print their SQL with --drafts, or: trailhunt render ID --target athena[/]")
    if len(report.drafts) > len(shown):
        console.print(
            f"[dim]… {plural(len(report.drafts) - len(shown), 'more draft')} in --format md or html[/]"
        )


def project_path(path: Path) -> str:
    """A detection's path from its ``detections/`` folder on (as the project shows it)."""
    parts = path.parts
    return "/".join(parts[parts.index("detections") :]) if "detections" in parts else str(path)


def command_lines(command: str, width: int, indent: int = 6) -> list[str]:
    """A shell command as printed lines: one command per line; a long one cut before its
    ``--options`` with `` \\`` continuations. The lines joined are what ``shlex`` reads."""
    lines: list[str] = []
    for single in command.splitlines():
        try:
            words = shlex.split(single)
        except ValueError:
            lines.append(single)
            continue
        if len(single) + indent + 2 <= width or not words:
            lines.append(single)
            continue
        parts = _cut_at_options(single, words)
        lines += [part + CONTINUATION for part in parts[:-1]] + [parts[-1]]
    return lines


def _cut_at_options(command: str, words: list[str]) -> list[str]:
    """The command cut before each option (continuations indented two more), words re-quoted."""
    if "$(" in command:  # a command substitution must keep its own quoting: do not re-quote it
        return [command]
    parts: list[list[str]] = [[]]
    for word in words:
        if word.startswith("--") and parts[-1]:
            parts.append([])
        parts[-1].append(word)
    return [shlex.join(parts[0]), *("  " + shlex.join(p) for p in parts[1:])]


def _runbook(book: Runbook, console: Console) -> None:
    c = book.candidate
    console.print(f"[bold]{c.id}[/] ({c.level.label}) — {for_markup(short_principal(c.principals[0]))}")
    for title, steps in (("Check first", book.checks), (book.contain_heading, book.containment)):
        if not steps:
            continue
        console.print(f"  [bold]{title}[/]")
        for number, step in enumerate(steps, 1):
            source = "" if step.source == "trailhunt" else f" [dim]({for_markup(step.source)})[/]"
            line = Text("  ")
            line.append_text(
                indented(Text.from_markup(f"{number:>2}. {for_markup(step.text)}{source}"), console, 6)
            )
            console.print(line, soft_wrap=True)
            if step.command:
                for part in command_lines(step.command, console.width):
                    console.print(Text("      " + for_terminal(part), style="cyan"), soft_wrap=True)
            if step.missing:
                console.print(f"      [yellow]fill in by hand: {for_markup(', '.join(step.missing))}[/]")
            if step.warning:
                console.print(f"      [yellow]! {for_markup(step.warning)}[/]")


def _runbooks(report: Report, console: Console) -> None:
    console.print(Rule("Triage runbook", align="left"))
    console.print(f"[bold yellow]{PERSON_NOTICE}[/]")
    for book in report.runbooks:
        _runbook(book, console)


def _problems(report: Report, console: Console) -> None:
    result = report.result
    if not (result.load.rejected or result.errors):
        return
    console.print(Rule("Problems", align="left"))
    for path, reason in result.load.rejected:
        console.print(f"[red]rejected[/] {for_markup(path)}: {for_markup(reason)}", soft_wrap=True)
    for detection_id, reason in result.errors:
        console.print(
            f"[red]detection {for_markup(detection_id)} failed[/]: {for_markup(reason)}", soft_wrap=True
        )
