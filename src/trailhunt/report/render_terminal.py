"""The report on a terminal with rich: colour, tables that fit the width, a progress bar while hunting.

Every log-derived string goes through ``escape.for_markup`` (no control sequences, no rich tags);
SQL goes through ``escape.for_terminal`` into a ``Syntax`` block, which reads no markup.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table

from trailhunt.catalog.detection import Detection
from trailhunt.escape import for_markup, for_terminal
from trailhunt.ingest.load import ProgressCallback
from trailhunt.report.build import Report
from trailhunt.report.correlate import SUSPICIOUS, Candidate
from trailhunt.report.labels import (
    CLASS_LABELS,
    attack_label,
    percent,
    short_principal,
    short_time,
    tactic_label,
)
from trailhunt.report.runbook import PERSON_NOTICE, Runbook

MAX_FINDINGS = 40
MAX_DRAFTS = 3
FILE_WIDTH = 140
MAX_DETAILED = 8
LEVEL_STYLES = {1: "dim", 2: "yellow", 3: "bold red", 4: "bold white on red"}
SEVERITY_STYLES = {"low": "dim", "medium": "yellow", "high": "red", "critical": "bold red"}


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    """A console that treats only our own markup as markup (no emoji codes, no auto-highlighting).

    Output that is not a terminal (a pipe, a file) is laid out ``FILE_WIDTH`` wide unless
    ``$COLUMNS`` says otherwise.
    """
    console = Console(file=file, width=width, highlight=False, emoji=False, soft_wrap=False)
    if width is None and not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = FILE_WIDTH
    return console


def _multiline(text: str) -> str:
    """Our own multi-line text (SQL) made terminal-safe line by line, newlines kept."""
    return "\n".join(for_terminal(line) for line in text.splitlines())


@contextmanager
def hunt_progress(
    console: Console, detections: int
) -> Iterator[tuple[ProgressCallback, Callable[[Detection], None]]]:
    """Progress bars for loading and for running detections; silent when not on a terminal."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        loading = bar.add_task("loading CloudTrail", total=None)
        running = bar.add_task("running detections", total=detections, visible=False)

        def loaded(files: int, events: int) -> None:
            bar.update(loading, description=f"loading CloudTrail: {events} events", completed=files)

        def ran(detection: Detection) -> None:
            bar.update(loading, visible=False)
            bar.update(running, advance=1, visible=True, description=f"running {for_markup(detection.id)}")

        yield loaded, ran


def render_terminal(report: Report, console: Console, max_findings: int = MAX_FINDINGS) -> None:
    """Print the whole report: header, baseline, findings, candidates, drafts, runbook, problems."""
    _header(report, console)
    _baseline(report, console)
    _findings(report, console, max_findings)
    _candidates(report, console)
    _drafts(report, console)
    _runbooks(report, console)
    _problems(report, console)


def _header(report: Report, console: Console) -> None:
    result = report.result
    console.print(Rule("[bold]trailhunt hunt report"))
    window = report.window_label
    escalate = report.escalations
    console.print(
        f"{for_markup(result.load.summary())}\nwindow {window} · context [bold]{for_markup(result.context.name)}[/] · "
        f"{result.detections_run} detections · {len(report.findings)} findings · "
        f"{len(report.candidates)} incident candidates ([bold red]{escalate}[/] to escalate)"
        f"\ncatalogue: {for_markup(report.catalog)}"
    )


def _baseline(report: Report, console: Console) -> None:
    console.print(Rule("1 · Baseline framing", align="left"))
    baseline = report.baseline
    if baseline is None:
        console.print(report.no_baseline)
        return
    total = baseline.total_events
    table = Table(title=f"{total} events by principal class", title_justify="left", expand=False)
    for name in ("class", "events", "share", "writes", "errors", "principals", "source IPs"):
        table.add_column(name, justify="left" if name == "class" else "right")
    for t in baseline.classes:
        table.add_row(CLASS_LABELS[t.name], str(t.events), percent(t.events, total), str(t.writes),
                      str(t.errors), str(t.principals), str(t.sources))  # fmt: skip
    console.print(table)
    expected = sum(t.events for t in baseline.regions if t.cls == "expected")
    if baseline.context.expected_regions:
        console.print(f"Regions: {percent(expected, total)} of events in expected regions "
                      f"({for_markup(', '.join(baseline.context.expected_regions))}).")  # fmt: skip
        for t in baseline.unexpected_regions():
            console.print(f"  [yellow]unexpected region[/] {for_markup(t.name)}: {t.events} events, "
                          f"{t.principals} principal(s), {short_time(t.first_seen)} – {short_time(t.last_seen)}")  # fmt: skip
    else:
        console.print("Regions: the context lists no expected_regions, so no region is called unexpected.")
    noisy = baseline.noisiest_automation()
    if noisy:
        console.print("Expected noise set aside (busiest automation principals):")
        for t in noisy:
            console.print(f"  {for_markup(short_principal(t.name))}: {t.events} events, {t.writes} writes")
    unknown = baseline.unknown_principals()
    if unknown:
        console.print(
            f"[bold]Not in the context[/]: {baseline.unknown_principal_count()} principal(s), busiest:"
        )
        for t in unknown:
            console.print(f"  {for_markup(short_principal(t.name))}: {t.events} events from {t.sources} "
                          f"source(s), {short_time(t.first_seen)} – {short_time(t.last_seen)}")  # fmt: skip


def _findings(report: Report, console: Console, limit: int) -> None:
    console.print(Rule("2 · Ranked findings", align="left"))
    if not report.findings:
        console.print("No findings.")
        return
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, padding=(0, 1))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("event · time (UTC)", overflow="fold", ratio=3, min_width=12)
    table.add_column("principal", overflow="fold", ratio=3, min_width=12)
    table.add_column("ATT&CK", overflow="fold", ratio=3, min_width=10)
    table.add_column("conf · sev", no_wrap=True)
    table.add_column("cand", no_wrap=True)
    table.add_column("why", overflow="fold", ratio=6, min_width=16)
    own = report.result.context.account_ids
    for r in report.findings[:limit]:
        f, meta = r.finding, r.finding.detection.meta
        why = for_markup(f.evidence, 160)
        if r.notes:
            why += f" [dim]({for_markup('; '.join(r.notes))})[/]"
        table.add_row(
            str(r.rank), f"{r.score:g}", f"{for_markup(f.event_name, 40)}\n[dim]{short_time(f.event_time)}[/]",
            for_markup(short_principal(f.principal_arn, own), 120), for_markup(attack_label(f.detection)),
            f"{meta.confidence}\n[{SEVERITY_STYLES[meta.severity]}]{meta.severity}[/]", r.candidate.id, why,
        )  # fmt: skip
    console.print(table)
    if len(report.findings) > limit:
        console.print(
            f"[dim]… {len(report.findings) - limit} more findings (all of them: --format md, json or html)[/]"
        )


def _candidate(c: Candidate, console: Console) -> None:
    style = LEVEL_STYLES[c.level.rank]
    console.print(
        f"[{style}]{c.id} · {c.level.label.upper()}[/] · score {c.score:g} · [dim]{c.level.meaning}[/]"
    )
    console.print(f"  who     {for_markup(', '.join(short_principal(p) for p in c.principals[:4]))}"
                  + (f" (+{len(c.principals) - 4})" if len(c.principals) > 4 else ""))  # fmt: skip
    if c.access_keys:
        console.print(f"  keys    {for_markup(', '.join(c.access_keys[:4]))}")
    ips = ", ".join(f"{ip} ×{n}" for ip, n in c.source_ips.most_common(5))
    console.print(f"  from    {for_markup(ips)}")
    agents = c.user_agents
    for agent, count in agents.most_common(2):
        console.print(f"  agent   {for_markup(agent, 160)} ×{count}")
    if len(agents) > 2:
        console.print(f"  agent   … {len(agents) - 2} more distinct user agents")
    console.print(f"  when    {for_markup(c.first_seen)} – {for_markup(c.last_seen)}")
    console.print(f"  tactics {', '.join(tactic_label(t) for t in c.tactics)}")
    console.print(f"  fired   {for_markup(', '.join(c.detection_ids))}")
    for reason in c.reasons:
        console.print(f"  [bold]why[/]     {for_markup(reason)}")
    for s in c.signals:
        if s.seen:
            console.print(f"  [green]✓ seen[/]  {for_markup(s.text)} [dim]({for_markup(s.seen)})[/]")
    for s in c.needed[:6]:
        console.print(f"  [yellow]☐ check[/] {for_markup(s.text)} [dim]({s.detection_id})[/]")


def _candidates(report: Report, console: Console) -> None:
    console.print(Rule("3 · Corroboration: incident candidates", align="left"))
    if not report.candidates:
        console.print("No incident candidates.")
        return
    detailed = [c for c in report.candidates if c.level.rank >= SUSPICIOUS.rank][:MAX_DETAILED]
    for c in detailed or report.candidates[:1]:
        _candidate(c, console)
    rest = [c for c in report.candidates if c not in (detailed or report.candidates[:1])]
    if rest:
        table = Table(
            title="Other candidates (single signals and held-down noise)", title_justify="left", expand=True
        )
        for name in ("id", "level", "who", "detections", "first seen"):
            table.add_column(name, overflow="fold")
        for c in rest:
            table.add_row(c.id, c.level.label, for_markup(short_principal(c.principals[0]), 90),
                          for_markup(", ".join(c.detection_ids)), short_time(c.first_seen))  # fmt: skip
        console.print(table)


def _drafts(report: Report, console: Console) -> None:
    console.print(Rule("4 · Detection drafts (Athena SQL to schedule)", align="left"))
    for d in report.drafts[:MAX_DRAFTS]:
        console.print(f"[bold]{for_markup(d.detection.id)}[/] — {for_markup(d.detection.meta.title)} "
                      f"({d.findings} finding(s) here; {for_markup(attack_label(d.detection, aliases=True))})")  # fmt: skip
        console.print(f"[dim]tuning:[/] {for_markup(' '.join(d.tuning.split()))}")
        if d.parameters:
            console.print(f"[dim]parameters:[/] {for_markup(d.parameters)}")
        console.print(Syntax(_multiline(d.sql), "sql", word_wrap=True, background_color="default"))
    if len(report.drafts) > MAX_DRAFTS:
        console.print(f"[dim]… {len(report.drafts) - MAX_DRAFTS} more drafts in --format md or html[/]")


def _runbook(book: Runbook, console: Console) -> None:
    c = book.candidate
    console.print(f"[bold]{c.id}[/] ({c.level.label}) — {for_markup(short_principal(c.principals[0]))}")
    for title, steps in (("Check first", book.checks), (book.contain_heading, book.containment)):
        if not steps:
            continue
        console.print(f"  [bold]{title}[/]")
        for number, step in enumerate(steps, 1):
            source = "" if step.source == "trailhunt" else f" [dim]({for_markup(step.source)})[/]"
            console.print(f"  {number:>2}. {for_markup(step.text)}{source}")
            if step.command:
                console.print(f"      [cyan]$ {for_markup(step.command)}[/]")
            if step.missing:
                console.print(f"      [yellow]fill in by hand: {for_markup(', '.join(step.missing))}[/]")
            if step.warning:
                console.print(f"      [yellow]! {for_markup(step.warning)}[/]")


def _runbooks(report: Report, console: Console) -> None:
    console.print(Rule("5 · Triage runbook", align="left"))
    console.print(f"[bold yellow]{PERSON_NOTICE}[/]")
    for book in report.runbooks:
        _runbook(book, console)


def _problems(report: Report, console: Console) -> None:
    result = report.result
    load_problems = list(result.load.named_problems())
    if not (load_problems or result.errors):
        return
    console.print(Rule("Problems", align="left"))
    for path, reason in load_problems:
        console.print(f"[red]{for_markup(path)}[/]: {for_markup(reason)}")
    for detection_id, reason in result.errors:
        console.print(f"[red]detection {for_markup(detection_id)} failed[/]: {for_markup(reason)}")
