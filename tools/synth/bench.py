"""The benchmark dataset: N events in thousands of delivered files of 20–2,000 records, written in parallel.

The parent plans every file (region, delivery slice, record count) and the intrusion's records; each
worker fills its files with noise from an RNG seeded by (seed, file index), so the output does not
depend on the number of workers.
"""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from tools.synth.actors import Ctx
from tools.synth.ids import ALNUM, epoch, pick, seeded
from tools.synth.record import Event
from tools.synth.sampler import sample_noise
from tools.synth.story import story_events
from tools.synth.writer import Summary, delivery_slices, delivery_time, log_path, write_log_file

MIN_RECORDS, MAX_RECORDS = 20, 2000
MIN_EVENTS = 3000
REGION_SHARE = {"us-east-1": 0.78, "eu-west-1": 0.22}
BENCH_EXFIL = 120
STORY_CLOCK = 14 * 3600 + 2 * 60 + 11


@dataclass(frozen=True)
class FileJob:
    """One log file to write: its region, delivery slice, noise count and planted records."""

    index: int
    region: str
    start: int
    end: int
    noise: int
    story: tuple[Event, ...] = ()


def _diurnal(t: int) -> float:
    hour = t % 86400 // 3600
    return 1.0 if 7 <= hour <= 21 else 0.45


def _fit(raw: list[float], low: list[int], high: list[int], total: int) -> list[int]:
    """Integer counts near ``raw`` within [low, high] per file, summing to ``total``."""
    if not sum(low) <= total <= sum(high):
        raise ValueError(f"cannot fit {total} records in {len(raw)} files of {MIN_RECORDS}-{MAX_RECORDS}")
    counts = [min(max(round(r), lo), hi) for r, lo, hi in zip(raw, low, high, strict=True)]
    diff = total - sum(counts)
    while diff:
        sign = 1 if diff > 0 else -1
        open_ = [
            i for i in range(len(counts)) if (high[i] - counts[i] if sign > 0 else counts[i] - low[i]) > 0
        ]
        share = max(1, abs(diff) // len(open_))
        for i in open_:
            room = high[i] - counts[i] if sign > 0 else counts[i] - low[i]
            step = min(share, room, abs(diff))
            counts[i] += sign * step
            diff -= sign * step
            if not diff:
                break
    return counts


def _story_start(t0: int, span: int) -> int:
    days = span // 86400
    if days >= 2:
        return t0 + (days * 2 // 3) * 86400 + STORY_CLOCK
    return t0 + span // 3


def plan(total: int, seed: int, start: str) -> list[FileJob]:
    """Every file of a ``total``-record benchmark, the intrusion's records included."""
    if total < MIN_EVENTS:
        raise ValueError(f"a benchmark needs at least {MIN_EVENTS} events (the intrusion alone has ~200)")
    rng = seeded(seed, "plan")
    mean = min(max(total // 2000, 40), 500)
    per_region = max(1, math.ceil(total / mean / len(REGION_SHARE)))
    t0 = epoch(start)
    span = sum(rng.randint(300, 900) for _ in range(per_region))
    slices = [(region, s, e) for region in REGION_SHARE for s, e in delivery_slices(rng, t0, t0 + span)]
    story = story_events(seeded(seed, "story"), _story_start(t0, span), BENCH_EXFIL, other_regions=False)
    planted: list[list[Event]] = [[] for _ in slices]
    for event in story:
        region = event[1]["awsRegion"]
        index = next(i for i, (r, s, e) in enumerate(slices) if r == region and s <= event[0] < e)
        planted[index].append(event)
    raw = [REGION_SHARE[r] * (e - s) * _diurnal(s) * rng.lognormvariate(0, 0.35) for r, s, e in slices]
    scale = (total - len(story)) / sum(raw)
    low = [max(0, MIN_RECORDS - len(p)) for p in planted]
    high = [MAX_RECORDS - len(p) for p in planted]
    counts = _fit([r * scale for r in raw], low, high, total - len(story))
    return [FileJob(i, region, s, e, counts[i], tuple(planted[i])) for i, (region, s, e) in enumerate(slices)]


def write_job(out: Path, seed: int, job: FileJob) -> Summary:
    """Fill one planned file with noise, add its planted records and write it."""
    rng = seeded(seed, "file", job.index)
    ctx = Ctx(rng, seed, (job.start, job.end))
    events = sample_noise(ctx, job.region, job.start, job.end, job.noise) + list(job.story)
    events.sort(key=itemgetter(0))
    path = log_path(out, job.region, delivery_time(rng, job.end), pick(rng, ALNUM, 16))
    return write_log_file(path, [e[1] for e in events])


def _write_jobs(args: tuple[Path, int, list[FileJob]]) -> Summary:
    out, seed, jobs = args
    summary = Summary()
    for job in jobs:
        summary.add(write_job(out, seed, job))
    return summary


def generate_bench(
    out: Path, events: int, seed: int = 1, start: str = "2024-03-11T00:00:00Z", workers: int | None = None
) -> Summary:
    """Write a benchmark of ``events`` records under ``out``, using ``workers`` processes."""
    began = time.perf_counter()
    jobs = plan(events, seed, start)
    workers = workers or os.cpu_count() or 1
    chunk = max(1, len(jobs) // (workers * 8))
    batches = [(out, seed, jobs[i : i + chunk]) for i in range(0, len(jobs), chunk)]
    summary = Summary()
    if workers == 1:
        for batch in batches:
            summary.add(_write_jobs(batch))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_write_jobs, batches):
                summary.add(part)
    summary.seconds = time.perf_counter() - began
    return summary
