"""A CloudFormation template deploying the catalogue: every detection runs on Athena on one schedule.

EventBridge Scheduler starts one Step Functions execution per interval (``export_cfn_pipeline``): a
``Map`` over every detection's named query, bound to the run's scheduled time, one SNS summary when
anything fired or failed, and a CloudWatch alarm when an execution fails or times out. The workgroup
enforces ``BytesScannedCutoffPerQuery``. EventBridge rules are an optional real-time addition
(``realtime``), never the only coverage; ``realtime_template`` is the rules-only stack to deploy in
every region (StackSets). Roles are in ``export_cfn_iam``, topic/alarms/rules in ``export_cfn_alerts``,
the staging tables and the daily run in ``export_cfn_staging``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from trailhunt.catalog.detection import Detection
from trailhunt.deploy.cfn_alerts import alarm, event_rules, logical, topic, topic_policy
from trailhunt.deploy.cfn_iam import arn, ref, run_schedule, scheduler_role, state_machine_role, sub
from trailhunt.deploy.cfn_staging import (
    DAILY_TIMEOUT,
    daily_resources,
    history_sql,
    lifecycle_rules,
    staging_resources,
)
from trailhunt.deploy.eventbridge import Rule
from trailhunt.deploy.history import CONFIG_TABLE, HISTORY_TABLE
from trailhunt.deploy.schedule import Schedule, placeholder_offsets
from trailhunt.deploy.staging import Staging
from trailhunt.deploy.state_machine import MAX_CONCURRENCY, state_machine_definition
from trailhunt.identifiers import identifier

LOOKBACK_PARAMETERS = ("lookback_days", "history_days")  # parameters that widen in_window()
MIN_CUTOFF = 10_000_000  # Athena's smallest BytesScannedCutoffPerQuery
CONSOLE_HOSTS = {
    "aws": "console.aws.amazon.com",
    "aws-us-gov": "console.amazonaws-us-gov.com",
    "aws-cn": "console.amazonaws.cn",
}


@dataclass(frozen=True)
class Deployment:
    """Where scheduled queries run, what they read, and what each may scan."""

    database: str
    cloudtrail_bucket: str
    schedule: Schedule = field(default_factory=Schedule)
    max_bytes_per_query: int = 10 * 1024**3
    realtime: bool = False  # also deploy EventBridge rules in this stack's region
    max_concurrency: int = 5  # Athena queries of one run at once; the smallest default quota is 20
    raw_table: str = "cloudtrail"  # the CloudTrail table the staging copy reads

    def __post_init__(self) -> None:
        identifier(self.database, "database")


def with_total(sql: str) -> str:
    """The detection with a ``total_rows`` column first, so an alert can say how many rows there were."""
    return f"SELECT count(*) OVER () AS total_rows, finding.*\nFROM (\n{sql.rstrip().rstrip(';')}\n) AS finding\n"


def _parameters(deployment: Deployment) -> dict[str, Any]:
    return {
        "Database": {"Type": "String", "Default": deployment.database, "AllowedPattern": "^[a-z0-9_]+$"},
        "CloudTrailBucket": {"Type": "String", "Default": deployment.cloudtrail_bucket},
        "CloudTrailKmsKeyArn": {
            "Type": "String",
            "Default": "",
            "Description": "KMS key of the trail, if any",
        },
        "WorkGroup": {"Type": "String", "Default": "trailhunt", "AllowedPattern": "^[a-zA-Z0-9._-]{1,128}$"},
        "MaxBytesPerQuery": {
            "Type": "Number",
            "Default": max(deployment.max_bytes_per_query, MIN_CUTOFF),
            "MinValue": MIN_CUTOFF,
        },
        "MaxConcurrency": {
            "Type": "Number",
            "Default": deployment.max_concurrency,
            "MinValue": 1,
            "MaxValue": 100,
            "Description": "queries of one run at once (keep below the account's Athena DML quota)",
        },
        "AlertEmail": {"Type": "String", "Default": "", "Description": "subscribe this address to the topic"},
    }


def _bucket(lifecycle: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            },
            "PublicAccessBlockConfiguration": dict.fromkeys(
                ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], True
            ),
            "LifecycleConfiguration": {"Rules": lifecycle},
        },
    }


def _workgroup() -> dict[str, Any]:
    return {
        "Type": "AWS::Athena::WorkGroup",
        "Properties": {
            "Name": ref("WorkGroup"),
            "RecursiveDeleteOption": True,
            "WorkGroupConfiguration": {
                "BytesScannedCutoffPerQuery": ref("MaxBytesPerQuery"),
                "EnforceWorkGroupConfiguration": True,
                "PublishCloudWatchMetricsEnabled": True,
                "ResultConfiguration": {
                    "OutputLocation": sub("s3://${ResultsBucket}/athena/"),
                    "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"},
                },
            },
        },
    }


def _named_query(name: str, description: str, sql: str) -> dict[str, Any]:
    return {
        "Type": "AWS::Athena::NamedQuery",
        "DependsOn": "AthenaWorkGroup",
        "Properties": {
            "Name": name,
            "Description": description[:1024],
            "Database": ref("Database"),
            "WorkGroup": ref("WorkGroup"),
            "QueryString": sql,
        },
    }


def _state_machine(
    deployment: Deployment,
    items: list[dict[str, Any]],
    stage: tuple[list[dict[str, Any]], str] | None,
    tables: list[str],
    daily: tuple[list[dict[str, Any]], list[str]] | None = None,
) -> dict[str, Any]:
    schedule = deployment.schedule
    minutes = lambda d: int(d.total_seconds() // 60)  # noqa: E731
    window = f"[scheduled - {minutes(schedule.every + schedule.lag)}m, scheduled - {minutes(schedule.lag)}m)"
    timeout = (
        int(max(schedule.every, DAILY_TIMEOUT).total_seconds())
        if daily
        else int(schedule.every.total_seconds()) * 2
    )
    definition = state_machine_definition(items, window, timeout, stage, daily)
    console = "https://${AWS::Region}.${Host}/athena/home?region=${AWS::Region}#/query-editor/history/"
    text = json.dumps(definition, indent=1).replace(f'"{MAX_CONCURRENCY}"', "${MaxConcurrency}")
    return {
        "StateMachineRole": state_machine_role(tables),
        "StateMachine": {
            "Type": "AWS::StepFunctions::StateMachine",
            "DependsOn": "AthenaWorkGroup",
            "Properties": {
                "RoleArn": arn("StateMachineRole"),
                # Fn::Sub resolves ${AWS::Partition}, the parameters, the topic and each named query id
                "DefinitionString": {
                    "Fn::Sub": [
                        text,
                        {
                            "Console": {
                                "Fn::Sub": [
                                    console,
                                    {"Host": {"Fn::FindInMap": ["Console", ref("AWS::Partition"), "Host"]}},
                                ]
                            }
                        },
                    ]
                },
            },
        },
        "SchedulerRole": scheduler_role(),
        "RunSchedule": run_schedule(
            "trailhunt: one run of every detection per interval",
            schedule.expression,
            '{"scheduled": "<aws.scheduler.scheduled-time>"}',
        ),
        "FailedRunsAlarm": alarm("ExecutionsFailed", "failed"),
        "TimedOutRunsAlarm": alarm("ExecutionsTimedOut", "timed out"),
    }


def staging_retention_days(daily: list[tuple[Detection, str]]) -> int:
    """Days of staged parquet to keep: three (today, yesterday for the daily run and its sweep, and a
    day to re-run a failed daily run), plus the look-back of any daily query still re-reading staged
    days (one whose baseline is not on the history tables)."""
    days = [
        lookback_days(d)
        for d, sql in daily
        if lookback_days(d) and HISTORY_TABLE not in sql and CONFIG_TABLE not in sql
    ]
    return max(days, default=0) + 3


def template(
    deployment: Deployment,
    items: list[tuple[Detection, str, Rule]],
    staging: Staging | None = None,
    daily: list[tuple[Detection, str]] | None = None,
) -> dict[str, Any]:
    """The template for ``items`` (detection, scheduled Athena SQL, EventBridge rule), staged or not;
    ``daily``: look-back detections (with their daily SQL) moved to the daily run with the history job."""
    lifecycle = lifecycle_rules(staging_retention_days(daily or [])) if staging else lifecycle_rules(0)[:1]
    resources: dict[str, Any] = {
        **topic(),
        "ResultsBucket": _bucket(lifecycle),
        "AthenaWorkGroup": _workgroup(),
    }
    stage = None
    tables = [deployment.schedule.table]
    if staging:
        staged, stage = staging_resources(staging, deployment.raw_table)
        resources.update(staged)
        tables = [deployment.raw_table, staging.table]
    daily_ids = {d.id for d, _ in daily or [] if lookback_days(d)}
    map_items = [_query(resources, d, sql) for d, sql, _ in items if d.id not in daily_ids]
    daily_run = None
    if daily:  # look-back detections over yesterday, and every other detection's late-delivery sweep
        daily_items = [_query(resources, d, sql, "" if d.id in daily_ids else "Sweep") for d, sql in daily]
        daily_run = (daily_items, history_sql(deployment.schedule.every))
        resources.update(daily_resources())
        tables += [HISTORY_TABLE, CONFIG_TABLE]
    resources.update(_state_machine(deployment, map_items, stage, tables, daily_run))
    rules = event_rules(items) if deployment.realtime else {}
    resources.update(rules)
    resources["TopicPolicy"] = topic_policy([arn(r) for r in rules], ["FailedRunsAlarm", "TimedOutRunsAlarm"])
    return _document(
        "trailhunt: every detection scheduled on Athena (one Step Functions run per interval)"
        + (", plus real-time EventBridge rules" if rules else ""),
        _parameters(deployment),
        resources,
        {
            "StateMachineArn": {"Value": ref("StateMachine")},
            "WorkGroupName": {"Value": ref("AthenaWorkGroup")},
        },
    )


def _query(resources: dict[str, Any], detection: Detection, sql: str, kind: str = "") -> dict[str, Any]:
    """Add the detection's named query (``kind`` "Sweep": its late-delivery sweep) to ``resources``."""
    name = logical("Query" + kind, detection.id)
    label = f"{detection.id} late-delivery sweep" if kind else detection.id
    resources[name] = _named_query(label, detection.meta.title, with_total(sql))
    item_id = f"{detection.id} (late sweep)" if kind else detection.id
    return {"id": item_id, "query": "${" + name + "}", "placeholders": len(placeholder_offsets(sql))}


def lookback_days(detection: Detection) -> int:
    """How many days before its window a detection reads (its look-back parameter, else 0)."""
    values = [v for k, v in detection.meta.parameters.items() if k in LOOKBACK_PARAMETERS]
    return max((v for v in values if isinstance(v, int)), default=0)


def realtime_template(items: list[tuple[Detection, str, Rule]]) -> dict[str, Any]:
    """Rules-only stack (topic, rules, topic policy) to deploy in every region, e.g. with StackSets."""
    rules = event_rules(items)
    resources = {**topic(), **rules, "TopicPolicy": topic_policy([arn(r) for r in rules], [])}
    parameters = {"AlertEmail": _parameters(Deployment("x", "x"))["AlertEmail"]}
    return _document("trailhunt: real-time EventBridge rules for this region", parameters, resources, {})


def _document(
    description: str, parameters: dict[str, Any], resources: dict[str, Any], outputs: dict[str, Any]
) -> dict[str, Any]:
    conditions: dict[str, Any] = {"HasEmail": {"Fn::Not": [{"Fn::Equals": [ref("AlertEmail"), ""]}]}}
    if "CloudTrailKmsKeyArn" in parameters:
        conditions["HasLogKey"] = {"Fn::Not": [{"Fn::Equals": [ref("CloudTrailKmsKeyArn"), ""]}]}
    document: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": description,
        "Parameters": parameters,
        "Conditions": conditions,
        "Resources": resources,
        "Outputs": {"TopicArn": {"Value": ref("Topic")}, **outputs},
    }
    if "StateMachine" in resources:
        document["Mappings"] = {"Console": {p: {"Host": h} for p, h in CONSOLE_HOSTS.items()}}
    return document
