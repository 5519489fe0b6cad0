"""Noise for one benchmark file: activities drawn by weight (per region and hour) until the count is met."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import accumulate

from tools.synth.actors import Ctx
from tools.synth.ids import iso
from tools.synth.noise_automation import ci_deploy, datadog_poll, terraform_run
from tools.synth.noise_humans import console_session
from tools.synth.noise_workloads import (
    autoscaling,
    config_sweep,
    orders_traffic,
    reporting_job,
    service_encryption,
)
from tools.synth.record import Event

Activity = Callable[[Ctx, int, str], list[Event]]
ALWAYS, WORKDAY, OFFICE, NIGHTLY = range(24), range(12, 23), range(7, 19), range(2, 3)
# (activity, weight in us-east-1, weight in eu-west-1, hours when it runs)
ACTIVITIES: tuple[tuple[Activity, float, float, range], ...] = (
    (datadog_poll, 30, 30, ALWAYS),
    (orders_traffic, 25, 0, ALWAYS),
    (config_sweep, 4, 4, ALWAYS),
    (service_encryption, 6, 6, ALWAYS),
    (autoscaling, 3, 2, ALWAYS),
    (ci_deploy, 1.5, 0.8, WORKDAY),
    (terraform_run, 0.8, 0.4, WORKDAY),
    (console_session, 0.6, 0.2, OFFICE),
    (reporting_job, 0.3, 0, NIGHTLY),
)


@cache
def _table(region: str, hour: int) -> tuple[tuple[Activity, ...], tuple[float, ...]]:
    chosen = [
        (activity, east if region == "us-east-1" else west)
        for activity, east, west, hours in ACTIVITIES
        if hour in hours and (east if region == "us-east-1" else west)
    ]
    return tuple(a for a, _ in chosen), tuple(accumulate(w for _, w in chosen))


def sample_noise(ctx: Ctx, region: str, start: int, end: int, count: int) -> list[Event]:
    """``count`` noise records of ``region`` with times in [start, end)."""
    rng = ctx.rng
    span = end - start
    events: list[Event] = []
    while len(events) < count:
        t = start + rng.randrange(span)
        activities, weights = _table(region, t % 86400 // 3600)
        activity = rng.choices(activities, cum_weights=weights)[0]
        for when, rec in activity(ctx, t, region):
            if rec["awsRegion"] != region:
                continue
            if not start <= when < end:
                when = start + (when - start) % span
                rec["eventTime"] = iso(when)
            events.append((when, rec))
    del events[count:]
    return events
