"""Alerting resources of the CloudFormation export: the SNS topic, the alarms on failed runs, the
optional EventBridge rules (one per deployed pattern) and the topic policy letting exactly those
alarms and rules publish."""

from __future__ import annotations

import re
from typing import Any

from trailhunt.catalog.detection import Detection
from trailhunt.deploy.cfn_iam import arn, ref
from trailhunt.deploy.eventbridge import Rule


def logical(prefix: str, detection_id: str) -> str:
    """A CloudFormation logical id: ``prefix`` + the id in CamelCase."""
    return prefix + "".join(part.capitalize() for part in re.split(r"[^a-zA-Z0-9]", detection_id) if part)


def topic() -> dict[str, Any]:
    """The findings topic and its optional e-mail subscription."""
    return {
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "trailhunt findings"}},
        "AlertSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasEmail",
            "Properties": {"TopicArn": ref("Topic"), "Protocol": "email", "Endpoint": ref("AlertEmail")},
        },
    }


def alarm(metric: str, what: str) -> dict[str, Any]:
    """An alarm on the state machine's ``metric`` (runs that failed or timed out), alerting the topic."""
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": f"trailhunt: a scheduled run {what}; its detections did not all run",
            "Namespace": "AWS/States",
            "MetricName": metric,
            "Dimensions": [{"Name": "StateMachineArn", "Value": ref("StateMachine")}],
            "Statistic": "Sum",
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [ref("Topic")],
        },
    }


def event_rule(detection: Detection, state: str, pattern: dict[str, Any]) -> dict[str, Any]:
    """One EventBridge rule for one deployed pattern of ``detection``, publishing to the topic."""
    return {
        "Type": "AWS::Events::Rule",
        "Properties": {
            "Description": f"trailhunt {detection.id}: {detection.meta.title}"[:512],
            "EventPattern": pattern,
            "State": state,
            "Targets": [{"Arn": ref("Topic"), "Id": "findings-topic"}],
        },
    }


def event_rules(items: list[tuple[Detection, str, Rule]]) -> dict[str, Any]:
    """One rule per deployed pattern (a pattern over the quota is split into several)."""
    rules = {}
    for detection, _, rule in items:
        for index, part in enumerate(rule.parts, start=1):
            suffix = f"Part{index}" if len(rule.parts) > 1 else ""
            rules[logical("Rule", detection.id) + suffix] = event_rule(detection, rule.state, part)
    return rules


def topic_policy(rule_arns: list[Any], alarms: list[str]) -> dict[str, Any]:
    statements = []
    if alarms:
        statements.append(publisher("Alarms", "cloudwatch.amazonaws.com", [arn(a) for a in alarms]))
    if rule_arns:
        statements.append(publisher("EventBridgeRules", "events.amazonaws.com", rule_arns))
    return {
        "Type": "AWS::SNS::TopicPolicy",
        "Properties": {
            "Topics": [ref("Topic")],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
        },
    }


def publisher(sid: str, service: str, sources: list[Any]) -> dict[str, Any]:
    """A topic-policy statement letting ``service`` publish from exactly ``sources``."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sns:Publish",
        "Resource": ref("Topic"),
        "Condition": {"ArnEquals": {"aws:SourceArn": sources}},
    }
