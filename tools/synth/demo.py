"""The demo dataset: three ordinary days of an account, with the intrusion on the third afternoon."""

from __future__ import annotations

import time
from pathlib import Path

from tools.synth.actors import Ctx
from tools.synth.ids import epoch, seeded
from tools.synth.noise_automation import ci_deploy, datadog_poll, terraform_run
from tools.synth.noise_humans import console_session
from tools.synth.noise_workloads import (
    autoscaling,
    config_sweep,
    key_rotation,
    orders_traffic,
    reporting_job,
    service_encryption,
)
from tools.synth.record import Event
from tools.synth.story import story_events
from tools.synth.writer import Summary, write_events

DEMO_START = "2024-03-11T00:00:00Z"
DEMO_DAYS = 3
DEMO_SEED = 20240311
STORY_START = 2 * 86400 + 14 * 3600 + 2 * 60 + 11
HOUR = 3600
# Terraform applies per day: (hour, minute, writes).
TERRAFORM = (
    ((10, 30, ("role", "log-groups")), (15, 20, ("web-tier",))),
    ((11, 5, ("service-user",)), (13, 45, ("partner-trust", "bucket-policy")),
     (16, 30, ("partner-snapshot",)), (17, 10, ("teardown",))),
    ((9, 50, ("trail-hardening",)), (16, 40, ())),
)  # fmt: skip
# Console sessions per day: (who, hour, minute, region, writes, failed sign-in first).
CONSOLE = (
    (("alice", 8, 41, "us-east-1", ("onboard-user",), False), ("bob", 9, 12, "us-east-1", (), False),
     ("carol", 15, 3, "us-east-1", (), False)),
    (("alice", 8, 37, "us-east-1", (), False), ("bob", 9, 5, "us-east-1", (), True),
     ("carol", 14, 48, "us-east-1", (), False)),
    (("alice", 8, 52, "eu-west-1", (), False), ("carol", 11, 20, "eu-west-1", ("reboot",), False)),
)  # fmt: skip


def _every(ctx: Ctx, start: int, step: int, count: int, jitter: int) -> list[int]:
    return [start + i * step + ctx.rng.randint(0, jitter) for i in range(count)]


def _day(ctx: Ctx, d0: int, day: int) -> list[Event]:
    rng = ctx.rng
    events: list[Event] = []
    for t in _every(ctx, d0, 1200, 72, 90):
        events += datadog_poll(ctx, t, "us-east-1")
    for t in _every(ctx, d0 + 600, HOUR, 24, 120):
        events += datadog_poll(ctx, t, "eu-west-1")
        events += service_encryption(ctx, t, "us-east-1")
    for hour in range(24):
        for _ in range(2 if 8 <= hour <= 20 else 1):
            events += orders_traffic(ctx, d0 + hour * HOUR + rng.randint(0, HOUR - 60), "us-east-1")
        if hour % 3 == 0:
            events += config_sweep(
                ctx, d0 + hour * HOUR + rng.randint(60, 900), rng.choice(("us-east-1", "eu-west-1"))
            )
        if hour % 2 == 1:
            events += autoscaling(ctx, d0 + hour * HOUR + rng.randint(0, 1800), "us-east-1")
            events += service_encryption(ctx, d0 + hour * HOUR + rng.randint(0, HOUR), "eu-west-1")
    events += reporting_job(ctx, d0 + 2 * HOUR + 300 + rng.randint(0, 90), "us-east-1")
    for region in ("us-east-1", "us-east-1", "eu-west-1"):
        events += ci_deploy(ctx, d0 + rng.randint(13 * HOUR, 21 * HOUR), region)
    for hour, minute, writes in TERRAFORM[day % len(TERRAFORM)]:
        events += terraform_run(
            ctx, d0 + hour * HOUR + minute * 60 + rng.randint(0, 59), "us-east-1", list(writes)
        )
    for who, hour, minute, region, writes, failed in CONSOLE[day % len(CONSOLE)]:
        t = d0 + hour * HOUR + minute * 60 + rng.randint(0, 59)
        events += console_session(ctx, t, region, who, writes, failed_first=failed)
    if day == 1:
        events += key_rotation(ctx, d0 + 3 * HOUR + 1020, "us-east-1")
    return events


def demo_events(seed: int = DEMO_SEED, start: str = DEMO_START, days: int = DEMO_DAYS) -> list[Event]:
    """Every demo record with its epoch second: the noise of ``days`` days and the intrusion."""
    t0 = epoch(start)
    ctx = Ctx(seeded(seed, "demo"), seed, (t0, t0 + days * 86400))
    events: list[Event] = []
    for day in range(days):
        events += _day(ctx, t0 + day * 86400, day)
    if days * 86400 > STORY_START:
        events += story_events(ctx.rng, t0 + STORY_START)
    return events


def generate_demo(
    out: Path, seed: int = DEMO_SEED, start: str = DEMO_START, days: int = DEMO_DAYS
) -> Summary:
    """Write the demo dataset under ``out`` in the S3 delivery layout."""
    began = time.perf_counter()
    events = demo_events(seed, start, days)
    t0 = epoch(start)
    summary = write_events(out, events, seeded(seed, "delivery"), t0, t0 + days * 86400)
    summary.seconds = time.perf_counter() - began
    return summary
