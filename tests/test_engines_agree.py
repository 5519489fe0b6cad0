"""One hunt loop for every engine: the same fixture hunted on DuckDB and on Athena gives the same
report (findings, candidates, baseline).

Athena is moto's mock driven through pyathena exactly as in production; what moto cannot do is run
SQL, so a botocore hook answers each query by running the text Athena received on a DuckDB that
holds the same fixture. The rows then travel back the Athena way (typed VarChar cells parsed by
pyathena), so the test proves the loop, the baseline and the result parsing, not a shortcut.
(moto's backend is reached only through ``tests/moto_internals.py``: moto has no public way to tie
results to one query.)
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.conftest import CATALOG, PROJECT
from tests.moto_internals import seed_results
from trailhunt.engines.athena import AthenaEngine, AthenaSettings
from trailhunt.engines.duckdb import DuckDBEngine
from trailhunt.hunt import hunt, run_hunt
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer
from trailhunt.report.build import build_report
from trailhunt.report.render_markdown import render_markdown

ACCOUNT, REGION = "123456789012", "us-east-1"
FIXTURES = [
    PROJECT.fixtures / "cloudtrail/defense_evasion/stop_logging.json",
    PROJECT.fixtures.parent / "tests/data/report/baseline.json",
]
RENDERER = Renderer(PROJECT)


def _cell(value: Any) -> tuple[str, str | None]:
    """Athena's type and text for a DuckDB value."""
    if isinstance(value, bool):
        return "boolean", str(value).lower()
    if isinstance(value, int):
        return "bigint", str(value)
    if value is None:
        return "varchar", None
    if isinstance(value, datetime | date):
        return "varchar", value.isoformat()
    return "varchar", str(value)


def _answer(local: DuckDBEngine, sql: str) -> tuple[list[dict[str, str | None]], dict[str, str]]:
    """The rows DuckDB gives for ``sql`` as Athena text cells, and each column's Athena type."""
    outcome = local.run(sql, "athena-side")
    assert outcome.ok, outcome.reason
    rows: list[dict[str, str | None]] = []
    types: dict[str, str] = {}
    for row in outcome.rows:
        cells = {name: _cell(value) for name, value in row.items()}
        rows.append({name: text for name, (_, text) in cells.items()})
        types.update({name: kind for name, (kind, text) in cells.items() if text is not None})
    return rows, types


@pytest.fixture
def athena(monkeypatch: pytest.MonkeyPatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        boto3.client("s3", region_name=REGION).create_bucket(Bucket="results")
        boto3.client("athena", region_name=REGION).create_work_group(Name="hunt")
        yield


def _sections(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("#")]


def test_duckdb_and_athena_give_the_same_report(athena) -> None:
    context = AccountContext()
    local = hunt(FIXTURES, RENDERER, CATALOG.detections, context)
    assert local.baseline is not None and local.findings and not local.errors

    answering, _ = DuckDBEngine.load(FIXTURES, use_cache=False)
    session = boto3.Session(region_name=REGION)
    queries = boto3.client("athena", region_name=REGION)  # no hooks: a session of its own
    one_at_a_time = threading.Lock()  # Athena runs 4 queries at once; the answering DuckDB one

    def after_start(parsed: dict[str, Any], **_: Any) -> None:
        query_id = parsed["QueryExecutionId"]
        with one_at_a_time:
            sql = queries.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Query"]
            seed_results(ACCOUNT, REGION, query_id, *_answer(answering, sql))

    session.events.register("after-call.athena.StartQueryExecution", after_start)
    settings = AthenaSettings("security", workgroup="hunt", output_location="s3://results/", region=REGION, poll_interval=0.001)  # fmt: skip
    engine = AthenaEngine(settings, session)
    try:
        remote = run_hunt(engine, RENDERER, CATALOG.detections, context, local.window)
    finally:
        engine.close()
        answering.close()

    assert remote.errors == [] and remote.detections_run == local.detections_run == len(CATALOG.detections)
    key = sorted((f.detection.id, f.event_id, f.principal_arn, f.event_count) for f in local.findings)
    assert (
        sorted((f.detection.id, f.event_id, f.principal_arn, f.event_count) for f in remote.findings) == key
    )
    assert remote.baseline is not None
    assert remote.baseline.classes == local.baseline.classes
    assert remote.baseline.principals == local.baseline.principals
    local_report, remote_report = build_report(local, RENDERER), build_report(remote, RENDERER)
    assert [c.detection_ids for c in remote_report.candidates] == [
        c.detection_ids for c in local_report.candidates
    ]
    local_md, remote_md = render_markdown(local_report), render_markdown(remote_report)
    assert _sections(remote_md) == _sections(local_md)
    assert any("Baseline" in s for s in _sections(remote_md))
    assert len(remote.queries) == len(CATALOG.detections) + 1 and remote.queries[0].label == "baseline"
