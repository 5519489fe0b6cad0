"""The hunt's time window and how it is written for each table layout.

Layouts: ``flat`` (no partitions: DuckDB, Trino fixtures), ``projection`` (the ``trailhunt ddl``
table: projected ``account``/``region`` and the ``timestamp`` delivery day), ``manual`` (a table you
maintain, partitioned ``region/year/month/day``) and ``staged`` (the parquet staging table of the
scheduled pipeline, partitioned by event-time ``slot`` and ``late``; see ``deploy.staging``).

A scheduled window is relative: its bounds are offsets from ``SCHEDULE_ANCHOR`` and are written as
arithmetic on the run's scheduled time, bound to every ``?`` placeholder of the query (the state
machine passes EventBridge Scheduler's ``<aws.scheduler.scheduled-time>``), so queueing never moves a
window and consecutive runs tile time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from trailhunt.render import sqltext

Layout = Literal["flat", "manual", "projection", "staged"]
Arrival = Literal["on_time", "late", "any"]  # staged: which rows a window reads (see deploy.staging)
ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# CloudTrail files land under the date they are delivered, up to ~15 minutes after the events in them,
# so the last partition read is that of the window end plus this slack.
DELIVERY_SLACK = timedelta(hours=1)
# Scheduled (relative) windows are stored as offsets from this instant.
SCHEDULE_ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)
SCHEDULED_TIME = "from_iso8601_timestamp(?)"  # every ? of a scheduled query is the scheduled time
_ATHENA_FORMATS = {"iso": "%Y-%m-%dT%H:%i:%sZ", "day": "%Y/%m/%d", "year": "%Y", "batch": "%Y%m%dT%H%i",
                   "date": "%Y-%m-%d"}  # fmt: skip
_FIXED_FORMATS = {
    "iso": ISO_FORMAT,
    "day": "%Y/%m/%d",
    "year": "%Y",
    "batch": "%Y%m%dT%H%M",
    "date": "%Y-%m-%d",
}


def parse_time(text: str) -> datetime:
    """Parse a CloudTrail-style or ISO-8601 time; naive times are taken as UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def format_time(value: datetime) -> str:
    """CloudTrail's ``eventTime`` format, so string comparison orders correctly."""
    return value.astimezone(UTC).strftime(ISO_FORMAT)


def parse_duration(text: str) -> timedelta:
    """``90m``, ``24h``, ``7d`` or ``2w`` as a timedelta."""
    units = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.isdigit():
        raise ValueError(f"duration {text!r}: use a number and one of m, h, d, w (e.g. 24h)")
    return timedelta(**{units[unit]: int(number)})


@dataclass(frozen=True)
class Window:
    """Half-open interval [start, end) of event time, and the partitions worth reading for it."""

    start: datetime
    end: datetime
    layout: Layout = "flat"
    relative: bool = False  # bounds are offsets from SCHEDULE_ANCHOR, bound to the scheduled time
    accounts: tuple[str, ...] = ()  # projection: read only these account partitions (all when empty)
    regions: tuple[str, ...] = ()  # projection: read only these region partitions (all when empty)
    slack: timedelta = DELIVERY_SLACK  # how long after the window end its events may still be delivered
    # staged layout: ``slack`` is the staging slot length instead; ``arrival`` picks on-time rows (the
    # scheduled runs), late rows (the daily sweep: every row staged late into the window's slots,
    # whatever its event time) or both (the daily run)
    arrival: Arrival = "on_time"

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"window end {self.end} is not after its start {self.start}")

    def shifted_start(self, lookback_days: int) -> datetime:
        """The start of a baseline that looks ``lookback_days`` further back."""
        return self.start - timedelta(days=lookback_days)

    def at(self, scheduled: datetime) -> Window:
        """This relative window as the absolute one of the run scheduled at ``scheduled``."""
        if not self.relative:
            return self
        offset = scheduled - SCHEDULE_ANCHOR
        return replace(self, start=self.start + offset, end=self.end + offset, relative=False)

    @classmethod
    def last(cls, duration: timedelta, now: datetime, layout: Layout = "flat") -> Window:
        """The window ending at ``now``."""
        return cls(now - duration, now, layout)

    @classmethod
    def scheduled(cls, duration: timedelta, lag: timedelta, layout: Layout = "flat") -> Window:
        """``[scheduled − duration − lag, scheduled − lag)`` for the run scheduled at any instant."""
        end = SCHEDULE_ANCHOR - lag
        return cls(end - duration, end, layout, relative=True)


def _at_scheduled_time(value: datetime, kind: str) -> str:
    """Athena text for ``value`` (an offset from SCHEDULE_ANCHOR) relative to the scheduled time."""
    seconds = int((SCHEDULE_ANCHOR - value).total_seconds())
    sign = "-" if seconds >= 0 else "+"
    instant = f"{SCHEDULED_TIME} {sign} INTERVAL '{abs(seconds)}' SECOND"
    return f"date_format({instant}, '{_ATHENA_FORMATS[kind]}')"


def _fixed(value: datetime, kind: str) -> str:
    return f"'{value.strftime(_FIXED_FORMATS[kind])}'"


def time_text(window: Window, value: datetime, kind: str) -> str:
    """``value`` (a bound of ``window``, or an offset of one) as SQL text: a literal for a fixed window,
    arithmetic on the scheduled time for a relative one. ``kind``: iso, day, year, batch or date."""
    return _at_scheduled_time(value, kind) if window.relative else _fixed(value, kind)


def _manual(window: Window, first: datetime, last: datetime) -> str:
    """``region/year/month/day`` partitions; fixed windows also prune month and day within a year."""
    day1, day2 = time_text(window, first, "day"), time_text(window, last, "day")
    terms = [f'"year" BETWEEN {time_text(window, first, "year")} AND {time_text(window, last, "year")}']
    if not window.relative and first.year == last.year:
        terms.append(f"\"month\" BETWEEN '{first:%m}' AND '{last:%m}'")
        if first.month == last.month:
            terms.append(f"\"day\" BETWEEN '{first:%d}' AND '{last:%d}'")
    terms.append(f'concat("year", \'/\', "month", \'/\', "day") BETWEEN {day1} AND {day2}')
    return " AND ".join(terms)


def partition_predicate(window: Window, start: datetime) -> str | None:
    """The partition terms for ``window`` read from ``start`` (None for the flat layout)."""
    if window.layout == "flat":
        return None
    if window.layout == "staged":  # slots (``slack`` long) overlapping [start, end); late rows or not
        first, end = time_text(window, start - window.slack, "batch"), time_text(window, window.end, "batch")
        slots = f"slot > {first} AND slot < {end}"
        late = {"on_time": "late = 'false' AND ", "late": "late = 'true' AND ", "any": ""}[window.arrival]
        return late + slots
    last = window.end + window.slack - timedelta(seconds=1)
    if window.layout == "manual":
        return _manual(window, start, last)
    terms = []
    if window.accounts:
        terms.append(sqltext.in_list("account", list(window.accounts)))
    if window.regions:
        terms.append(sqltext.in_list("region", list(window.regions)))
    terms.append(
        f'"timestamp" BETWEEN {time_text(window, start, "day")} AND {time_text(window, last, "day")}'
    )
    return " AND ".join(terms)


def window_predicate(window: Window, lookback_days: int = 0) -> str:
    """Athena SQL restricting ``eventtime`` (and partitions, for partitioned layouts) to the window.

    Only fixed-format timestamps generated here and quoted account/region ids reach the SQL text.
    """
    start = window.shifted_start(lookback_days)
    low, high = time_text(window, start, "iso"), time_text(window, window.end, "iso")
    predicate = f"eventtime >= {low} AND eventtime < {high}"
    if window.layout == "staged" and window.arrival == "late":  # late rows predate their slot's window
        predicate = f"eventtime < {high}"
    partitions = partition_predicate(window, start)
    return f"({predicate})" if partitions is None else f"({partitions} AND {predicate})"


def parse_since(text: str) -> datetime | timedelta:
    """``--since``: a duration back from now (``24h``, ``7d``) or an ISO time."""
    try:
        return parse_duration(text)
    except ValueError:
        try:
            return parse_time(text)
        except ValueError:
            raise ValueError(f"{text!r} is neither a duration (24h, 7d) nor an ISO time") from None
