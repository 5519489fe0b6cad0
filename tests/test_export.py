"""``trailhunt export``: the CloudFormation template passes cfn-lint and has the promised structure;
SQL exports for Athena/Trino/Lake; the EventBridge document; the CLI verbs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CATALOG, PROJECT
from trailhunt.cli.commands import main
from trailhunt.deploy.cloudformation import Deployment
from trailhunt.deploy.export import dump_template, export_cloudformation, export_eventbridge, export_sql
from trailhunt.deploy.schedule import Schedule
from trailhunt.render.context import AccountContext, load_context
from trailhunt.render.renderer import Renderer
from trailhunt.render.window import parse_since
from trailhunt.validate.validator import sql_problems

RENDERER = Renderer(PROJECT)
CONTEXT = load_context(PROJECT.fixtures / "contexts/iac.yaml")
SCHEDULE = Schedule(timedelta(hours=1), timedelta(minutes=15), "projection", "cloudtrail_logs")
DEPLOYMENT = Deployment("security", "org-trail-logs", SCHEDULE, 20 * 1024**3)
CFN_LINT = Path(sys.executable).with_name("cfn-lint")


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return export_cloudformation(RENDERER, CATALOG.detections, CONTEXT, DEPLOYMENT)


def resources(document: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in document["Resources"].items() if v["Type"] == kind}


def test_template_passes_cfn_lint_as_yaml_and_json(template, tmp_path) -> None:
    files = [tmp_path / "trailhunt.yaml", tmp_path / "trailhunt.json"]
    files[0].write_text(dump_template(template, "yaml"))
    files[1].write_text(dump_template(template, "json"))
    assert yaml.safe_load(files[0].read_text()) == json.loads(files[1].read_text()) == template
    lint = subprocess.run([str(CFN_LINT), *map(str, files)], capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_workgroup_enforces_the_bytes_cutoff(template) -> None:
    config = template["Resources"]["AthenaWorkGroup"]["Properties"]["WorkGroupConfiguration"]
    assert config["BytesScannedCutoffPerQuery"] == {"Ref": "MaxBytesPerQuery"}
    assert config["EnforceWorkGroupConfiguration"] is True
    assert template["Parameters"]["MaxBytesPerQuery"]["Default"] == 20 * 1024**3


def _statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for policy in role["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            found.append(statement["Fn::If"][1] if "Fn::If" in statement else statement)
    return found


def test_roles_are_least_privilege(template) -> None:
    scheduler = _statements(template["Resources"]["SchedulerRole"])
    assert scheduler == [
        {"Effect": "Allow", "Action": ["states:StartExecution"], "Resource": [{"Ref": "StateMachine"}]}
    ]
    machine = _statements(template["Resources"]["StateMachineRole"])
    for statement in scheduler + machine:
        assert "*" not in json.dumps(statement["Resource"]).replace("${ResultsBucket.Arn}/*", "").replace(
            "${CloudTrailBucket}/*", ""
        ), statement
        assert not any(action.endswith("*") for action in statement["Action"])
    actions = {a for s in machine for a in s["Action"]}
    assert not {a for a in actions if a.startswith("glue:") and not a.startswith("glue:Get")}
    assert "athena:StartQueryExecution" in actions and "sns:Publish" in actions
    glue = next(s for s in machine if "glue:GetTable" in s["Action"])
    assert {
        "Fn::Sub": "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/${Database}/cloudtrail_logs"
    } in glue["Resource"]
    for role in ("SchedulerRole", "StateMachineRole"):
        trust = template["Resources"][role]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
        assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


@pytest.mark.parametrize("target", ["athena", "trino"])
def test_sql_export_is_the_scheduled_render_and_validates(target) -> None:
    texts = export_sql(RENDERER, CATALOG.detections, AccountContext(), target, SCHEDULE)
    options = SCHEDULE.options(AccountContext(), target)
    for detection in CATALOG.detections:
        sql = texts[detection.id]
        assert sql == RENDERER.render(detection, options)
        assert (
            "from_iso8601_timestamp(?)" in sql
            and "current_timestamp" not in sql
            and '"timestamp" BETWEEN' in sql
        )
        if target == "athena":  # the validator parses, checks the schema and transpiles to DuckDB
            assert not sql_problems(detection, sql)


def test_lake_export_is_marked_best_effort_and_rewritten() -> None:
    texts = export_sql(
        RENDERER, CATALOG.detections, AccountContext(), "lake", SCHEDULE, "EXAMPLE-f852-4e8f-8bd1"
    )
    for sql in texts.values():
        assert sql.startswith("-- ") and "best-effort" in sql and "2026" in sql
        assert "FROM EXAMPLE-f852-4e8f-8bd1" in sql
        assert "json_extract_scalar(requestparameters" not in sql.lower()
        assert "eventTime >=" in sql and '"timestamp"' not in sql
    example = texts["cloudtrail_logging_stopped"]
    assert (
        "ELEMENT_AT(requestParameters, 'name')" in example
        and "eventSource = 'cloudtrail.amazonaws.com'" in example
    )
    with pytest.raises(ValueError, match="event-data-store"):
        export_sql(RENDERER, CATALOG.detections, AccountContext(), "lake", SCHEDULE, None)
    with pytest.raises(ValueError, match="event data store id"):
        export_sql(RENDERER, CATALOG.detections, AccountContext(), "lake", SCHEDULE, "x; DROP")


def test_eventbridge_document_splits_the_catalogue() -> None:
    document = export_eventbridge(RENDERER, CATALOG.detections, CONTEXT)
    compiled = [r["detection"] for r in document["rules"]]
    sql_only = {r["detection"]: r["reason"] for r in document["sql_only"]}
    assert sorted(compiled + list(sql_only)) == sorted(d.id for d in CATALOG.detections)
    assert "cloudtrail_logging_stopped" in compiled and all(sql_only.values())
    assert document["context"] == "iac"


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_ddl_and_export(capsys, tmp_path) -> None:
    code, out, _ = run_cli(
        [
            "ddl",
            "--bucket",
            "trail-logs",
            "--org-id",
            "o-abcdef1234",
            "--account",
            "111122223333,444455556666",
            "--regions",
            "us-east-1,eu-west-1",
        ],
        capsys,
    )
    assert code == 0 and "'projection.account.values'='111122223333,444455556666'" in out
    assert "'projection.region.values'='us-east-1,eu-west-1'" in out and out.rstrip().endswith(";")
    code, out, _ = run_cli(
        ["ddl", "--bucket", "trail-logs", "--context", str(PROJECT.fixtures / "contexts/demo.yaml")], capsys
    )
    assert code == 0 and "'projection.account.values'='111122223333'" in out
    code, _, err = run_cli(["ddl", "--bucket", "bad'bucket", "--account", "111122223333"], capsys)
    assert code == 2 and "--bucket" in err
    code, out, err = run_cli(["export", "eventbridge", "--detection", "cloudtrail_logging_stopped"], capsys)
    assert code == 0 and json.loads(out)["rules"][0]["detection"] == "cloudtrail_logging_stopped"
    assert "1 event patterns, 0 SQL only" in err
    target = tmp_path / "t.json"
    code, _, _ = run_cli(
        [
            "export",
            "cloudformation",
            "--database",
            "security",
            "--cloudtrail-bucket",
            "b",
            "--format",
            "json",
            "--output",
            str(target),
            "--detection",
            "discovery_api_burst",
            "--no-staging",
        ],
        capsys,
    )
    assert code == 0 and json.loads(target.read_text())["Resources"]["AthenaWorkGroup"]
    code, out, _ = run_cli(
        [
            "export",
            "sql",
            "--target",
            "trino",
            "--detection",
            "cloudtrail_logging_stopped",
            "--layout",
            "flat",
        ],
        capsys,
    )
    assert code == 0 and out.startswith("-- detection: cloudtrail_logging_stopped\nSELECT")
    code, out, _ = run_cli(
        [
            "export",
            "sql",
            "--detection",
            "cloudtrail_logging_stopped",
            "--scheduled-time",
            "2024-03-13T10:00:00Z",
        ],
        capsys,
    )
    assert code == 0 and "from_iso8601_timestamp('2024-03-13T10:00:00Z')" in out and "(?)" not in out


def test_since_accepts_a_duration_or_a_time() -> None:
    assert parse_since("24h") == timedelta(hours=24)
    assert parse_since("2024-03-11T00:00:00Z").year == 2024
