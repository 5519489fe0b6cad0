"""The report as Markdown (GitHub-flavoured), for a ticket or a pull request.

Log-derived text goes through ``escape.for_markdown`` (no links, emphasis, HTML or table-cell
breaks). Commands and SQL go in fenced blocks: neutralised with ``escape.neutralize`` (one line
per command, no control characters) under a fence longer than any backtick run inside.
"""

from __future__ import annotations

import re

from trailhunt.escape import for_markdown, neutralize
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
from trailhunt.report.summary import headlines

md = for_markdown


def fenced(text: str, language: str = "") -> str:
    """A fenced code block that no backtick run in ``text`` can close early."""
    body = "\n".join(neutralize(line) for line in text.splitlines())
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body}\n{fence}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows), ""]


def _header(report: Report) -> list[str]:
    result = report.result
    window = report.window_label
    escalate = report.escalations
    return [
        "# trailhunt hunt report",
        "",
        f"{md(result.load.summary())}. Window {window}; context **{md(result.context.name)}**; "
        f"{plural(result.detections_run, 'detection')}; {plural(len(report.findings), 'finding')}; "
        f"{plural(len(report.candidates), 'incident candidate')}, {escalate} to escalate.",
        "",
        f"Catalogue: {md(report.catalog)}.",
        "",
    ]


def _summary(report: Report) -> list[str]:
    lines = ["## Summary", ""]
    if not report.candidates:
        return [*lines, "No findings, so no incident candidates.", ""]
    shown, others = headlines(report.candidates, report.runbooks, report.result.context.account_ids)
    for h in shown:
        c = h.candidate
        lines.append(
            f"- **{c.id} {c.level.label}**: "
            f"{md(h.who)} from {md(h.where)}: {md(h.achieved)}.  \n  **Next:** {md(h.next_step)}"
        )
    if others:
        lines.append(f"- … and {plural(others, 'lead')} below (single signals or held-down noise)")
    return [*lines, ""]


def _baseline(report: Report) -> list[str]:
    lines = ["## Baseline framing", ""]
    b = report.baseline
    if b is None:
        return [*lines, report.no_baseline, ""]
    total = b.total_events
    rows = [[CLASS_LABELS[t.name], str(t.events), percent(t.events, total), str(t.writes), str(t.errors),
             str(t.principals), str(t.sources)] for t in b.classes]  # fmt: skip
    lines += _table(
        ["principal class", "events", "share", "writes", "errors", "principals", "source IPs"], rows
    )
    if b.context.expected_regions:
        expected = sum(t.events for t in b.regions if t.cls == "expected")
        lines += [f"Regions: {percent(expected, total)} of events in expected regions "
                  f"({md(', '.join(b.context.expected_regions))}).", ""]  # fmt: skip
        lines += [f"- unexpected region {md(t.name)}: {plural(t.events, 'event')}, {plural(t.principals, 'principal')}, "
                  f"{short_time(t.first_seen)} – {short_time(t.last_seen)}" for t in b.unexpected_regions()]  # fmt: skip
    else:
        lines.append("Regions: the context lists no expected\\_regions, so no region is called unexpected.")
    lines.append("")
    if noisy := b.noisiest_automation():
        lines += ["Expected noise set aside (busiest automation principals):", ""]
        lines += [f"- {md(short_principal(t.name))}: {plural(t.events, 'event')}, {plural(t.writes, 'write')}"
                  for t in noisy]  # fmt: skip
        lines.append("")
    if unknown := b.unknown_principals():
        lines += [f"**Not in the context**: {plural(b.unknown_principal_count(), 'principal')}, busiest:", ""]
        lines += [f"- {md(short_principal(t.name))}: {plural(t.events, 'event')} from {plural(t.sources, 'source')}, "
                  f"{short_time(t.first_seen)} – {short_time(t.last_seen)}" for t in unknown]  # fmt: skip
        lines.append("")
    return lines


def _findings(report: Report) -> list[str]:
    lines = ["## Ranked findings", ""]
    if not report.findings:
        return [*lines, "No findings.", ""]
    rows = []
    own = report.result.context.account_ids
    for r in report.findings:
        f, meta = r.finding, r.finding.detection.meta
        why = md(f.evidence) + (f" ({md('; '.join(r.notes))})" if r.notes else "")
        rows.append([str(r.rank), f"{r.score:g}", short_time(f.event_time), md(f.event_name),
                     md(short_principal(f.principal_arn, own)), md(attack_label(f.detection, aliases=True)),
                     f.confidence, meta.severity, r.candidate.id, why])  # fmt: skip
    header = [
        "#",
        "score",
        "time (UTC)",
        "event",
        "principal",
        "ATT&CK",
        "confidence",
        "severity",
        "candidate",
        "why",
    ]
    return lines + _table(header, rows)


def _candidate(c: Candidate) -> list[str]:
    ips = ", ".join(f"{ip} ×{n}" for ip, n in c.source_ips.most_common(5))
    lines = [
        f"### {c.id}: {c.level.label} (score {c.score:g})",
        "",
        f"*{c.level.meaning}*",
        "",
        f"- **who**: {md(', '.join(short_principal(p) for p in c.principals))}",
        f"- **keys**: {md(', '.join(c.access_keys) or 'none')}",
        f"- **from**: {md(ips)}",
        *(f"- **agent**: {md(agent)} ×{n}" for agent, n in c.user_agents.most_common(3)),
        f"- **when**: {md(c.first_seen)} – {md(c.last_seen)}",
        f"- **achieved**: {md(c.story.summary)}",
        f"- **tactics**: {', '.join(tactic_label(t) for t in c.tactics)}",
        f"- **detections**: {md(', '.join(c.detection_ids))}",
        *(f"- **why**: {md(reason)}" for reason in c.reasons),
        "",
        "Corroboration (ticked only when the evidence it names is in the data):",
        "",
        *(f"- [x] {md(s.text)} (seen: {md(s.seen or '')})" for s in c.seen),
        *(f"- [ ] {md(s.text)} ({_confirm(s.evidence)}; {md(s.detection_id)})" for s in c.needed),
        *(
            f"- [ ] {md(s.text)} (check elsewhere: outside CloudTrail; {md(s.detection_id)})"
            for s in c.elsewhere
        ),
        "",
    ]
    return lines


def _confirm(evidence: tuple[str, ...]) -> str:
    return f"confirm with {md(', '.join(evidence))}" if evidence else "a question for a person"


def _candidates(report: Report) -> list[str]:
    lines = ["## Incident candidates", ""]
    if not report.candidates:
        return [*lines, "No incident candidates.", ""]
    detailed = [c for c in report.candidates if c.level.rank >= SUSPICIOUS.rank] or report.candidates[:1]
    for c in detailed:
        lines += _candidate(c)
    rest = [c for c in report.candidates if c not in detailed]
    if rest:
        rows = [[c.id, c.level.label, md(short_principal(c.principals[0])), md(", ".join(c.detection_ids)),
                 short_time(c.first_seen)] for c in rest]  # fmt: skip
        lines += ["Other candidates (single signals and held-down noise):", ""]
        lines += _table(["id", "level", "who", "detections", "first seen"], rows)
    return lines


def _drafts(report: Report) -> list[str]:
    lines = ["## Detection drafts", ""]
    for d in report.drafts:
        lines += [
            f"### {md(d.detection.id)}: {md(d.detection.meta.title)}",
            "",
            f"{plural(d.findings, 'finding')} here; {md(attack_label(d.detection, aliases=True))}.",
            "",
            f"Tuning: {md(' '.join(d.tuning.split()))}",
            "",
            fenced(d.sql, "sql"),
            "",
        ]
    return lines


def _runbook(book: Runbook) -> list[str]:
    c = book.candidate
    lines = [f"### {c.id} ({c.level.label}): {md(short_principal(c.principals[0]))}", ""]
    for title, steps in (("Check first", book.checks), (book.contain_heading, book.containment)):
        if not steps:
            continue
        lines += [f"**{title}**", ""]
        for number, step in enumerate(steps, 1):
            source = "" if step.source == "trailhunt" else f" ({md(step.source)})"
            lines.append(f"{number}. {md(step.text)}{source}")
            if step.command:
                lines += ["", *("   " + line for line in fenced(step.command, "sh").splitlines())]
            if step.missing:
                lines.append(f"   Fill in by hand: {md(', '.join(step.missing))}")
            if step.warning:
                lines.append(f"   Warning: {md(step.warning)}")
            lines.append("")
    return lines


def render_markdown(report: Report) -> str:
    """The whole report as one Markdown document."""
    lines = _header(report) + _summary(report) + _findings(report) + _baseline(report)
    lines += _candidates(report) + _drafts(report)
    lines += ["## Triage runbook", "", f"**{PERSON_NOTICE}**", ""]
    for book in report.runbooks:
        lines += _runbook(book)
    problems = [f"- {md(p)}: {md(why)}" for p, why in report.result.load.named_problems()]
    problems += [f"- detection {md(d)} failed: {md(why)}" for d, why in report.result.errors]
    if problems:
        lines += ["## Problems", "", *problems, ""]
    return "\n".join(lines).rstrip() + "\n"
