"""The window of a scheduled run: ``every`` long, ending ``lag`` before the run's scheduled time.

Run *k* is scheduled at ``t0 + k·every`` and covers ``[t0 + k·every − every − lag, t0 + k·every − lag)``,
so consecutive runs tile event time with no gap and no overlap, whenever each run actually starts.
CloudTrail delivers files minutes after the events in them; the lag leaves time for that, and the
daily late-delivery sweep (``staging.sweep``) examines what arrived later still.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from trailhunt.context import AccountContext
from trailhunt.render import RenderOptions
from trailhunt.window import Layout, Window


@dataclass(frozen=True)
class Schedule:
    """How often scheduled queries run, how far behind their window ends, and what they read."""

    every: timedelta = timedelta(hours=1)
    lag: timedelta = timedelta(minutes=15)
    layout: Layout = "projection"
    table: str = "cloudtrail"
    accounts: tuple[str, ...] = ()  # account partitions to read (projection); all when empty
    regions: tuple[str, ...] = ()  # region partitions to read (projection); all when empty

    def __post_init__(self) -> None:
        if self.every < timedelta(minutes=5) or self.every.total_seconds() % 60:
            raise ValueError(f"--every {self.every}: use whole minutes, at least 5")
        if self.lag < timedelta(0):
            raise ValueError("--lag must not be negative")

    def window(self) -> Window:
        """The relative window: bound to each run's scheduled time."""
        base = Window.scheduled(self.every, self.lag, self.layout)
        return Window(base.start, base.end, self.layout, True, self.accounts, self.regions)

    def window_at(self, scheduled: datetime) -> Window:
        """The absolute window of the run scheduled at ``scheduled``."""
        return self.window().at(scheduled)

    def options(self, context: AccountContext, target: Literal["athena", "trino"]) -> RenderOptions:
        """Render options for a scheduled query."""
        return RenderOptions(context=context, window=self.window(), target=target, table=self.table)

    @property
    def runs_per_day(self) -> float:
        """Scheduled runs in 24 hours."""
        return timedelta(days=1) / self.every

    @property
    def expression(self) -> str:
        """The EventBridge Scheduler rate expression."""
        minutes = int(self.every.total_seconds() // 60)
        if minutes % 1440 == 0:
            count, unit = minutes // 1440, "day"
        elif minutes % 60 == 0:
            count, unit = minutes // 60, "hour"
        else:
            count, unit = minutes, "minute"
        return f"rate({count} {unit}{'s' if count > 1 else ''})"
