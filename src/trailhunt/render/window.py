"""The hunt's time window and how it is written for each table layout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

Layout = Literal["flat", "manual", "projection"]  # flat: no partitions (DuckDB, Trino fixtures)
ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# CloudTrail files land under the date they are delivered, up to ~15 minutes after the events in them,
# so the last partition read is that of the window end plus this slack.
DELIVERY_SLACK = timedelta(hours=1)
# Scheduled (query-time relative) windows are stored as offsets from this instant.
SCHEDULE_ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)
_ATHENA_FORMATS = {"iso": "%Y-%m-%dT%H:%i:%sZ", "day": "%Y/%m/%d", "year": "%Y"}


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
    """Half-open interval [start, end) of event time being hunted."""

    start: datetime
    end: datetime
    layout: Layout = "flat"
    relative: bool = False  # bounds are offsets from SCHEDULE_ANCHOR, evaluated at query time

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"window end {self.end} is not after its start {self.start}")

    def shifted_start(self, lookback_days: int) -> datetime:
        """The start of a baseline that looks ``lookback_days`` further back."""
        return self.start - timedelta(days=lookback_days)

    @classmethod
    def last(cls, duration: timedelta, now: datetime, layout: Layout = "flat") -> Window:
        """The window ending at ``now``."""
        return cls(now - duration, now, layout)

    @classmethod
    def scheduled(cls, duration: timedelta, lag: timedelta, layout: Layout = "flat") -> Window:
        """For scheduled queries: ``duration`` ending ``lag`` before the minute the query starts."""
        end = SCHEDULE_ANCHOR - lag
        return cls(end - duration, end, layout, relative=True)


def _day(value: datetime) -> tuple[str, str, str]:
    return value.strftime("%Y"), value.strftime("%m"), value.strftime("%d")


def _at_query_time(value: datetime, kind: str) -> str:
    """Athena text for ``value`` (an offset from SCHEDULE_ANCHOR) relative to the query's start minute."""
    seconds = int((SCHEDULE_ANCHOR - value).total_seconds())
    sign = "-" if seconds >= 0 else "+"
    instant = f"date_trunc('minute', current_timestamp) {sign} INTERVAL '{abs(seconds)}' SECOND"
    return f"date_format({instant}, '{_ATHENA_FORMATS[kind]}')"


def _relative_partition_predicate(first: datetime, last: datetime, layout: Layout) -> str:
    day1, day2 = _at_query_time(first, "day"), _at_query_time(last, "day")
    if layout == "projection":
        return f'"timestamp" BETWEEN {day1} AND {day2}'
    years = f'"year" BETWEEN {_at_query_time(first, "year")} AND {_at_query_time(last, "year")}'
    return f'{years} AND concat("year", \'/\', "month", \'/\', "day") BETWEEN {day1} AND {day2}'


def _partition_predicate(first: datetime, last: datetime, layout: Layout) -> str:
    (y1, m1, d1), (y2, m2, d2) = _day(first), _day(last)
    if layout == "projection":
        return f"\"timestamp\" BETWEEN '{y1}/{m1}/{d1}' AND '{y2}/{m2}/{d2}'"
    terms = [f"\"year\" BETWEEN '{y1}' AND '{y2}'"]
    if y1 == y2:
        terms.append(f"\"month\" BETWEEN '{m1}' AND '{m2}'")
        if m1 == m2:
            terms.append(f"\"day\" BETWEEN '{d1}' AND '{d2}'")
    terms.append(
        f"concat(\"year\", '/', \"month\", '/', \"day\") BETWEEN '{y1}/{m1}/{d1}' AND '{y2}/{m2}/{d2}'"
    )
    return " AND ".join(terms)


def window_predicate(window: Window, lookback_days: int = 0) -> str:
    """Athena SQL restricting ``eventtime`` (and partitions, for partitioned layouts) to the window.

    Only fixed-format timestamps generated here reach the SQL text.
    """
    start = window.shifted_start(lookback_days)
    if window.relative:
        low, high = _at_query_time(start, "iso"), _at_query_time(window.end, "iso")
    else:
        low, high = f"'{format_time(start)}'", f"'{format_time(window.end)}'"
    predicate = f"eventtime >= {low} AND eventtime < {high}"
    if window.layout == "flat":
        return f"({predicate})"
    last = window.end + DELIVERY_SLACK - timedelta(seconds=1)
    partitions = _relative_partition_predicate if window.relative else _partition_predicate
    return f"({partitions(start, last, window.layout)} AND {predicate})"


def parse_since(text: str) -> datetime | timedelta:
    """``--since``: a duration back from now (``24h``, ``7d``) or an ISO time."""
    try:
        return parse_duration(text)
    except ValueError:
        try:
            return parse_time(text)
        except ValueError:
            raise ValueError(f"{text!r} is neither a duration (24h, 7d) nor an ISO time") from None
