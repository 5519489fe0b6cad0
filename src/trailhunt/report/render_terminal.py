"""The report on a terminal with rich: the story first, then ranked findings, then the details.

Every log-derived string goes through ``escape.for_markup`` (no control sequences, no rich tags).
The findings table is laid out by hand for any width from 80 columns: nothing is broken inside a
word; the rightmost column is cut with ``…`` and wrapped lines keep their indentation. Runbook
commands are never wrapped (see ``terminal_details``).
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

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
from rich.text import Text

from trailhunt.catalog.detection import Detection
from trailhunt.escape import for_markup, for_terminal
from trailhunt.ingest.load import ProgressCallback
from trailhunt.report.build import RankedFinding, Report
from trailhunt.report.labels import compact_principal, plural, short_time
from trailhunt.report.summary import headlines
from trailhunt.report.terminal_details import LEVEL_STYLES, SEVERITY_STYLES, indented, render_details

MAX_FINDINGS = 40
FILE_WIDTH = 140
MAX_EVENT_WIDTH = 32
INDENT = 10  # where a finding's second line starts


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    """A console that treats only our own markup as markup (no emoji codes, no auto-highlighting).

    Output that is not a terminal (a pipe, a file) is laid out ``FILE_WIDTH`` wide unless
    ``$COLUMNS`` says otherwise.
    """
    console = Console(file=file, width=width, highlight=False, emoji=False, soft_wrap=False)
    if width is None and not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = FILE_WIDTH
    return console


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


def render_terminal(
    report: Report, console: Console, max_findings: int = MAX_FINDINGS, drafts: bool = False
) -> None:
    """Print the whole report: header and summary, ranked findings, then the details (baseline,
    candidates, drafts as a list or, with ``drafts``, their SQL, runbook, problems)."""
    _header(report, console)
    _summary(report, console)
    _findings(report, console, max_findings)
    render_details(report, console, drafts)


def _header(report: Report, console: Console) -> None:
    result = report.result
    console.print(Rule("[bold]trailhunt hunt report"))
    escalate = report.escalations
    console.print(
        f"{for_markup(result.load.summary())}\nwindow {report.window_label} · context "
        f"[bold]{for_markup(result.context.name)}[/] · {plural(result.detections_run, 'detection')} · "
        f"{plural(len(report.findings), 'finding')} · {plural(len(report.candidates), 'incident candidate')} "
        f"([bold red]{escalate}[/] to escalate)\ncatalogue: {for_markup(report.catalog)}"
    )


def _wrapped(text: str, width: int, indent: int, lines: int = 2) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width``, each starting ``indent`` spaces in; words
    are never split (a word too long for a line is cut with ``…``), the last line ends in ``…``
    when text is left over. Returns terminal-safe text (not yet markup-escaped)."""
    room = max(width - indent, 10)
    safe = for_terminal(text)
    out = textwrap.wrap(safe, room, break_long_words=False, break_on_hyphens=False) or [""]
    cut = [line if len(line) <= room else line[: room - 1] + "…" for line in out[:lines]]
    if len(out) > lines and not cut[-1].endswith("…"):
        cut[-1] = cut[-1][: room - 1] + "…" if len(cut[-1]) >= room else cut[-1] + "…"
    return [" " * indent + line for line in cut]


def _summary(report: Report, console: Console) -> None:
    console.print(Rule("Summary", align="left"))
    if not report.candidates:
        console.print("No findings, so no incident candidates.")
        return
    own = report.result.context.account_ids
    shown, others = headlines(report.candidates, report.runbooks, own)
    width = console.width
    for h in shown:
        c = h.candidate
        style = LEVEL_STYLES[c.level.rank]
        head = Text.from_markup(
            f"[{style}]{c.id} {c.level.label.upper()}[/] {for_markup(h.who)} from {for_markup(h.where)}: "
            f"{for_markup(h.achieved)}"
        )
        console.print(indented(head, console, 4), soft_wrap=True)
        for line in _wrapped(f"next: {h.next_step}", width, 4, lines=2):
            console.print(f"[bold]{for_markup(line)}[/]", soft_wrap=True)
    if others:
        console.print(f"[dim]… and {plural(others, 'lead')} below (single signals or held-down noise)[/]")


def _finding_lines(r: RankedFinding, width: int, event_width: int, own: tuple[str, ...]) -> list[str]:
    f, meta = r.finding, r.finding.detection.meta
    confidence = f.confidence
    first = f"{r.rank:>3} {r.score:>4g}  {for_terminal(f.event_name, event_width):<{event_width}}  "
    first_plain_len = len(first) + 16 + 5
    principal = for_terminal(compact_principal(f.principal_arn, own), max(width - first_plain_len, 8))
    style = SEVERITY_STYLES[meta.severity]
    pad = " " * (14 - len(confidence) - len(meta.severity))
    line1 = f"{for_markup(first)}{confidence}·[{style}]{meta.severity}[/]{pad} {r.candidate.id:<5}{for_markup(principal)}"
    notes = f" ({'; '.join(r.notes)})" if r.notes else ""
    technique = meta.attack[0] if meta.attack else ""
    why = f"{short_time(f.event_time)} {technique} · {f.evidence}{notes}"
    return [line1, *(f"[dim]{for_markup(line)}[/]" for line in _wrapped(why, width, INDENT))]


def _findings(report: Report, console: Console, limit: int) -> None:
    console.print(Rule("Ranked findings", align="left"))
    if not report.findings:
        console.print("No findings.")
        return
    rows = report.findings[:limit]
    event_width = min(max(len(for_terminal(r.finding.event_name)) for r in rows), MAX_EVENT_WIDTH)
    event_width = max(event_width, 5)
    console.print(
        f"[bold]{'#':>3} {'pts':>4}  {'event':<{event_width}}  {'conf·sev':<15} {'cand':<5}principal[/]"
    )
    own = tuple(report.result.context.account_ids)
    for r in rows:
        for line in _finding_lines(r, console.width, event_width, own):
            console.print(line, soft_wrap=True)
    if len(report.findings) > limit:
        more = len(report.findings) - limit
        console.print(f"[dim]… {plural(more, 'more finding')} (all of them: --format md, json or html)[/]")
