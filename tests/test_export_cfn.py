"""The scheduled pipeline of the CloudFormation export, for an organisation trail of 50 accounts in every
commercial region with the demo context: every detection in one Map, MaxConcurrency, retries and a Catch
on every task, an alarm on failed runs, one schedule with the scheduled time, no literal ``arn:aws:`` in
anything the template builds, and every EventBridge pattern within 2,048 characters."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CATALOG, PROJECT
from trailhunt.deploy.cloudformation import Deployment
from trailhunt.deploy.ddl import TableSpec
from trailhunt.deploy.eventbridge import PATTERN_QUOTA
from trailhunt.deploy.export import daily_options, dump_template, export_cloudformation, lookback_days
from trailhunt.deploy.regions import COMMERCIAL_REGIONS
from trailhunt.deploy.schedule import Schedule, placeholder_offsets
from trailhunt.deploy.staging import STAGING_TABLE
from trailhunt.deploy.state_machine import MAX_CONCURRENCY, THROTTLED
from trailhunt.findings import CONTRACT_FIELDS
from trailhunt.render.context import load_context
from trailhunt.render.renderer import Renderer

RENDERER = Renderer(PROJECT)
ACCOUNTS = tuple(f"{200000000000 + i:012d}" for i in range(50))
CONTEXT = load_context(PROJECT.fixtures / "contexts/demo.yaml").model_copy(
    update={"account_ids": list(ACCOUNTS)}
)
SCHEDULE = Schedule(
    timedelta(hours=1), timedelta(minutes=15), "projection", "cloudtrail", ACCOUNTS, COMMERCIAL_REGIONS
)
DEPLOYMENT = Deployment("security", "org-trail-logs", SCHEDULE, realtime=True, max_concurrency=6)
CFN_LINT = Path(sys.executable).with_name("cfn-lint")


RAW = TableSpec("org-trail-logs", ACCOUNTS, org_id="o-abcdef1234", table="cloudtrail")


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return export_cloudformation(RENDERER, CATALOG.detections, CONTEXT, DEPLOYMENT, raw=RAW)


def definition(template: dict[str, Any], max_concurrency: int = 6) -> dict[str, Any]:
    text, _ = template["Resources"]["StateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    return json.loads(text.replace("${MaxConcurrency}", str(max_concurrency)))


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def lint(tmp_path: Path, document: dict[str, Any], name: str) -> None:
    files = [tmp_path / f"{name}.yaml", tmp_path / f"{name}.json"]
    files[0].write_text(dump_template(document, "yaml"))
    files[1].write_text(dump_template(document, "json"))
    assert yaml.safe_load(files[0].read_text()) == json.loads(files[1].read_text()) == document
    result = subprocess.run([str(CFN_LINT), *map(str, files)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_org_template_passes_cfn_lint(template, tmp_path) -> None:
    lint(tmp_path, template, "org")


def test_state_machine_definition_passes_cfn_lint_as_an_object(template, tmp_path) -> None:
    """The deployed definition is an Fn::Sub text, which cfn-lint does not look into: lint it as an object."""
    text = json.dumps(definition(template)).replace("${AWS::Partition}", "aws")
    text = re.sub(r"\$\{[A-Za-z]+\}", "x", text)  # the remaining substitutions are plain strings
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}},
    }
    machine = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {"RoleArn": {"Fn::GetAtt": ["Role", "Arn"]}, "Definition": json.loads(text)},
    }
    lint(
        tmp_path,
        {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Role": role, "Machine": machine}},
        "asl",
    )


def test_every_detection_is_in_the_map_with_its_named_query_and_parameter_count(template) -> None:
    states = definition(template)["States"]
    detect, daily = states["Detect"], states["DailyDetect"]
    assert (
        detect["Type"] == daily["Type"] == "Map" and detect["MaxConcurrency"] == daily["MaxConcurrency"] == 6
    )
    looking_back = {d.id for d in CATALOG.detections if lookback_days(d)}
    assert sorted(i["id"] for i in detect["Items"]) == sorted(
        d.id for d in CATALOG.detections if d.id not in looking_back
    )
    sweeps = {f"{i['id']} (late sweep)" for i in detect["Items"]}
    assert {i["id"] for i in daily["Items"]} == looking_back | sweeps  # every detection runs daily too
    hourly = replace(SCHEDULE, layout="staged", table=STAGING_TABLE, accounts=(), regions=())
    for item in detect["Items"] + daily["Items"]:
        detection_id = item["id"].removesuffix(" (late sweep)")
        options = hourly.options(CONTEXT, "athena")
        if item in daily["Items"]:
            options = daily_options(CONTEXT, SCHEDULE.every, late=item["id"] in sweeps)
        query = template["Resources"][item["query"][2:-1]]["Properties"]["QueryString"]
        sql = RENDERER.render(CATALOG.get(detection_id), options)
        assert sql.rstrip() in query and "total_rows" in query
        # hourly: on-time rows of one slot; sweep: the late rows staged into yesterday's slots
        arrivals = {a for a in ("true", "false") if f"late = '{a}' AND slot >" in query}
        if item["id"] in sweeps:  # the late rows staged into yesterday's slots
            assert arrivals == {"true"}
        elif item in detect["Items"]:  # the on-time rows of one slot
            assert arrivals == {"false"}
        else:  # look-back detections: all of yesterday's rows
            assert not arrivals and "late = '" not in query
        assert item["placeholders"] == len(placeholder_offsets(query)) > 0
    assert MAX_CONCURRENCY not in json.dumps(template)
    text, _ = template["Resources"]["StateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    assert (
        '"MaxConcurrency": ${MaxConcurrency}' in text
        and template["Parameters"]["MaxConcurrency"]["Default"] == 6
    )


def test_the_daily_run_summarises_history_then_runs_the_look_back_detections(template) -> None:
    states = definition(template)["States"]
    assert states["Plan"]["Next"] == "Which" and states["Which"]["Default"] == "Stage"
    assert states["Which"]["Choices"][0]["Next"] == "History" and states["History"]["Next"] == "DailyDetect"
    inserts = [i["sql"] for i in states["History"]["Items"]]
    assert [s.split("\n")[0] for s in inserts] == [
        "INSERT INTO trailhunt_principal_history",
        "INSERT INTO trailhunt_config_events",
    ]
    assert all(
        i["placeholders"] == len(placeholder_offsets(i["sql"])) > 0 for i in states["History"]["Items"]
    )
    copy = states["History"]["ItemProcessor"]["States"]["Copy"]
    assert copy["Arguments"]["QueryString"] == "{% $states.input.sql %}"
    assert "ExecutionParameters" in copy["Arguments"]
    [daily] = [
        r
        for r in of_type(template, "AWS::Scheduler::Schedule").values()
        if "daily" in r["Properties"]["Target"]["Input"]
    ]
    assert json.loads(daily["Properties"]["Target"]["Input"])["daily"] is True
    for table, keys in (("HistoryTable", ["day", "dimension"]), ("ConfigTable", ["day"])):
        partitions = template["Resources"][table]["Properties"]["TableInput"]["PartitionKeys"]
        assert [k["Name"] for k in partitions] == keys


def test_every_task_retries_throttling_and_catches_failure(template) -> None:
    branch = definition(template)["States"]["Detect"]["ItemProcessor"]["States"]
    tasks = {name: state for name, state in branch.items() if state["Type"] == "Task"}
    assert set(tasks) == {"GetQuery", "RunQuery", "GetResults"}
    for state in tasks.values():
        [retry] = state["Retry"]
        assert (
            set(THROTTLED) <= set(retry["ErrorEquals"])
            and retry["BackoffRate"] > 1
            and retry["MaxAttempts"] >= 5
        )
        assert state["Catch"] == [
            {"ErrorEquals": ["States.ALL"], "Output": state["Catch"][0]["Output"], "Next": "Failed"}
        ]
    assert "ExecutionParameters" in tasks["RunQuery"]["Arguments"]
    assert tasks["GetQuery"]["Output"] == "{% $states.input %}"  # a later Catch still names the detection
    results = tasks["GetResults"]["Output"]
    assert (
        all(f"'{c}'" in results for c in CONTRACT_FIELDS)
        and "total_rows" in results
        and "${Console}" in results
    )


def test_run_summary_goes_to_sns_on_findings_or_failures_and_failed_runs_alarm(template) -> None:
    states = definition(template)["States"]
    assert "fired" in states["Summarise"]["Output"] and "failed" in states["Summarise"]["Output"]
    assert "bytes_scanned" in states["Summarise"]["Output"]
    assert states["Notify"]["Resource"] == "arn:${AWS::Partition}:states:::sns:publish"
    assert states["RunFailed"]["Type"] == "Fail"
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    metrics = {a["Properties"]["MetricName"] for a in alarms.values()}
    assert {"ExecutionsFailed", "ExecutionsTimedOut"} <= metrics
    for alarm in alarms.values():
        assert alarm["Properties"]["Dimensions"] == [
            {"Name": "StateMachineArn", "Value": {"Ref": "StateMachine"}}
        ]
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "Topic"}]
    [policy] = of_type(template, "AWS::SNS::TopicPolicy").values()
    principals = {s["Principal"]["Service"] for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    assert principals == {"cloudwatch.amazonaws.com", "events.amazonaws.com"}


def test_one_schedule_passes_the_scheduled_time(template) -> None:
    schedule = template["Resources"]["RunSchedule"]
    target = schedule["Properties"]["Target"]
    assert json.loads(target["Input"]) == {"scheduled": "<aws.scheduler.scheduled-time>"}
    assert schedule["Properties"]["ScheduleExpression"] == "cron(15 * * * ? *)"  # 15-minute lag
    assert schedule["Properties"]["ScheduleExpressionTimezone"] == "UTC"


def test_every_detection_is_scheduled_even_with_a_rule(template) -> None:
    rules = of_type(template, "AWS::Events::Rule")
    states = definition(template)["States"]
    items = {
        i["id"].removesuffix(" (late sweep)")
        for i in states["Detect"]["Items"] + states["DailyDetect"]["Items"]
    }
    ruled = {r["Properties"]["Description"].split()[1].rstrip(":") for r in rules.values()}
    assert rules and ruled <= items == {d.id for d in CATALOG.detections}


def _strings(node: Any, skip: frozenset[str]) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() if k not in skip for s in _strings(v, skip)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v, skip)]
    return [node] if isinstance(node, str) else []


def test_no_literal_aws_partition_in_what_the_template_builds(template) -> None:
    """ARNs in detection SQL and event patterns are data (CloudTrail's own values); everything else uses
    ${AWS::Partition}."""
    built = _strings(template, frozenset({"QueryString", "EventPattern"}))
    assert not [s for s in built if "arn:aws:" in s]
    assert any("arn:${AWS::Partition}:states:::athena:startQueryExecution.sync" in s for s in built)


def test_every_pattern_fits_the_default_quota(template) -> None:
    for name, rule in of_type(template, "AWS::Events::Rule").items():
        size = len(json.dumps(rule["Properties"]["EventPattern"], separators=(",", ":")))
        assert size <= PATTERN_QUOTA, name


def test_realtime_only_stack_is_rules_and_topic(tmp_path) -> None:
    document = export_cloudformation(RENDERER, CATALOG.detections, CONTEXT, DEPLOYMENT, realtime_only=True)
    kinds = {r["Type"] for r in document["Resources"].values()}
    assert kinds == {
        "AWS::SNS::Topic",
        "AWS::SNS::Subscription",
        "AWS::Events::Rule",
        "AWS::SNS::TopicPolicy",
    }
    lint(tmp_path, document, "realtime")


def test_each_run_first_stages_the_new_files_once_then_detects_on_parquet(template) -> None:
    states = definition(template)["States"]
    assert states["Which"]["Default"] == "Stage" and states["Stage"]["Next"] == "Detect"
    chunks = states["Stage"]["Items"]
    assert len(chunks) == 25  # 50 accounts x 34 regions, at most 100 partitions per INSERT
    assert [a for c in chunks for a in c["accounts"]] == list(ACCOUNTS)
    copy = states["Stage"]["ItemProcessor"]["States"]["Copy"]
    assert (
        copy["Arguments"]["QueryString"].startswith("{% (")
        and "INSERT INTO trailhunt_staging" in copy["Arguments"]["QueryString"]
    )
    assert copy["Catch"][0]["ErrorEquals"] == ["States.ALL"] and set(THROTTLED) <= set(
        copy["Retry"][0]["ErrorEquals"]
    )
    table = template["Resources"]["StagingTable"]["Properties"]["TableInput"]
    assert [k["Name"] for k in table["PartitionKeys"]] == ["slot", "late"]
    assert table["Parameters"]["parquet.compression"] == "ZSTD"
    for item in states["Detect"]["Items"]:
        sql = template["Resources"][item["query"][2:-1]]["Properties"]["QueryString"]
        assert (
            "FROM trailhunt_staging" in sql
            and "late = 'false' AND slot >" in sql
            and "FROM cloudtrail" not in sql
        )
    rules = template["Resources"]["ResultsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {r["Prefix"]: r["ExpirationInDays"] for r in rules} == {
        "athena/": 30,
        "staging/": 3,  # the look-back detections read the history tables, not staged days
        "history/": 400,
    }
