"""The hunt's time window and how it is written for each table layout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

Layout = Literal["flat", "manual", "projection"]  # flat: no partitions (DuckDB, Trino fixtures)
ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


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


def _day(value: datetime) -> tuple[str, str, str]:
    return value.strftime("%Y"), value.strftime("%m"), value.strftime("%d")


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
    predicate = f"eventtime >= '{format_time(start)}' AND eventtime < '{format_time(window.end)}'"
    if window.layout == "flat":
        return f"({predicate})"
    last = window.end - timedelta(seconds=1)
    return f"({_partition_predicate(start, last, window.layout)} AND {predicate})"
