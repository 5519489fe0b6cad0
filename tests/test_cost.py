"""The cost model: the raw logs are read once when staged, each detection reads its columns of the
batches its window spans, and the unstaged schedule re-reads raw day partitions on every run."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import CATALOG, PROJECT
from trailhunt.deploy.cloudformation import Deployment
from trailhunt.deploy.cost import COLUMN_SHARE, PARQUET_RATIO, DetectionLoad, estimate, format_estimate, share
from trailhunt.deploy.ddl import TableSpec
from trailhunt.deploy.export import cost_estimate
from trailhunt.deploy.schedule import Schedule
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer

GB = 1024**3
HOUR, LAG = timedelta(hours=1), timedelta(minutes=15)
ACCOUNTS = tuple(f"{200000000000 + i:012d}" for i in range(50))


def test_staged_copy_reads_the_raw_logs_once_and_detections_their_columns_of_two_batches() -> None:
    loads = [DetectionLoad("a", 0.5), DetectionLoad("b", 0.25)]
    result = estimate(100 * GB, HOUR, LAG, loads, copy_chunks=25)
    assert result.lines["copy raw logs to parquet (once)"] == pytest.approx(100 * GB)
    staged_day = 100 * GB * PARQUET_RATIO
    assert result.lines["2 detections over parquet"] == pytest.approx(2 * staged_day * 0.75)
    assert result.reference == pytest.approx(
        100 * GB + staged_day * 0.75 + result.lines["daily history summary"]
    )
    assert result.dollars(1024**4) == 5.0


def test_tiny_volumes_pay_athenas_10_mb_minimum_per_query() -> None:
    result = estimate(1 * 1024**2, HOUR, LAG, [DetectionLoad("a", 0.1)], copy_chunks=2)
    assert result.lines["copy raw logs to parquet (once)"] == 10 * 1024**2 * 24 * 2


def test_org_estimate_staged_against_unstaged() -> None:
    renderer = Renderer(PROJECT)
    deployment = Deployment("security", "org-logs", Schedule(HOUR, LAG, "projection"))
    raw = TableSpec("org-logs", ACCOUNTS, org_id="o-abcdef1234")
    context = AccountContext(account_ids=list(ACCOUNTS))
    staged = cost_estimate(renderer, CATALOG.detections, context, deployment, raw, 100 * GB)
    unstaged = cost_estimate(renderer, CATALOG.detections, context, deployment, None, 100 * GB)
    regular = [k for k in staged.lines if k.endswith("detections over parquet")]
    [daily] = [v for k, v in staged.lines.items() if "look-back" in k]
    assert 0 < daily < unstaged.total / 100  # look-back detections run once a day, on parquet
    assert staged.lines["copy raw logs to parquet (once)"] == pytest.approx(100 * GB)
    assert staged.total < unstaged.total / 5
    assert "estimate =" in format_estimate(staged, 100 * GB) and regular


def test_column_shares_sum_to_one_and_cover_what_detections_read() -> None:
    assert sum(COLUMN_SHARE.values()) == pytest.approx(1.0, abs=0.01)
    renderer = Renderer(PROJECT)
    assert all(0 < share(renderer.render(d)) <= 1 for d in CATALOG.detections)
