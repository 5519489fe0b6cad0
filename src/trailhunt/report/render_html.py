"""The report as one self-contained HTML page: inline CSS, no scripts, no external assets.

A Content-Security-Policy meta tag allows nothing but the page's own stylesheet (by hash), so even
markup that slipped through could not load or run anything. Every log-derived string goes through
``escape.for_html``. Each incident candidate gets a timeline of its findings.
"""

from __future__ import annotations

from trailhunt.escape import for_html
from trailhunt.report.build import Report
from trailhunt.report.correlate import SUSPICIOUS, Candidate, tactic_of
from trailhunt.report.html_graph import identity_graph
from trailhunt.report.html_style import CSS, content_security_policy
from trailhunt.report.html_timeline import overview, timeline
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

h = for_html


def _lines(text: str) -> str:
    """Our own multi-line text (SQL) escaped line by line, newlines kept."""
    return "\n".join(h(line) for line in text.splitlines())


def _table(
    header: list[str], rows: list[list[str]], numeric: set[int] | None = None, keep: set[int] | None = None
) -> str:
    """A table; ``numeric`` columns align right, ``numeric`` and ``keep`` columns never wrap."""
    numeric, keep = numeric or set(), keep or set()
    head = "".join(f"<th>{c}</th>" for c in header)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if i in numeric else ' class=k' if i in keep else ''}>{c}</td>"
            for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _baseline(report: Report) -> str:
    b = report.baseline
    if b is None:
        return f"<p>{h(report.no_baseline)}</p>"
    total = b.total_events
    rows = [[h(CLASS_LABELS[t.name]), str(t.events), percent(t.events, total), str(t.writes), str(t.errors),
             str(t.principals), str(t.sources)] for t in b.classes]  # fmt: skip
    parts = [_table(["principal class", "events", "share", "writes", "errors", "principals", "source IPs"], rows,
                    {1, 2, 3, 4, 5, 6})]  # fmt: skip
    if b.context.expected_regions:
        expected = sum(t.events for t in b.regions if t.cls == "expected")
        parts.append(f"<p>Regions: {percent(expected, total)} of events in expected regions "
                     f"({h(', '.join(b.context.expected_regions))}).</p>")  # fmt: skip
        items = "".join(f"<li>unexpected region <b>{h(t.name)}</b>: {plural(t.events, 'event')}, {plural(t.principals, 'principal')}, "
                        f"{h(t.first_seen)} – {h(t.last_seen)}</li>" for t in b.unexpected_regions())  # fmt: skip
        parts.append(f"<ul>{items}</ul>" if items else "")
    else:
        parts.append(
            "<p>Regions: the context lists no expected_regions, so no region is called unexpected.</p>"
        )
    if noisy := b.noisiest_automation():
        items = "".join(
            f"<li>{h(short_principal(t.name))}: {plural(t.events, 'event')}, {plural(t.writes, 'write')}</li>"
            for t in noisy
        )
        parts.append(f"<p>Expected noise set aside (busiest automation principals):</p><ul>{items}</ul>")
    if unknown := b.unknown_principals():
        items = "".join(f"<li>{h(short_principal(t.name))}: {plural(t.events, 'event')} from {plural(t.sources, 'source')}, "
                        f"{h(t.first_seen)} – {h(t.last_seen)}</li>" for t in unknown)  # fmt: skip
        parts.append(f"<p><b>Not in the context</b>: {plural(b.unknown_principal_count(), 'principal')}, busiest:</p>"
                     f"<ul>{items}</ul>")  # fmt: skip
    return "".join(parts)


def _findings(report: Report) -> str:
    if not report.findings:
        return "<p>No findings.</p>"
    rows = []
    own = report.result.context.account_ids
    for r in report.findings:
        f, meta = r.finding, r.finding.detection.meta
        why = h(f.evidence) + (f" <span class=dim>({h('; '.join(r.notes))})</span>" if r.notes else "")
        rows.append([str(r.rank), f"{r.score:g}", h(short_time(f.event_time)), h(f.event_name), h(short_principal(f.principal_arn, own)),
                     h(attack_label(f.detection, aliases=True)), h(meta.confidence),
                     f"<span class=sev-{h(meta.severity)}>{h(meta.severity)}</span>",
                     f"<a href=#{h(r.candidate.id)}>{h(r.candidate.id)}</a>", why])  # fmt: skip
    header = [
        "#",
        "score",
        "time (UTC)",
        "event",
        "principal",
        "ATT&amp;CK",
        "confidence",
        "severity",
        "candidate",
        "why",
    ]
    return _table(header, rows, {0, 1}, {2, 3, 4, 6, 7, 8})


def _timeline(c: Candidate) -> str:
    ordered = sorted(c.findings, key=lambda f: (f.first_seen, f.detection.id))
    items = "".join(
        f"<li class=t-{h(tactic_of(f))}><code>{h(f.first_seen)}</code> <b>{h(tactic_label(tactic_of(f)))}</b> · "
        f"{h(f.event_name)} · {h(f.detection.id)} · {h(short_principal(f.principal_arn))} from {h(f.source_ip or '?')}"
        f"<br><span class=dim>{h(f.evidence)}</span></li>"
        for f in ordered
    )
    return f"{timeline(c)}{identity_graph(c)}<ol class=timeline>{items}</ol>"


def _candidate(c: Candidate) -> str:
    ips = ", ".join(f"{ip} ×{n}" for ip, n in c.source_ips.most_common(8))
    facts = [
        ("who", ", ".join(c.principals)),
        ("keys", ", ".join(c.access_keys) or "none"),
        ("from", ips),
        *(("agent", f"{agent} ×{n}") for agent, n in c.user_agents.most_common(3)),
        ("when", f"{c.first_seen} – {c.last_seen}"),
        ("achieved", c.story.summary),
        ("tactics", ", ".join(tactic_label(t) for t in c.tactics)),
        ("detections", ", ".join(c.detection_ids)),
        *(("why", reason) for reason in c.reasons),
    ]
    rows = "".join(f"<tr><th>{name}</th><td>{h(value)}</td></tr>" for name, value in facts)
    seen = "".join(
        f"<li class=seen>✓ {h(s.text)} <span class=dim>(seen: {h(s.seen)})</span></li>" for s in c.seen
    )
    todo = [
        f"<li class=todo>☐ {h(s.text)} <span class=dim>({h(_confirm(s.evidence))}; {h(s.detection_id)})</span></li>"
        for s in c.needed
    ] + [
        f"<li class=todo>↗ {h(s.text)} <span class=dim>(check elsewhere: outside CloudTrail; "
        f"{h(s.detection_id)})</span></li>"
        for s in c.elsewhere
    ]
    more = f"<details><summary>{len(todo) - 5} more to check</summary><ul>{''.join(todo[5:])}</ul></details>"
    return (
        f"<article id={h(c.id)}><h3>{h(c.id)} <span class='lvl l{c.level.rank}'>{h(c.level.label)}</span> "
        f"<span class=dim>score {c.score:g} · {h(c.level.meaning)}</span></h3><table>{rows}</table>{_timeline(c)}"
        f"<p>Corroborating signals: {len(c.seen)} seen in the data, {len(c.needed)} to check, "
        f"{len(c.elsewhere)} to check outside CloudTrail</p>"
        f"<ul>{seen}{''.join(todo[:5])}</ul>{more if len(todo) > 5 else ''}</article>"
    )


def _confirm(evidence: tuple[str, ...]) -> str:
    return f"confirm with {', '.join(evidence)}" if evidence else "a question for a person"


def _candidates(report: Report) -> str:
    if not report.candidates:
        return "<p>No incident candidates.</p>"
    detailed = [c for c in report.candidates if c.level.rank >= SUSPICIOUS.rank] or report.candidates[:1]
    parts = [_candidate(c) for c in detailed]
    rest = [c for c in report.candidates if c not in detailed]
    if rest:
        rows = [[f"<span id={h(c.id)}>{h(c.id)}</span>", h(c.level.label), h(c.principals[0]),
                 h(", ".join(c.detection_ids)), h(c.first_seen)] for c in rest]  # fmt: skip
        parts.append("<h3>Other candidates (single signals and held-down noise)</h3>")
        parts.append(_table(["id", "level", "who", "detections", "first seen"], rows))
    return "".join(parts)


def _drafts(report: Report) -> str:
    return "".join(
        f"<h3>{h(d.detection.id)}: {h(d.detection.meta.title)}</h3>"
        f"<p>{plural(d.findings, 'finding')} here; {h(attack_label(d.detection, aliases=True))}.</p>"
        f"<p><b>Tuning:</b> {h(' '.join(d.tuning.split()))}</p><details><summary>Athena SQL ({len(d.sql.splitlines())} lines)</summary><pre><code>{_lines(d.sql)}</code></pre></details>"
        for d in report.drafts
    )


def _runbook(book: Runbook) -> str:
    c = book.candidate
    parts = [f"<h3>{h(c.id)} ({h(c.level.label)}): {h(c.principals[0])}</h3>"]
    for title, steps in (("Check first", book.checks), (book.contain_heading, book.containment)):
        if not steps:
            continue
        items = []
        for step in steps:
            item = h(step.text)
            if step.source != "trailhunt":
                item += f" <span class=dim>({h(step.source)})</span>"
            if step.command:
                item += f"<pre><code>{h(step.command)}</code></pre>"
            if step.missing:
                item += f"<div class=todo>Fill in by hand: {h(', '.join(step.missing))}</div>"
            if step.warning:
                item += f"<div class=todo>Warning: {h(step.warning)}</div>"
            items.append(f"<li>{item}</li>")
        parts.append(f"<h4>{title}</h4><ol>{''.join(items)}</ol>")
    return "".join(parts)


def _summary(report: Report) -> str:
    if not report.candidates:
        return "<p>No findings, so no incident candidates.</p>" + overview(report.baseline, [])
    shown, others = headlines(report.candidates, report.runbooks, report.result.context.account_ids)
    items = "".join(
        f"<li><a href=#{h(x.candidate.id)}>{h(x.candidate.id)}</a> <span class='lvl l{x.candidate.level.rank}'>"
        f"{h(x.candidate.level.label)}</span> {h(x.who)} from {h(x.where)}: {h(x.achieved)}<br>"
        f"<b>Next:</b> {h(x.next_step)}</li>"
        for x in shown
    )
    rest = f"<p class=dim>… and {plural(others, 'lead')} below.</p>" if others else ""
    return f"<ul class=summary>{items}</ul>{rest}{overview(report.baseline, report.candidates)}"


def render_html(report: Report) -> str:
    """The whole report as one HTML document."""
    result = report.result
    window = report.window_label
    escalate = report.escalations
    problems = [f"<li>{h(p)}: {h(why)}</li>" for p, why in result.load.named_problems()]
    problems += [f"<li>detection {h(d)} failed: {h(why)}</li>" for d, why in result.errors]
    sections = [
        ("summary", "Summary", _summary(report)),
        ("findings", "Ranked findings", _findings(report)),
        ("baseline", "Baseline framing", _baseline(report)),
        ("candidates", "Incident candidates", _candidates(report)),
        ("drafts", "Detection drafts", _drafts(report)),
        ("runbook", "Triage runbook",
         f"<p class=notice>{h(PERSON_NOTICE)}</p>" + "".join(_runbook(b) for b in report.runbooks)),
    ]  # fmt: skip
    if problems:
        sections.append(("problems", "Problems", f"<ul>{''.join(problems)}</ul>"))
    body = "".join(f"<section id={key}><h2>{title}</h2>{html}</section>" for key, title, html in sections)
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">'
        '<meta name=referrer content=no-referrer><meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>trailhunt hunt report</title><style>{CSS}</style></head><body>"
        f"<h1>trailhunt hunt report</h1><p>{h(result.load.summary())}. Window {window}; context "
        f"<b>{h(result.context.name)}</b>; {plural(result.detections_run, 'detection')}; "
        f"{plural(len(report.findings), 'finding')}; {plural(len(report.candidates), 'incident candidate')}, "
        f"{escalate} to escalate.</p><p>Catalogue: {h(report.catalog)}</p>{body}</body></html>\n"
    )
