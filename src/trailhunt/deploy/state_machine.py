"""The scheduled pipeline of the CloudFormation export: the Step Functions definition and the IAM roles.

One state machine serves every detection: it reads the named query whose id the schedule passes,
runs it with ``athena:startQueryExecution.sync``, reads the first rows and publishes to SNS when any
came back. Roles name their resources (``${WorkGroup}``, ``${Database}``, the log and results
buckets, the topic); nothing is granted on ``*``.
"""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    """``{"Ref": name}``."""
    return {"Ref": name}


def arn(name: str) -> dict[str, list[str]]:
    """The ``Arn`` attribute of resource ``name``."""
    return {"Fn::GetAtt": [name, "Arn"]}


def sub(text: str) -> dict[str, str]:
    """``Fn::Sub`` of ``text``."""
    return {"Fn::Sub": text}


def state_machine_definition() -> dict[str, Any]:
    """Get the named query, run it, alert on rows (``${WorkGroup}``/``${Database}``/``${Topic}`` substituted)."""
    return {
        "Comment": "trailhunt: run one detection's named query; alert when it returns rows",
        "StartAt": "GetQuery",
        "States": {
            "GetQuery": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:athena:getNamedQuery",
                "Parameters": {"NamedQueryId.$": "$.namedQueryId"},
                "ResultSelector": {"QueryString.$": "$.NamedQuery.QueryString"},
                "ResultPath": "$.named",
                "Next": "RunQuery",
            },
            "RunQuery": {
                "Type": "Task",
                "Resource": "arn:aws:states:::athena:startQueryExecution.sync",
                "Parameters": {
                    "QueryString.$": "$.named.QueryString",
                    "WorkGroup": "${WorkGroup}",
                    "QueryExecutionContext": {"Database": "${Database}"},
                },
                "Retry": [
                    {"ErrorEquals": ["Athena.TooManyRequestsException"], "MaxAttempts": 3, "BackoffRate": 2}
                ],
                "ResultPath": "$.execution",
                "Next": "GetResults",
            },
            "GetResults": {
                "Type": "Task",
                "Resource": "arn:aws:states:::athena:getQueryResults",
                "Parameters": {
                    "QueryExecutionId.$": "$.execution.QueryExecution.QueryExecutionId",
                    "MaxResults": 21,
                },
                "ResultPath": "$.results",
                "Next": "AnyRows",
            },
            "AnyRows": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.results.ResultSet.Rows[1]", "IsPresent": True, "Next": "Notify"}],
                "Default": "NoFindings",
            },
            "Notify": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {
                    "TopicArn": "${Topic}",
                    "Subject.$": "States.Format('trailhunt finding: {}', $.detection)",
                    "Message.$": "States.JsonToString($.results.ResultSet.Rows)",
                },
                "End": True,
            },
            "NoFindings": {"Type": "Succeed"},
        },
    }


def policy(name: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    """An inline IAM policy."""
    return {"PolicyName": name, "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}


def allow(actions: list[str], resources: list[Any]) -> dict[str, Any]:
    """An Allow statement."""
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def state_machine_role(table: str) -> dict[str, Any]:
    """The state machine's role: this workgroup, this table, the two buckets, the topic, the trail's key."""
    workgroup = sub("arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${WorkGroup}")
    glue = "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}"
    statements = [
        allow(
            [
                "athena:GetNamedQuery",
                "athena:StartQueryExecution",
                "athena:StopQueryExecution",
                "athena:GetQueryExecution",
                "athena:GetQueryResults",
            ],
            [workgroup],
        ),
        allow(
            ["athena:GetDataCatalog"],
            [sub("arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:datacatalog/AwsDataCatalog")],
        ),
        allow(
            ["glue:GetDatabase", "glue:GetTable", "glue:GetPartition", "glue:GetPartitions"],
            [
                sub(f"{glue}:catalog"),
                sub(f"{glue}:database/${{Database}}"),
                sub(f"{glue}:table/${{Database}}/{table}"),
            ],
        ),
        allow(
            ["s3:GetBucketLocation", "s3:ListBucket"],
            [sub("arn:${AWS::Partition}:s3:::${CloudTrailBucket}"), arn("ResultsBucket")],
        ),
        allow(["s3:ListBucketMultipartUploads"], [arn("ResultsBucket")]),
        allow(["s3:GetObject"], [sub("arn:${AWS::Partition}:s3:::${CloudTrailBucket}/*")]),
        allow(
            ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            [sub("${ResultsBucket.Arn}/*")],
        ),
        allow(["sns:Publish"], [ref("Topic")]),
        {
            "Fn::If": [
                "HasLogKey",
                allow(["kms:Decrypt"], [ref("CloudTrailKmsKeyArn")]),
                ref("AWS::NoValue"),
            ]
        },
    ]
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": trust("states.amazonaws.com"),
            "Policies": [policy("run-detections", statements)],
        },
    }


def trust(service: str) -> dict[str, Any]:
    """A trust policy for ``service``, limited to this account."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}},
            }
        ],
    }
