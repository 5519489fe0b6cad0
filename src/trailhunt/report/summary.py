"""The report's first screen: each incident candidate worth acting on in one or two lines.

Level, who, from where, what they achieved and the next step, computed once for every format.
Log-derived values stay raw here: each renderer escapes them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from trailhunt.report.correlate import SUSPICIOUS, Candidate
from trailhunt.report.labels import compact_principal, plural, tactic_label
from trailhunt.report.runbook import Runbook

MAX_HEADLINES = 5


@dataclass(frozen=True)
class Headline:
    """One candidate in a line or two."""

    candidate: Candidate
    who: str
    where: str
    achieved: str
    tactics: str
    next_step: str


def _who(c: Candidate, own: Collection[str]) -> str:
    names = [compact_principal(p, own) for p in c.principals[:2]]
    more = len(c.principals) - 2
    return ", ".join(names) + (f" +{more}" if more > 0 else "")


def headline(c: Candidate, book: Runbook | None, own: Collection[str] = ()) -> Headline:
    """A candidate's headline; without a runbook the next step is a review of its findings."""
    ips = [ip for ip, _ in c.source_ips.most_common(2)]
    more = len(c.source_ips) - 2
    where = ", ".join(ips) + (f" +{more}" if more > 0 else "") if ips else "unknown address"
    step = book.next_step if book else f"review {plural(len(c.findings), 'finding')} of {c.id}"
    return Headline(
        c, _who(c, own), where, c.story.summary, ", ".join(tactic_label(t) for t in c.tactics), step
    )


def headlines(
    candidates: list[Candidate], runbooks: list[Runbook], own: Collection[str] = ()
) -> tuple[list[Headline], int]:
    """Headlines of the candidates at suspicious or above (or the top one), and how many others."""
    books = {id(b.candidate): b for b in runbooks}
    worth = [c for c in candidates if c.level.rank >= SUSPICIOUS.rank] or candidates[:1]
    shown = worth[:MAX_HEADLINES]
    return [headline(c, books.get(id(c)), own) for c in shown], len(candidates) - len(shown)
