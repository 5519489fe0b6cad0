"""The window of a scheduled run: ``every`` long, ending ``lag`` before the run's scheduled time.

Run *k* is scheduled at ``t0 + k·every`` and covers ``[t0 + k·every − every − lag, t0 + k·every − lag)``,
so consecutive runs tile event time with no gap and no overlap, whenever each run actually starts.
The cron fires ``lag`` after each multiple of ``every`` (``cron(15 * * * ? *)`` for 1h/15m), so every
window is one whole interval, one staging slot. CloudTrail delivers files minutes after the events
in them; the lag leaves time for that, and the daily late-delivery sweep examines what arrived later
still (``deploy.staging``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from trailhunt.identifiers import identifier
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import RenderOptions
from trailhunt.render.window import DELIVERY_SLACK, Layout, Window, format_time


@dataclass(frozen=True)
class Schedule:
    """How often scheduled queries run, how far behind their window ends, and what they read."""

    every: timedelta = timedelta(hours=1)
    lag: timedelta = timedelta(minutes=15)
    layout: Layout = "projection"
    table: str = "cloudtrail"
    accounts: tuple[str, ...] = ()  # account partitions to read (projection); all when empty
    regions: tuple[str, ...] = ()  # region partitions to read (projection); all when empty
    slot: timedelta | None = None  # staged: the staging slot length (the scheduled interval); every if None

    def __post_init__(self) -> None:
        if self.every < timedelta(minutes=5) or self.every.total_seconds() % 60:
            raise ValueError(f"--every {self.every}: use whole minutes, at least 5")
        if self.lag < timedelta(0) or self.lag.total_seconds() % 60:
            raise ValueError(f"--lag {self.lag}: use whole minutes, not negative")
        self.expression  # noqa: B018 - raises for an interval the schedule cannot align
        identifier(self.table, "table")  # it reaches SQL and the state machine's IAM policy

    def window(self) -> Window:
        """The relative window: bound to each run's scheduled time."""
        base = Window.scheduled(self.every, self.lag, self.layout)
        slack = (
            (self.slot or self.every) if self.layout == "staged" else DELIVERY_SLACK
        )  # staged: slot length
        return Window(base.start, base.end, self.layout, True, self.accounts, self.regions, slack)

    def window_at(self, scheduled: datetime) -> Window:
        """The absolute window of the run scheduled at ``scheduled``."""
        return self.window().at(scheduled)

    def options(self, context: AccountContext, target: Literal["athena", "trino"]) -> RenderOptions:
        """Render options for a scheduled query."""
        return RenderOptions(context=context, window=self.window(), target=target, table=self.table)

    @property
    def expression(self) -> str:
        """The EventBridge Scheduler cron expression (UTC): runs fall ``lag`` after multiples of ``every``,
        so each window ``[run − every − lag, run − lag)`` is one whole interval."""
        minutes = int(self.every.total_seconds() // 60)
        offset = int(self.lag.total_seconds() // 60) % minutes if minutes else 0
        if minutes < 60 and 60 % minutes == 0:
            return f"cron({offset}/{minutes} * * * ? *)"
        if minutes % 60 == 0 and 1440 % minutes == 0:
            hours, minute, hour = minutes // 60, offset % 60, offset // 60
            if hours == 1:
                return f"cron({minute} * * * ? *)"
            return (
                f"cron({minute} {hour} * * ? *)" if hours == 24 else f"cron({minute} {hour}/{hours} * * ? *)"
            )
        raise ValueError(f"--every {minutes}m: use a divisor of an hour (5m..30m) or of a day (1h..24h)")


def placeholder_offsets(sql: str) -> list[int]:
    """Character offsets of the ``?`` parameters of ``sql`` (those in string literals are not parameters)."""
    from sqlglot.dialects.athena import Athena
    from sqlglot.tokens import TokenType

    return [t.start for t in Athena().tokenize(sql) if t.token_type == TokenType.PLACEHOLDER]


def bind(sql: str, scheduled: datetime) -> str:
    """``sql`` rendered for the run scheduled at ``scheduled``: every ``?`` becomes that time's literal.

    The same substitution Athena makes with the ExecutionParameters the state machine passes; for
    schedulers that cannot pass parameters (``export sql --scheduled-time``) and for tests.
    """
    literal = f"'{format_time(scheduled)}'"
    out, last = [], 0
    for offset in placeholder_offsets(sql):
        out += [sql[last:offset], literal]
        last = offset + 1
    return "".join(out) + sql[last:]
