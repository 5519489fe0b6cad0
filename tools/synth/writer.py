"""Write records the way CloudTrail delivers them to S3: one gzipped ``{"Records": [...]}`` per region and
delivery slice, at ``AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_
YYYYMMDDTHHMMZ_<16 alnum>.json.gz`` (the date and minute are the delivery time)."""

from __future__ import annotations

import gzip
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from random import Random

from tools.synth.ids import ALNUM, pick
from tools.synth.principals import ACCOUNT
from tools.synth.record import Event, Record

SLICE_SECONDS = (300, 900)
COMPRESS_LEVEL = 6


@dataclass
class Summary:
    """What a generation wrote."""

    files: int = 0
    events: int = 0
    raw_bytes: int = 0
    gz_bytes: int = 0
    seconds: float = 0.0

    def add(self, other: Summary) -> None:
        """Fold another summary's counts into this one."""
        self.files += other.files
        self.events += other.events
        self.raw_bytes += other.raw_bytes
        self.gz_bytes += other.gz_bytes

    def line(self) -> str:
        """One human-readable line."""
        rate = self.events / self.seconds if self.seconds else 0.0
        return (
            f"{self.files} files, {self.events} events, {self.gz_bytes / 1e6:.1f} MB gzipped "
            f"({self.raw_bytes / 1e6:.1f} MB JSON), {self.seconds:.1f} s ({rate:,.0f} events/s)"
        )


def log_path(out: Path, region: str, delivered: int, unique: str, account: str = ACCOUNT) -> Path:
    """Where CloudTrail puts a log file delivered at epoch second ``delivered``."""
    day = time.strftime("%Y/%m/%d", time.gmtime(delivered))
    stamp = time.strftime("%Y%m%dT%H%MZ", time.gmtime(delivered))
    name = f"{account}_CloudTrail_{region}_{stamp}_{unique}.json.gz"
    return out / "AWSLogs" / account / "CloudTrail" / region / day / name


def write_log_file(path: Path, records: list[Record]) -> Summary:
    """Write one gzipped log file (no timestamp in the gzip header, so output is reproducible)."""
    raw = json.dumps({"Records": records}, separators=(",", ":")).encode()
    packed = gzip.compress(raw, COMPRESS_LEVEL, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(packed)
    return Summary(files=1, events=len(records), raw_bytes=len(raw), gz_bytes=len(packed))


def delivery_slices(rng: Random, start: int, end: int) -> list[tuple[int, int]]:
    """Consecutive 5–15 minute slices covering [start, end)."""
    slices = []
    while start < end:
        stop = min(end, start + rng.randint(*SLICE_SECONDS))
        slices.append((start, stop))
        start = stop
    return slices


def delivery_time(rng: Random, slice_end: int) -> int:
    """CloudTrail delivers a file a few minutes after the last event it holds."""
    return slice_end + rng.randint(60, 300)


def write_events(out: Path, events: list[Event], rng: Random, start: int, end: int) -> Summary:
    """Write ``events`` (any order) as delivered log files: by region, then by delivery slice."""
    by_region: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_region[str(event[1]["awsRegion"])].append(event)
    summary = Summary()
    for region in sorted(by_region):
        region_events = sorted(by_region[region], key=lambda e: e[0])
        index = 0
        for _low, high in delivery_slices(rng, start, max(end, region_events[-1][0] + 1)):
            batch = []
            while index < len(region_events) and region_events[index][0] < high:
                batch.append(region_events[index][1])
                index += 1
            if batch:
                path = log_path(out, region, delivery_time(rng, high), pick(rng, ALNUM, 16))
                summary.add(write_log_file(path, batch))
    return summary
