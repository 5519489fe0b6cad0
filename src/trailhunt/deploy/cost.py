"""What the deployed schedule scans per day, in bytes and dollars, for a given daily log volume.

Athena bills the bytes it reads (at least 10 MB per query, rounded up to a MB), at ``price_per_tb``
per TB. Staged deployment, per day, with V = compressed raw logs per day and R runs per day:
- copy: each delivered file is read once (``$path`` ranges): V, plus the 10 MB minimum per INSERT;
- detections: each run reads, per detection, only its columns of the staged batches its window
  spans: ``1 + ceil(lag / every)`` batches of V/R · p each, times the detection's column share c;
  a look-back detection runs once a day (the daily run, over yesterday) and reads ``lookback + 1``
  days of batches;
- history: once a day, one day of staged data (the summary's columns);
- late-delivery sweep: once a day, every other detection over yesterday's staged data.
Unstaged (``--no-staging``), every detection reads the raw day partitions its window touches on
every run (about half a day of logs on average, a whole day more for every look-back day).
``PARQUET_RATIO`` and ``COLUMN_SHARE`` were measured with ``scripts/bench_staging.py`` on
``fixtures/demo``; the reference is one pass over the raw logs plus every detection reading its
staged columns once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from trailhunt.deploy.staging import catalogue_columns

PARQUET_RATIO = 0.292  # staged parquet/ZSTD bytes per byte of gzipped CloudTrail JSON
COLUMN_SHARE = {  # share of the staged bytes per column
    "eventid": 0.330, "additionaleventdata": 0.248, "responseelements": 0.113, "requestparameters": 0.106,
    "useridentity": 0.077, "resources": 0.045, "eventtime": 0.035, "eventname": 0.013, "useragent": 0.012,
    "sourceipaddress": 0.007, "eventsource": 0.007, "vpcendpointid": 0.002, "eventcategory": 0.001,
    "errorcode": 0.001, "sessioncredentialfromconsole": 0.001, "awsregion": 0.0005, "recipientaccountid": 0.0005,
}  # fmt: skip
HISTORY_COLUMNS = ("useridentity", "recipientaccountid", "eventtime", "eventsource", "eventname",
                   "sourceipaddress", "useragent")  # fmt: skip
MIN_QUERY_BYTES = 10 * 1024**2
DAILY_SLACK = 1 / 24  # the daily run also reads the batches staged in the hour after yesterday
TB = 1024**4


@dataclass(frozen=True)
class DetectionLoad:
    """One detection as the cost model sees it."""

    detection_id: str
    column_share: float
    lookback_days: int = 0


@dataclass
class Estimate:
    """Bytes per day by line, and the reference they are compared with."""

    lines: dict[str, float] = field(default_factory=dict)
    reference: float = 0.0
    price_per_tb: float = 5.0

    @property
    def total(self) -> float:
        """Bytes scanned per day."""
        return sum(self.lines.values())

    def dollars(self, scanned: float) -> float:
        """Athena's price for ``scanned`` bytes."""
        return scanned / TB * self.price_per_tb


def share(sql: str) -> float:
    """The share of the staged bytes a rendered detection reads (its columns)."""
    return sum(COLUMN_SHARE.get(c, 0.0) for c in catalogue_columns([sql]))


def _billed(per_query: float, queries: float) -> float:
    return max(per_query, MIN_QUERY_BYTES) * queries


def estimate(
    daily_bytes: float,
    every: timedelta,
    lag: timedelta,
    detections: list[DetectionLoad],
    copy_chunks: int = 0,
    price_per_tb: float = 5.0,
) -> Estimate:
    """The per-day estimate; ``copy_chunks`` 0 means unstaged (detections read the raw table)."""
    runs = timedelta(days=1) / every
    result = Estimate(price_per_tb=price_per_tb)
    staged_day = daily_bytes * PARQUET_RATIO
    regular = [d for d in detections if not d.lookback_days]
    lookback = [d for d in detections if d.lookback_days]
    if copy_chunks:
        batches = 1 + math.ceil(lag / every)
        result.lines["copy raw logs to parquet (once)"] = _billed(
            daily_bytes / runs / copy_chunks, runs * copy_chunks
        )
        result.lines[f"{len(regular)} detections over parquet"] = sum(
            _billed(staged_day / runs * batches * d.column_share, runs) for d in regular
        )
        result.lines[f"{len(lookback)} look-back detections, daily, over parquet"] = sum(
            _billed(staged_day * (d.lookback_days + 1 + DAILY_SLACK) * d.column_share, 1) for d in lookback
        )
        late = COLUMN_SHARE["eventid"] + COLUMN_SHARE["eventtime"]  # the late-event subquery's columns
        result.lines[f"{len(regular)} late-delivery sweeps, daily, over parquet"] = sum(
            _billed(staged_day * (1 + DAILY_SLACK) * (d.column_share + late), 1) for d in regular
        )
        history = sum(COLUMN_SHARE[c] for c in HISTORY_COLUMNS)
        result.lines["daily history summary"] = _billed(staged_day * history, 1)
        result.reference = (
            daily_bytes + sum(staged_day * d.column_share for d in detections) + staged_day * history
        )
    else:
        result.lines[f"{len(detections)} detections over raw JSON"] = sum(
            _billed(daily_bytes * (0.5 + d.lookback_days + (lag + every) / timedelta(days=1)), runs)
            for d in detections
        )
        result.reference = daily_bytes + sum(staged_day * d.column_share for d in detections)
    return result


def format_estimate(result: Estimate, daily_bytes: float) -> str:
    """The estimate as lines of text."""
    gb = 1024**3
    out = [f"estimated Athena scan for {daily_bytes / gb:,.0f} GB/day of compressed CloudTrail logs:"]
    for name, scanned in result.lines.items():
        out.append(f"  {name:45} {scanned / gb:12,.1f} GB/day  ${result.dollars(scanned):10,.2f}/day")
    out.append(
        f"  {'total':45} {result.total / gb:12,.1f} GB/day  ${result.dollars(result.total):10,.2f}/day"
    )
    out.append(
        f"  reference (raw logs once + each detection's parquet columns once): {result.reference / gb:,.1f} GB/day;"
        f" estimate = {result.total / result.reference:.2f}x the reference"
    )
    return "\n".join(out) + "\n"
