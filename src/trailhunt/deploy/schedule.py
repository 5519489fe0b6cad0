"""The window of a scheduled query: ``every`` long, ending ``lag`` before the minute it starts.

CloudTrail delivers log files minutes after the events in them, so a scheduled window that ended at
query time would miss the newest events; with the lag, consecutive runs tile time without gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from trailhunt.identifiers import identifier
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import RenderOptions
from trailhunt.render.window import Layout, Window


@dataclass(frozen=True)
class Schedule:
    """How often scheduled queries run and how far behind real time their window ends."""

    every: timedelta = timedelta(hours=1)
    lag: timedelta = timedelta(minutes=15)
    layout: Layout = "manual"
    table: str = "cloudtrail"

    def __post_init__(self) -> None:
        identifier(self.table, "table")  # it reaches SQL and the state machine's IAM policy

    def options(self, context: AccountContext, target: Literal["athena", "trino"]) -> RenderOptions:
        """Render options for a scheduled query."""
        window = Window.scheduled(self.every, self.lag, self.layout)
        return RenderOptions(context=context, window=window, target=target, table=self.table)

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
