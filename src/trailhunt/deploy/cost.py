"""What the deployed schedule scans per day, in bytes and dollars, for a given daily log volume.

Athena bills the bytes it reads (at least 10 MB per query, rounded up to a MB), at ``price_per_tb``
per TB. Staged deployment, per day, with V = compressed raw logs per day, S = V · ``PARQUET_RATIO``
the staged bytes and R runs per day, each line what the template deploys:
- copy: each delivered file is read once (``$path`` ranges): V, plus the 10 MB minimum per INSERT;
- detections: each run reads its detection's columns (share c) of one slot of on-time rows, S/R · c;
- look-back detections, once a day: yesterday's staged rows, S · c, plus their baseline tables:
  ``lookback`` days of their dimensions' partitions of the history summary (S · ``HISTORY_RATIO`` ·
  ``DIMENSION_SHARE`` each) and/or of the configuration calls (S · ``CONFIG_RATIO`` each); one still
  re-reading staged days pays
  ``lookback + 1`` days of S · c;
- late-delivery sweep, once a day: every other detection over the rows staged late, S · ``LATE_SHARE`` · c;
- history: once a day, the columns the summary and configuration-call INSERTs read of one staged day.
Unstaged (``--no-staging``), every detection reads the raw day partitions its window touches on
every run (about half a day of logs on average, a whole day more for every look-back day).
``PARQUET_RATIO``, ``COLUMN_SHARE``, ``HISTORY_RATIO``, ``DIMENSION_SHARE`` and ``CONFIG_RATIO`` were measured with
``scripts/bench_staging.py`` (the first two on ``fixtures/demo``, the last two on a 300,000-event
``tools.synth bench`` week, where a day holds far fewer events per principal than 100 GB/day does, so
they overstate the tables); ``LATE_SHARE`` is an assumption (CloudTrail delivers within about 5
minutes on average; a row is late only when it misses its run by more than ``lag`` − 2 minutes).
The reference is one pass over the raw logs, every detection reading its staged columns once, and
the history summary's columns once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from trailhunt.deploy.cfn_staging import history_sql
from trailhunt.deploy.staging import catalogue_columns

PARQUET_RATIO = 0.292  # staged parquet/ZSTD bytes per byte of gzipped CloudTrail JSON
COLUMN_SHARE = {  # share of the staged bytes per column
    "eventid": 0.330, "additionaleventdata": 0.248, "responseelements": 0.113, "requestparameters": 0.106,
    "useridentity": 0.077, "resources": 0.045, "eventtime": 0.035, "eventname": 0.013, "useragent": 0.012,
    "sourceipaddress": 0.007, "eventsource": 0.007, "vpcendpointid": 0.002, "eventcategory": 0.001,
    "errorcode": 0.001, "sessioncredentialfromconsole": 0.001, "awsregion": 0.0005, "recipientaccountid": 0.0005,
}  # fmt: skip
HISTORY_RATIO = 0.010  # one day of the history summary, per staged byte of that day
DIMENSION_SHARE = {  # share of the summary's bytes per dimension (partition)
    "read_burst_10m": 0.236, "caller_ip": 0.186, "source_ip": 0.160, "caller_service": 0.145,
    "caller_agent": 0.092, "api": 0.082, "service": 0.040, "user_agent": 0.037, "console_login_ip": 0.012,
    "access_key": 0.011,
}  # fmt: skip
CONFIG_RATIO = 0.0004  # one day of configuration calls, per staged byte of that day
LATE_SHARE = 0.02  # rows staged after their slot's run
MIN_QUERY_BYTES = 10 * 1024**2
TB = 1024**4


@dataclass(frozen=True)
class DetectionLoad:
    """One detection as the cost model sees it."""

    detection_id: str
    column_share: float
    lookback_days: int = 0
    history: float = 0.0  # the share of the history summary its baseline reads (its dimensions)
    config: bool = False  # its baseline reads the configuration calls


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


def history_share(sql: str) -> float:
    """The share of the history summary a rendered (staged) detection reads: its dimension partitions."""
    names = {
        n for found in re.findall(r"dimension IN \(([^)]*)\)", sql) for n in re.findall(r"'([^']+)'", found)
    }
    return sum(DIMENSION_SHARE.get(n, 0.0) for n in names)


def share(sql: str, keep: tuple[str, ...] = ("eventid", "eventtime")) -> float:
    """The share of the staged bytes a rendered query reads: its columns, and ``keep`` (a detection's
    findings name its event's id and time; the pipeline's INSERTs keep nothing more)."""
    return sum(COLUMN_SHARE.get(c, 0.0) for c in catalogue_columns([sql], keep))


def _billed(per_query: float, queries: float) -> float:
    return max(per_query, MIN_QUERY_BYTES) * queries


def _lookback(load: DetectionLoad, staged_day: float) -> float:
    """A look-back detection's daily query: yesterday's rows and its baseline tables (or staged days)."""
    if not (load.history or load.config):
        return staged_day * (load.lookback_days + 1) * load.column_share
    tables = load.lookback_days * staged_day * (HISTORY_RATIO * load.history + CONFIG_RATIO * load.config)
    return staged_day * load.column_share + tables


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
        result.lines["copy raw logs to parquet (once)"] = _billed(
            daily_bytes / runs / copy_chunks, runs * copy_chunks
        )
        result.lines[f"{len(regular)} detections, one slot a run"] = sum(
            _billed(staged_day / runs * d.column_share, runs) for d in regular
        )
        result.lines[f"{len(lookback)} look-back detections, daily"] = sum(
            _billed(_lookback(d, staged_day), 1) for d in lookback
        )
        result.lines[f"{len(regular)} late-delivery sweeps, late rows only"] = sum(
            _billed(staged_day * LATE_SHARE * d.column_share, 1) for d in regular
        )
        history, config = (share(sql, keep=()) for sql in history_sql(every))
        result.lines["daily history summary + config calls"] = _billed(staged_day * history, 1) + _billed(
            staged_day * config, 1
        )
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
