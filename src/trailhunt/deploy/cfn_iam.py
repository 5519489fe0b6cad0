"""IAM and intrinsic-function helpers of the CloudFormation export: roles that name their resources.

The state machine may use this workgroup, read the database's tables and the trail bucket, write the
results bucket (where the staging and history tables also live), publish to the topic, and decrypt
with the trail's key if one is given. The scheduler may start this state machine only. Every ARN is
built with ``${AWS::Partition}``, so the template deploys in GovCloud and China as well.
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


def run_schedule(description: str, expression: str, run_input: str) -> dict[str, Any]:
    """An ``AWS::Scheduler::Schedule`` that starts the state machine with ``run_input`` (UTC, no
    flexible window, retried for an hour)."""
    return {
        "Type": "AWS::Scheduler::Schedule",
        "Properties": {
            "Description": description,
            "ScheduleExpression": expression,
            "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "State": "ENABLED",
            "Target": {
                "Arn": ref("StateMachine"),
                "RoleArn": arn("SchedulerRole"),
                "Input": run_input,
                "RetryPolicy": {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 20},
            },
        },
    }


def parquet_table(
    name: str, columns: list[tuple[str, str]], partitions: list[str], location: object
) -> dict[str, Any]:
    """An ``AWS::Glue::Table`` of ZSTD parquet files in the stack's database, partitioned by string keys."""
    serde = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    return {
        "Type": "AWS::Glue::Table",
        "Properties": {
            "CatalogId": ref("AWS::AccountId"),
            "DatabaseName": ref("Database"),
            "TableInput": {
                "Name": name,
                "TableType": "EXTERNAL_TABLE",
                "Parameters": {"classification": "parquet", "parquet.compression": "ZSTD"},
                "PartitionKeys": [{"Name": k, "Type": "string"} for k in partitions],
                "StorageDescriptor": {
                    "Columns": [{"Name": n, "Type": t} for n, t in columns],
                    "Location": location,
                    "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                    "SerdeInfo": {"SerializationLibrary": serde},
                },
            },
        },
    }


def policy(name: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    """An inline IAM policy."""
    return {"PolicyName": name, "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}


def allow(actions: list[str], resources: list[Any]) -> dict[str, Any]:
    """An Allow statement."""
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


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


def state_machine_role(tables: list[str]) -> dict[str, Any]:
    """The state machine's role: this workgroup, these tables, the two buckets, the topic, the trail's key."""
    workgroup = sub("arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${WorkGroup}")
    glue = "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}"
    read = ["glue:GetDatabase", "glue:GetTable", "glue:GetPartition", "glue:GetPartitions"]
    write = ["glue:BatchCreatePartition", "glue:CreatePartition", "glue:UpdatePartition"]
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
            read + write * (len(tables) > 1),
            [sub(f"{glue}:catalog"), sub(f"{glue}:database/${{Database}}")]
            + [sub(f"{glue}:table/${{Database}}/{table}") for table in tables],
        ),
        allow(
            ["s3:GetBucketLocation", "s3:ListBucket"],
            [sub("arn:${AWS::Partition}:s3:::${CloudTrailBucket}"), arn("ResultsBucket")],
        ),
        allow(["s3:ListBucketMultipartUploads"], [arn("ResultsBucket")]),
        allow(["s3:GetObject"], [sub("arn:${AWS::Partition}:s3:::${CloudTrailBucket}/*")]),
        allow(
            [
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject",
                "s3:AbortMultipartUpload",
                "s3:ListMultipartUploadParts",
            ],
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


def scheduler_role() -> dict[str, Any]:
    """The scheduler's role: start this state machine, nothing else."""
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": trust("scheduler.amazonaws.com"),
            "Policies": [
                policy("start-detections", [allow(["states:StartExecution"], [ref("StateMachine")])])
            ],
        },
    }
