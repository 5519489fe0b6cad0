"""Pictures over time for the HTML report, as inline SVG (no scripts): a timeline per incident
candidate and an overview strip of events per hour by principal class.

Every label is escaped with ``escape.for_html``. Dots are focusable (``tabindex``) and carry a
``<title>`` and a label the stylesheet shows on hover and on keyboard focus.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from trailhunt.baseline import PRINCIPAL_CLASSES, Baseline
from trailhunt.escape import for_html
from trailhunt.render.window import parse_time
from trailhunt.report.correlate import Candidate, tactic_of
from trailhunt.report.labels import CLASS_LABELS, short_principal, tactic_label

h = for_html
WIDTH = 1000
LEFT, RIGHT = 40, 30
STEPS = [timedelta(minutes=m) for m in (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)]
MAX_TICKS = 8


def _ticks(start: datetime, end: datetime) -> list[datetime]:
    """Round times between ``start`` and ``end`` at a step that gives at most ``MAX_TICKS``."""
    span = max(end - start, timedelta(minutes=1))
    step = next((s for s in STEPS if span / s <= MAX_TICKS), STEPS[-1])
    seconds = int(step.total_seconds())
    first = datetime.fromtimestamp(-(-int(start.timestamp()) // seconds) * seconds, tz=start.tzinfo)
    ticks = []
    while first <= end:
        ticks.append(first)
        first += step
    return ticks


def _label(when: datetime, span: timedelta) -> str:
    return f"{when:%m-%d %H:%M}" if span >= timedelta(days=1) else f"{when:%H:%M}"


def _axis(start: datetime, end: datetime, y: int) -> str:
    """A horizontal axis at ``y`` with tick marks and labels."""
    span = max(end - start, timedelta(seconds=1))
    parts = [f"<line class=axis-line x1={LEFT} y1={y} x2={WIDTH - RIGHT} y2={y}></line>"]
    for tick in _ticks(start, end):
        x = _x(tick, start, span)
        parts.append(f"<line class=tick x1={x} y1={y} x2={x} y2={y + 5}></line>")
        parts.append(
            f"<text class=tick-label x={x} y={y + 18} text-anchor=middle>{_label(tick, span)}</text>"
        )
    return "".join(parts)


def _x(when: datetime, start: datetime, span: timedelta) -> int:
    room = WIDTH - LEFT - RIGHT
    return LEFT + round(room * (when - start).total_seconds() / max(span.total_seconds(), 1))


def timeline(c: Candidate) -> str:
    """The candidate's findings on a time axis, one dot per finding coloured by tactic, a legend."""
    ordered = sorted(c.findings, key=lambda f: (f.first_seen, f.detection.id))
    start, end = parse_time(c.first_seen), parse_time(c.last_seen)
    if end - start < timedelta(minutes=2):  # a single moment: give the axis some room
        start, end = start - timedelta(minutes=1), end + timedelta(minutes=1)
    span = end - start
    dots: list[str] = []
    stack: dict[int, int] = {}
    for f in ordered:
        x = _x(parse_time(f.first_seen), start, span)
        level = stack[x // 14] = stack.get(x // 14, -1) + 1
        y = 62 - 13 * min(level, 3)
        anchor = "end" if x > WIDTH * 0.7 else "start"
        text = f"{f.first_seen[11:19]} {f.event_name} · {f.detection.id} · {short_principal(f.principal_arn)}"
        dots.append(
            f"<g class=dot tabindex=0 role=img aria-label='{h(text)}'><title>{h(text)}</title>"
            f"<circle class='t-{h(tactic_of(f))}' cx={x} cy={y} r=6></circle>"
            f"<text class=dot-label x={x} y=14 text-anchor={anchor}>{h(text)}</text></g>"
        )
    legend = "".join(
        f"<span class=key><span class='swatch t-{h(t)}'></span>{h(tactic_label(t))}</span>" for t in c.tactics
    )
    return (
        f"<figure class=timeline-figure><svg class=timeline viewBox='0 0 {WIDTH} 100' role=group "
        f"aria-label='timeline of {h(c.id)}'>{_axis(start, end, 72)}{''.join(dots)}</svg>"
        f"<figcaption class=legend>{legend} <span class=dim>hover or focus a dot for its event</span>"
        "</figcaption></figure>"
    )


def overview(baseline: Baseline | None, candidates: list[Candidate]) -> str:
    """Events per hour by principal class as stacked bars, candidate stretches shaded."""
    if baseline is None or not baseline.hours:
        return ""
    counts: dict[str, dict[str, int]] = {}
    for t in baseline.hours:
        counts.setdefault(t.name, {})[t.cls] = t.events
    hours = sorted(counts)
    start = parse_time(hours[0] + ":00:00Z")
    end = parse_time(hours[-1] + ":00:00Z") + timedelta(hours=1)
    span = end - start
    tallest = max(sum(v.values()) for v in counts.values())
    width = max((WIDTH - LEFT - RIGHT) / max(len(hours), 1) * 0.8, 1)
    bars = []
    for hour in hours:
        x = _x(parse_time(hour + ":00:00Z"), start, span)
        top = 100
        for cls in PRINCIPAL_CLASSES:
            events = counts[hour].get(cls, 0)
            if not events:
                continue
            height = max(round(90 * events / tallest), 1)
            top -= height
            label = f"{hour}:00 UTC · {CLASS_LABELS[cls]}: {events}"
            bars.append(
                f"<rect class='bar c-{cls}' x={x} y={top} width={width:.1f} height={height}>"
                f"<title>{h(label)}</title></rect>"
            )
    shade = "".join(
        f"<rect class=shade x={_x(parse_time(c.first_seen), start, span) - 3} y=6 "
        f"width={max(_x(parse_time(c.last_seen), start, span) - _x(parse_time(c.first_seen), start, span), 0) + 6} "
        f"height=94><title>{h(c.id)} {h(c.level.label)}</title></rect>"
        f"<text class=shade-label x={_x(parse_time(c.first_seen), start, span)} y=4>{h(c.id)}</text>"
        for c in candidates[:5]
    )
    legend = "".join(
        f"<span class=key><span class='swatch c-{cls}'></span>{h(CLASS_LABELS[cls])}</span>"
        for cls in PRINCIPAL_CLASSES
        if any(cls in v for v in counts.values())
    )
    return (
        f"<figure class=overview-figure><svg class=overview viewBox='0 -10 {WIDTH} 135' role=img "
        f"aria-label='events per hour by principal class'>{shade}{''.join(bars)}{_axis(start, end, 100)}</svg>"
        f"<figcaption class=legend>{legend} <span class=dim>events per hour (tallest {tallest}); "
        "shaded: incident candidates</span></figcaption></figure>"
    )
