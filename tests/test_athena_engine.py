"""The pyathena path, offline: moto's Athena mock proves query text, workgroup, output location,
result parsing and the failure paths; botocore hooks on the session play Athena's side of each
scenario (state, reason, bytes scanned), keyed by the detection whose SQL was received; Glue's
GetTable is answered from tables made with `trailhunt ddl`'s statement (``GlueTables``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import botocore.handlers
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tests.conftest import CATALOG, PROJECT
from tests.moto_internals import seed_results
from tests.test_ddl import parsed, partitions, properties
from trailhunt.deploy.ddl import TableSpec
from trailhunt.engines.athena import MEGABYTE, TERABYTE, AthenaEngine, AthenaSettings, estimated_cost
from trailhunt.engines.base import Limits
from trailhunt.findings import CONTRACT_FIELDS
from trailhunt.hunt import run_hunt
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Window

ACCOUNT, REGION = "123456789012", "us-east-1"
NOW = datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
RENDERER = Renderer(PROJECT)
DETECTIONS = CATALOG.detections[:5]
GIB = 1024**3


def settings(**overrides: Any) -> AthenaSettings:
    values: dict[str, Any] = {
        "database": "security",
        "table": "cloudtrail_logs",
        "workgroup": "hunt",
        "output_location": "s3://hunt-results/athena/",
        "region": REGION,
        "layout": "projection",
        "poll_interval": 0.001,
    }
    return AthenaSettings(**{**values, **overrides})


def rendered(detection, config: AthenaSettings) -> str:
    window = Window.last(timedelta(hours=24), NOW, config.layout)
    return RENDERER.render(detection, RenderOptions(window=window, target="athena", table=config.table))


def finding_row(detection_id: str) -> dict[str, str]:
    row = dict.fromkeys(CONTRACT_FIELDS, "x")
    row.update(
        event_time="2024-03-12T08:00:00Z", event_name="StopLogging", event_count="1", evidence=detection_id
    )
    return {**row, "trail": "org-trail"}


class FakeAthena:
    """Athena's behaviour per detection: rows, a failure, or a scan that keeps growing."""

    def __init__(self, config: AthenaSettings, scenarios: dict[str, dict[str, Any]]):
        self.scenarios = scenarios
        self.by_sql = {rendered(d, config): d.id for d in DETECTIONS}
        self.polls: dict[str, int] = {}
        self.query_of: dict[str, str] = {}  # query id -> text, from the public GetQueryExecution
        self.session = boto3.Session(region_name=REGION)
        events = self.session.events
        events.register("before-parameter-build.athena.StartQueryExecution", self.before_start)
        events.register("after-call.athena.StartQueryExecution", self.after_start)
        events.register("after-call.athena.GetQueryExecution", self.after_get)

    def detection_of(self, query_id: str) -> str:
        if query_id not in self.query_of:  # a client of its own: no hooks of this session run
            execution = boto3.client("athena", region_name=REGION).get_query_execution(
                QueryExecutionId=query_id
            )
            self.query_of[query_id] = execution["QueryExecution"]["Query"]
        return self.by_sql.get(self.query_of[query_id], "baseline")

    def before_start(self, params: dict[str, Any], **_: Any) -> None:
        scenario = self.scenarios.get(self.by_sql.get(params["QueryString"], ""), {})
        if scenario.get("denied"):
            message = "User: arn:aws:iam::123456789012:user/hunter is not authorized to perform: athena:StartQueryExecution"
            raise ClientError(
                {"Error": {"Code": "AccessDeniedException", "Message": message}}, "StartQueryExecution"
            )

    def after_start(self, parsed: dict[str, Any], **_: Any) -> None:
        query_id = parsed["QueryExecutionId"]
        rows = self.scenarios.get(self.detection_of(query_id), {}).get("rows")
        if rows:
            seed_results(ACCOUNT, REGION, query_id, rows)

    def after_get(self, parsed: dict[str, Any], **_: Any) -> None:
        execution = parsed["QueryExecution"]
        query_id = execution["QueryExecutionId"]
        scenario = self.scenarios.get(self.detection_of(query_id), {})
        self.polls[query_id] = self.polls.get(query_id, 0) + 1
        status, stats = execution["Status"], execution["Statistics"]
        stats["DataScannedInBytes"] = scenario.get("bytes", 0)
        stats["EngineExecutionTimeInMillis"] = scenario.get("engine_ms", 0)
        if "fail" in scenario:
            status.update(State=scenario["fail"][0], StateChangeReason=scenario["fail"][1])
        if scenario.get("runaway"):
            stats["DataScannedInBytes"] = self.polls[query_id] * GIB
            if status["State"] != "CANCELLED":
                status["State"] = "RUNNING"


class GlueTables:
    """Glue's side of ``GetTable`` for every session the test makes, through botocore's public
    ``before-call`` event (moto's own Glue needs pyparsing, which is not installed): tables made
    from ``trailhunt ddl``'s statement, so the properties are the ones users create."""

    def __init__(self) -> None:
        self.tables: dict[tuple[str, str], dict[str, Any]] = {}
        self.calls = 0

    def create(self, database: str, spec: TableSpec) -> None:
        create = parsed(spec)
        keys = [{"Name": name, "Type": "string"} for name in partitions(create)]
        self.tables[(database, spec.table)] = {"Name": spec.table, "PartitionKeys": keys, "Parameters": properties(create)}  # fmt: skip

    def get_table(self, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        self.calls += 1
        body = json.loads(params["body"])  # the request as serialised for the wire
        table = self.tables.get((body["DatabaseName"], body["Name"]))
        if table is None:
            error = {"Code": "EntityNotFoundException", "Message": f"Table {body['Name']} not found."}
            return type("Http", (), {"status_code": 400})(), {"Error": error}
        return type("Http", (), {"status_code": 200})(), {"Table": table}


@pytest.fixture
def glue(monkeypatch) -> GlueTables:
    tables = GlueTables()
    handlers = [*botocore.handlers.BUILTIN_HANDLERS, ("before-call.glue.GetTable", tables.get_table)]
    monkeypatch.setattr(botocore.handlers, "BUILTIN_HANDLERS", handlers)  # read by every new session
    return tables


@pytest.fixture
def aws(monkeypatch, glue):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        boto3.client("s3", region_name=REGION).create_bucket(Bucket="hunt-results")
        athena = boto3.client("athena", region_name=REGION)
        athena.create_work_group(Name="hunt")
        yield athena


def executions(athena) -> dict[str, dict[str, Any]]:
    """Every query Athena received, by id, through the public API."""
    ids = athena.list_query_executions(WorkGroup="hunt")["QueryExecutionIds"]
    return {i: athena.get_query_execution(QueryExecutionId=i)["QueryExecution"] for i in ids}


def run(config: AthenaSettings, scenarios: dict[str, dict[str, Any]]):
    fake = FakeAthena(config, scenarios)
    window = Window.last(timedelta(hours=24), NOW, config.layout)
    engine = AthenaEngine(config, fake.session)
    limits = Limits(config.max_bytes, config.max_total_bytes)
    result = run_hunt(engine, RENDERER, DETECTIONS, AccountContext(), window, limits)
    engine.close()
    return result, fake


def detection_queries(result):
    return [q for q in result.queries if q.label != "baseline"]


def test_athena_receives_exactly_the_rendered_sql(aws) -> None:
    config = settings()
    result, _ = run(config, {})
    received = {e["Query"]: e for e in executions(aws).values()}
    assert set(received) == {rendered(d, config) for d in DETECTIONS} | {result.baseline.sql}
    for execution in received.values():
        assert execution["WorkGroup"] == "hunt"
        assert execution["QueryExecutionContext"]["Database"] == "security"
        assert execution["ResultConfiguration"]["OutputLocation"].startswith("s3://hunt-results/athena/")
    assert [q.state for q in result.queries] == ["SUCCEEDED"] * (len(DETECTIONS) + 1)
    assert not result.errors and result.detections_run == len(DETECTIONS)


def test_since_window_and_partition_predicate_follow_the_layout(aws) -> None:
    for layout, expected in [
        ("projection", "\"timestamp\" BETWEEN '2024/03/11' AND '2024/03/12'"),
        ("manual", "\"day\" BETWEEN '11' AND '12'"),
    ]:
        before = set(executions(aws))
        run(settings(layout=layout), {})
        texts = [e["Query"] for i, e in executions(aws).items() if i not in before]
        detection_texts = [
            t for t in texts if t in {rendered(d, settings(layout=layout)) for d in DETECTIONS}
        ]
        assert len(detection_texts) == len(DETECTIONS)
        assert all(expected in t and "eventtime >= '2024-03-11T09:30:00Z'" in t for t in detection_texts)
        assert all("FROM cloudtrail_logs" in t for t in detection_texts)


def test_rows_become_findings_with_the_query_report(aws) -> None:
    target = DETECTIONS[0]
    scenarios = {target.id: {"rows": [finding_row(target.id)], "bytes": 3 * GIB, "engine_ms": 4200}}
    result, _ = run(settings(), scenarios)
    [finding] = result.findings
    assert (
        finding.detection is target and finding.event_count == 1 and finding.extra == {"trail": "org-trail"}
    )
    [report] = [q for q in result.queries if q.label == target.id]
    assert (report.state, report.bytes_scanned, report.elapsed_ms, len(report.rows)) == (
        "SUCCEEDED",
        3 * GIB,
        4200,
        1,
    )
    assert report.query_id in executions(aws)
    assert report.cost_usd == pytest.approx(3 * GIB / TERABYTE * 5.0)


def test_each_failure_is_reported_with_its_reason_while_the_others_run(aws) -> None:
    failed, cancelled, denied, fine = DETECTIONS[:4]
    missing = "TABLE_NOT_FOUND: line 16:6: Table 'awsdatacatalog.security.cloudtrail_logs' does not exist"
    scenarios = {
        failed.id: {"fail": ("FAILED", missing)},
        cancelled.id: {"fail": ("CANCELLED", "Query cancelled by user"), "bytes": 50 * MEGABYTE},
        denied.id: {"denied": True},
        fine.id: {"rows": [finding_row(fine.id)]},
    }
    result, _ = run(settings(), scenarios)
    reports = {q.label: q for q in detection_queries(result)}
    assert (reports[failed.id].state, reports[failed.id].reason) == ("FAILED", missing)
    assert reports[failed.id].cost_usd == 0.0
    assert reports[cancelled.id].state == "CANCELLED" and reports[cancelled.id].cost_usd > 0
    assert reports[denied.id].state == "ERROR" and reports[denied.id].query_id is None
    assert "AccessDeniedException" in (reports[denied.id].reason or "")
    assert [f.detection.id for f in result.findings] == [fine.id]
    errors = dict(result.errors)
    assert set(errors) == {failed.id, cancelled.id, denied.id}
    assert missing in errors[failed.id]


def test_max_bytes_cancels_a_runaway_query(aws) -> None:
    runaway = DETECTIONS[1]
    result, fake = run(settings(max_bytes=3 * GIB), {runaway.id: {"runaway": True}})
    [report] = [q for q in result.queries if q.label == runaway.id]
    assert report.state == "CANCELLED" and "--max-bytes" in (report.reason or "")
    assert executions(aws)[report.query_id]["Status"]["State"] == "CANCELLED"
    assert 3 * GIB < report.bytes_scanned <= 5 * GIB
    assert fake.polls[report.query_id] <= 5
    assert all(q.state == "SUCCEEDED" for q in result.queries if q is not report)
    assert result.findings == [] and runaway.id in dict(result.errors)


def test_max_total_bytes_skips_what_is_left(aws) -> None:
    first = DETECTIONS[0]
    result, _ = run(settings(concurrency=1, max_total_bytes=GIB), {first.id: {"bytes": 2 * GIB}})
    states = [q.state for q in detection_queries(result)]
    assert states == ["SUCCEEDED"] + ["SKIPPED"] * (len(DETECTIONS) - 1)
    assert len(executions(aws)) == 2  # the baseline and the first detection
    assert all("--max-total-bytes" in reason for _, reason in result.errors)


def test_estimated_cost() -> None:
    assert estimated_cost(0, "SUCCEEDED", 5.0) == pytest.approx(10 * MEGABYTE / TERABYTE * 5.0)
    assert estimated_cost(TERABYTE, "SUCCEEDED", 5.0) == pytest.approx(5.0)
    assert estimated_cost(TERABYTE, "SUCCEEDED", 6.75) == pytest.approx(6.75)
    assert estimated_cost(MEGABYTE * 10 + 1, "CANCELLED", 5.0) == pytest.approx(
        11 * MEGABYTE / TERABYTE * 5.0
    )
    assert estimated_cost(TERABYTE, "FAILED", 5.0) == 0.0


def test_settings_reject_names_that_could_break_the_sql() -> None:
    with pytest.raises(ValueError, match="table"):
        settings(table="logs; DROP TABLE x")
    with pytest.raises(ValueError, match="database"):
        settings(database='sec"urity')


def test_cli_hunt_on_athena_prints_query_reports_and_the_report(aws, capsys, tmp_path) -> None:
    from trailhunt.cli import main

    args = ["hunt", "--engine", "athena", "--database", "security", "--table", "cloudtrail_logs", "--workgroup",
            "hunt", "--output-location", "s3://hunt-results/x/", "--region", REGION, "--layout", "projection",
            "--since", "1h", "--detection", DETECTIONS[0].id, "--output", str(tmp_path / "report.md")]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err
    assert (
        DETECTIONS[0].id in err and "SUCCEEDED" in err and "2 queries" in err
    )  # the baseline and one detection
    assert "Baseline" in (tmp_path / "report.md").read_text()
    assert main([a for a in args if a not in ("--database", "security")]) == 2
    assert "needs --database" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("unset", "extra", "message"),
    [
        (["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"], [], "no AWS credentials"),
        (["AWS_DEFAULT_REGION", "AWS_REGION"], [], "no AWS region"),
        ([], ["--workgroup", "missing"], "workgroup 'missing'"),
    ],
)
def test_athena_preflight_says_what_is_missing_before_any_query(aws, monkeypatch, capsys, tmp_path, unset, extra, message) -> None:  # fmt: skip
    from trailhunt.cli import main

    for name in unset:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    args = ["hunt", "--engine", "athena", "--database", "security", "--since", "1h", *extra]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not executions(aws) and not aws.list_query_executions()["QueryExecutionIds"]


ORG = ("111122223333", "444455556666")
HUNT = ["hunt", "--engine", "athena", "--database", "security", "--table", "cloudtrail", "--workgroup", "hunt",
        "--output-location", "s3://hunt-results/x/", "--region", REGION, "--since", "2024-03-11T09:30:00Z",
        "--until", "2024-03-12T09:30:00Z", "--detection", DETECTIONS[0].id]  # fmt: skip


def org_context(tmp_path, accounts: tuple[str, ...] = ORG):
    path = tmp_path / "org.yaml"
    path.write_text(f"name: org\naccount_ids: {list(accounts)}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("projection", ["enum", "injected"])
def test_a_remote_hunt_prunes_on_the_context_accounts_regions_and_days(aws, glue, capsys, tmp_path, projection) -> None:  # fmt: skip
    glue.create("security", TableSpec("org-logs", ORG, org_id="o-abcdef1234", account_projection=projection))
    args = [*HUNT, "--context", str(org_context(tmp_path)), "--regions", "us-east-1,eu-west-1", "--output", str(tmp_path / "r.md")]  # fmt: skip
    assert main_of(args) == 0, capsys.readouterr().err
    texts = [e["Query"] for e in executions(aws).values()]
    assert len(texts) == 2  # the baseline and the detection, each pruned on all three partitions
    for text in texts:
        assert "account IN ('111122223333', '444455556666')" in text
        assert "region IN ('us-east-1', 'eu-west-1')" in text
        assert "\"timestamp\" BETWEEN '2024/03/11' AND '2024/03/12'" in text
        assert "eventtime >= '2024-03-11T09:30:00Z' AND eventtime < '2024-03-12T09:30:00Z'" in text
    assert "2 queries" in capsys.readouterr().err and (tmp_path / "r.md").is_file() and glue.calls == 1


def test_an_injected_account_partition_without_account_ids_is_one_line_before_any_query(aws, glue, capsys, tmp_path) -> None:  # fmt: skip
    glue.create("security", TableSpec("org-logs", org_id="o-abcdef1234", account_projection="injected"))
    assert main_of([*HUNT, "--context", str(org_context(tmp_path, ()))]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "security.cloudtrail projects 'account' as injected" in err and "account_ids" in err
    assert not executions(aws)
    assert main_of([*HUNT, "--context", str(org_context(tmp_path)), "--layout", "manual"]) == 2
    assert "--layout projection" in capsys.readouterr().err and not executions(aws)


def test_without_account_ids_an_enum_table_is_read_for_every_account(aws, glue, capsys, tmp_path) -> None:
    glue.create("security", TableSpec("org-logs", ORG, org_id="o-abcdef1234"))
    assert main_of([*HUNT, "--output", str(tmp_path / "r.md")]) == 0, capsys.readouterr().err
    texts = [e["Query"] for e in executions(aws).values()]
    assert len(texts) == 2 and not any("account IN" in t or "region IN" in t for t in texts)


def test_the_injected_check_reads_only_a_projected_table() -> None:
    from trailhunt.engines.athena import injected_columns

    table = GlueTables()
    table.create("db", TableSpec("org-logs", org_id="o-abcdef1234", account_projection="injected"))
    [(_, glue_table)] = table.tables.items()
    assert injected_columns(glue_table) == ["account"]
    disabled = {**glue_table, "Parameters": {**glue_table["Parameters"], "projection.enabled": "false"}}
    assert injected_columns(disabled) == []
    assert injected_columns({"Name": "t", "PartitionKeys": [{"Name": "region"}]}) == []


def main_of(args: list[str]) -> int:
    from trailhunt.cli import main

    return main(args)
