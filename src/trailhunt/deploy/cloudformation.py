"""A CloudFormation template deploying the catalogue: Athena named queries run on a schedule, and
EventBridge rules for the detections that compile to event patterns, all alerting one SNS topic.

Scheduled path: EventBridge Scheduler → one Step Functions state machine (get the named query,
``athena:startQueryExecution.sync``, ``getQueryResults``, publish to SNS when rows came back). The
schedule passes only the named query id, so the SQL lives once, in the named query. The workgroup
enforces ``BytesScannedCutoffPerQuery``. IAM roles name their resources: the scheduler may start
this state machine only; the state machine may use this workgroup, read this table and its log
bucket, write the results bucket and publish to this topic.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from trailhunt.catalog.detection import Detection
from trailhunt.deploy.eventbridge import Rule
from trailhunt.deploy.schedule import Schedule
from trailhunt.deploy.state_machine import (
    allow,
    arn,
    policy,
    ref,
    state_machine_definition,
    state_machine_role,
    sub,
    trust,
)
from trailhunt.identifiers import identifier

MIN_CUTOFF = 10_000_000  # Athena's smallest BytesScannedCutoffPerQuery


@dataclass(frozen=True)
class Deployment:
    """Where scheduled queries run, what they read, and what each may scan."""

    database: str
    cloudtrail_bucket: str
    schedule: Schedule = field(default_factory=Schedule)
    max_bytes_per_query: int = 10 * 1024**3
    schedule_all: bool = False  # also schedule detections that have an EventBridge rule

    def __post_init__(self) -> None:
        identifier(self.database, "database")


def _logical(prefix: str, detection_id: str) -> str:
    return prefix + "".join(part.capitalize() for part in re.split(r"[^a-zA-Z0-9]", detection_id) if part)


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
        "AlertEmail": {"Type": "String", "Default": "", "Description": "subscribe this address to the topic"},
    }


def _shared_resources(deployment: Deployment) -> dict[str, Any]:
    return {
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "trailhunt findings"}},
        "AlertSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasEmail",
            "Properties": {"TopicArn": ref("Topic"), "Protocol": "email", "Endpoint": ref("AlertEmail")},
        },
        "ResultsBucket": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]
                },
                "PublicAccessBlockConfiguration": dict.fromkeys(
                    ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"],
                    True,
                ),
                "LifecycleConfiguration": {
                    "Rules": [{"Id": "expire-results", "Status": "Enabled", "ExpirationInDays": 30}]
                },
            },
        },
        "AthenaWorkGroup": {
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
        },
        "StateMachineRole": state_machine_role(deployment.schedule.table),
        "StateMachine": {
            "Type": "AWS::StepFunctions::StateMachine",
            "DependsOn": "AthenaWorkGroup",
            "Properties": {
                "RoleArn": arn("StateMachineRole"),
                "Definition": state_machine_definition(),
                "DefinitionSubstitutions": {
                    "WorkGroup": ref("WorkGroup"),
                    "Database": ref("Database"),
                    "Topic": ref("Topic"),
                },
            },
        },
        "SchedulerRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": trust("scheduler.amazonaws.com"),
                "Policies": [
                    policy("start-detections", [allow(["states:StartExecution"], [ref("StateMachine")])])
                ],
            },
        },
    }


def _named_query(detection: Detection, sql: str) -> dict[str, Any]:
    return {
        "Type": "AWS::Athena::NamedQuery",
        "DependsOn": "AthenaWorkGroup",
        "Properties": {
            "Name": detection.id,
            "Description": detection.meta.title[:1024],
            "Database": ref("Database"),
            "WorkGroup": ref("WorkGroup"),
            "QueryString": sql,
        },
    }


def _schedule(detection: Detection, query: str, deployment: Deployment) -> dict[str, Any]:
    payload = json.dumps({"detection": detection.id, "namedQueryId": "${QueryId}"})
    return {
        "Type": "AWS::Scheduler::Schedule",
        "Properties": {
            "Description": f"trailhunt {detection.id}",
            "ScheduleExpression": deployment.schedule.expression,
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "State": "ENABLED",
            "Target": {
                "Arn": ref("StateMachine"),
                "RoleArn": arn("SchedulerRole"),
                "Input": {"Fn::Sub": [payload, {"QueryId": ref(query)}]},
            },
        },
    }


def _event_rule(detection: Detection, rule: Rule) -> dict[str, Any]:
    return {
        "Type": "AWS::Events::Rule",
        "Properties": {
            "Description": f"trailhunt {detection.id}: {detection.meta.title}"[:512],
            "EventPattern": rule.pattern,
            "State": rule.state,
            "Targets": [{"Arn": ref("Topic"), "Id": "findings-topic"}],
        },
    }


def template(deployment: Deployment, items: list[tuple[Detection, str, Rule]]) -> dict[str, Any]:
    """The template for ``items``: (detection, scheduled Athena SQL, EventBridge rule) each."""
    resources = _shared_resources(deployment)
    rule_arns = []
    for detection, sql, rule in items:
        query = _logical("Query", detection.id)
        resources[query] = _named_query(detection, sql)
        if rule.compiled:
            name = _logical("Rule", detection.id)
            resources[name] = _event_rule(detection, rule)
            rule_arns.append(arn(name))
        if not rule.compiled or deployment.schedule_all:
            resources[_logical("Schedule", detection.id)] = _schedule(detection, query, deployment)
    if rule_arns:
        statement = {
            "Sid": "EventBridgeRules",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": ref("Topic"),
            "Condition": {"ArnEquals": {"aws:SourceArn": rule_arns}},
        }
        resources["TopicPolicy"] = {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {
                "Topics": [ref("Topic")],
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
            },
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "trailhunt: scheduled Athena detections and EventBridge rules alerting one SNS topic",
        "Parameters": _parameters(deployment),
        "Conditions": {
            "HasEmail": {"Fn::Not": [{"Fn::Equals": [ref("AlertEmail"), ""]}]},
            "HasLogKey": {"Fn::Not": [{"Fn::Equals": [ref("CloudTrailKmsKeyArn"), ""]}]},
        },
        "Resources": resources,
        "Outputs": {
            "TopicArn": {"Value": ref("Topic")},
            "StateMachineArn": {"Value": ref("StateMachine")},
            "WorkGroupName": {"Value": ref("AthenaWorkGroup")},
        },
    }
