"""The cost model: the raw logs are read once when staged, each detection reads its columns of one slot
per run, look-back detections read yesterday plus their small baseline tables, the sweep reads the late
rows only, and the unstaged schedule re-reads raw day partitions on every run. The organisation's
estimate is within 1.2x of the reference (raw logs once + each detection's staged columns once)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import CATALOG, PROJECT
from trailhunt.deploy.cfn_staging import history_sql
from trailhunt.deploy.cloudformation import Deployment
from trailhunt.deploy.cost import (
    COLUMN_SHARE,
    CONFIG_RATIO,
    HISTORY_RATIO,
    LATE_SHARE,
    PARQUET_RATIO,
    DetectionLoad,
    estimate,
    format_estimate,
    share,
)
from trailhunt.deploy.ddl import TableSpec
from trailhunt.deploy.export import cost_estimate
from trailhunt.deploy.schedule import Schedule
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer

GB = 1024**3
HOUR, LAG = timedelta(hours=1), timedelta(minutes=15)
ACCOUNTS = tuple(f"{200000000000 + i:012d}" for i in range(50))


def test_staged_copy_reads_the_raw_logs_once_and_detections_their_columns_of_one_slot() -> None:
    loads = [DetectionLoad("a", 0.5), DetectionLoad("b", 0.25)]
    result = estimate(100 * GB, HOUR, LAG, loads, copy_chunks=25)
    assert result.lines["copy raw logs to parquet (once)"] == pytest.approx(100 * GB)
    staged_day = 100 * GB * PARQUET_RATIO
    assert result.lines["2 detections, one slot a run"] == pytest.approx(staged_day * 0.75)
    assert result.lines["2 late-delivery sweeps, late rows only"] == pytest.approx(
        staged_day * LATE_SHARE * 0.75
    )
    summary, config = (share(sql, keep=()) for sql in history_sql(HOUR))
    assert 0 < summary < 1 and 0 < config < 1
    assert result.lines["daily history summary + config calls"] == pytest.approx(
        staged_day * (summary + config)
    )
    assert result.reference == pytest.approx(100 * GB + staged_day * 0.75 + staged_day * summary)
    assert result.dollars(1024**4) == 5.0


def test_look_back_detections_read_yesterday_and_their_tables_not_the_staged_days() -> None:
    staged_day = 100 * GB * PARQUET_RATIO
    tables = DetectionLoad("t", 0.4, 30, history=0.25, config=True)
    rescan = DetectionLoad("r", 0.4, 30)
    lines = estimate(100 * GB, HOUR, LAG, [tables], copy_chunks=1).lines
    assert lines["1 look-back detections, daily"] == pytest.approx(
        staged_day * 0.4 + 30 * staged_day * (HISTORY_RATIO * 0.25 + CONFIG_RATIO)
    )
    lines = estimate(100 * GB, HOUR, LAG, [rescan], copy_chunks=1).lines
    assert lines["1 look-back detections, daily"] == pytest.approx(staged_day * 31 * 0.4)


def test_tiny_volumes_pay_athenas_10_mb_minimum_per_query() -> None:
    result = estimate(1 * 1024**2, HOUR, LAG, [DetectionLoad("a", 0.1)], copy_chunks=2)
    assert result.lines["copy raw logs to parquet (once)"] == 10 * 1024**2 * 24 * 2


def test_org_estimate_is_within_1_2x_of_the_reference_and_far_below_unstaged() -> None:
    renderer = Renderer(PROJECT)
    deployment = Deployment("security", "org-logs", Schedule(HOUR, LAG, "projection"))
    raw = TableSpec("org-logs", ACCOUNTS, org_id="o-abcdef1234")
    context = AccountContext(account_ids=list(ACCOUNTS))
    staged = cost_estimate(renderer, CATALOG.detections, context, deployment, raw, 100 * GB)
    unstaged = cost_estimate(renderer, CATALOG.detections, context, deployment, None, 100 * GB)
    assert staged.lines["copy raw logs to parquet (once)"] == pytest.approx(100 * GB)
    assert staged.lines["10 look-back detections, daily"] < staged.reference / 5  # no staged re-reads
    assert staged.total <= 1.2 * staged.reference
    assert staged.total < unstaged.total / 5
    assert "estimate = 1.0" in format_estimate(staged, 100 * GB)


def test_column_shares_sum_to_one_and_cover_what_detections_read() -> None:
    assert sum(COLUMN_SHARE.values()) == pytest.approx(1.0, abs=0.01)
    renderer = Renderer(PROJECT)
    assert all(0 < share(renderer.render(d)) <= 1 for d in CATALOG.detections)


def test_a_look_back_detection_reads_only_its_dimensions_of_the_history() -> None:
    from trailhunt.deploy.cost import DIMENSION_SHARE, history_share
    from trailhunt.deploy.export import daily_options

    sql = Renderer(PROJECT).render(
        CATALOG.get("access_key_first_call_get_caller_identity"),
        daily_options(AccountContext(), HOUR, late=False),
    )
    assert "trailhunt_principal_history" in sql
    assert history_share(sql) == pytest.approx(
        DIMENSION_SHARE["access_key"] + DIMENSION_SHARE["caller_service"]
    )
