"""One hunt loop for every engine: the same fixture hunted on DuckDB and on Athena gives the same
report (findings, candidates, baseline).

Athena is moto's mock driven through pyathena exactly as in production; what moto cannot do is run
SQL, so a botocore hook answers each query by running the text Athena received on a DuckDB that
holds the same fixture. The rows then travel back the Athena way (typed VarChar cells parsed by
pyathena), so the test proves the loop, the baseline and the result parsing, not a shortcut.
(moto's backend is reached in one place, ``_answer``, because moto has no public way to set results.)
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.athena.models import QueryResults, athena_backends

from tests.conftest import CATALOG, PROJECT
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


def _cell(value: Any) -> tuple[str, dict[str, str]]:
    if isinstance(value, bool):
        return "boolean", {"VarCharValue": str(value).lower()}
    if isinstance(value, int):
        return "bigint", {"VarCharValue": str(value)}
    if value is None:
        return "varchar", {}
    if isinstance(value, datetime | date):
        return "varchar", {"VarCharValue": value.isoformat()}
    return "varchar", {"VarCharValue": str(value)}


def _answer(local: DuckDBEngine, sql: str) -> QueryResults:
    outcome = local.run(sql, "athena-side")
    assert outcome.ok, outcome.reason
    names = list(outcome.rows[0]) if outcome.rows else []
    cells = [[_cell(row[n]) for n in names] for row in outcome.rows]
    types = [next((c[i][0] for c in cells if c[i][1]), "varchar") for i in range(len(names))]
    info = [{"Name": n, "Label": n, "Type": t} for n, t in zip(names, types, strict=True)]
    header = {"Data": [{"VarCharValue": n} for n in names]}
    return QueryResults(rows=[header, *({"Data": [c[1] for c in row]} for row in cells)], column_info=info)


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
    backend = athena_backends[ACCOUNT][REGION]
    one_at_a_time = threading.Lock()  # Athena runs 4 queries at once; the answering DuckDB one

    def after_start(parsed: dict[str, Any], **_: Any) -> None:
        query_id = parsed["QueryExecutionId"]
        with one_at_a_time:
            backend.query_results[query_id] = _answer(answering, backend.executions[query_id].query)

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
