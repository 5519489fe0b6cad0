"""CloudTrail, GuardDuty, KMS, Secrets Manager and CloudWatch Logs records: who watches, who holds keys."""

from __future__ import annotations

from random import Random

from tools.synth.ids import iso
from tools.synth.inventory import LOG_BUCKET, TRAIL_ARN
from tools.synth.principals import ACCOUNT, Caller
from tools.synth.record import Event, record

CLOUDTRAIL = "cloudtrail.amazonaws.com"
GUARDDUTY = "guardduty.amazonaws.com"
KMS = "kms.amazonaws.com"
LOGS = "logs.amazonaws.com"
SECRETS = "secretsmanager.amazonaws.com"


def selector(read_write: str, management: bool, data: list[dict[str, object]]) -> dict[str, object]:
    """One basic event selector as PutEventSelectors takes it."""
    return {
        "readWriteType": read_write,
        "includeManagementEvents": management,
        "dataResources": data,
        "excludeManagementEventSources": [],
    }


def s3_data_resource(buckets: list[str]) -> dict[str, object]:
    """A data resource logging object-level events of ``buckets``."""
    return {"type": "AWS::S3::Object", "values": [f"arn:aws:s3:::{b}/" for b in buckets]}


def stop_logging(rng: Random, caller: Caller, t: int, trail_arn: str) -> Event:
    """StopLogging on a trail, named by its ARN."""
    return record(rng, caller, t, "us-east-1", CLOUDTRAIL, "StopLogging", {"name": trail_arn}, None)


def put_event_selectors(
    rng: Random, caller: Caller, t: int, trail: str, selectors: list[dict[str, object]]
) -> Event:
    """PutEventSelectors replacing the trail's selectors; the response echoes them."""
    arn = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{trail}"
    response = {"trailARN": arn, "eventSelectors": selectors}
    return record(
        rng,
        caller,
        t,
        "us-east-1",
        CLOUDTRAIL,
        "PutEventSelectors",
        {"trailName": trail, "eventSelectors": selectors},
        response,
    )


def update_trail(rng: Random, caller: Caller, t: int, trail: str) -> Event:
    """UpdateTrail turning on log file validation (a hardening change)."""
    params = {"name": trail, "enableLogFileValidation": True, "isMultiRegionTrail": True}
    response = {
        "name": trail,
        "s3BucketName": LOG_BUCKET,
        "includeGlobalServiceEvents": True,
        "isMultiRegionTrail": True,
        "trailARN": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{trail}",
        "logFileValidationEnabled": True,
        "isOrganizationTrail": False,
    }
    return record(rng, caller, t, "us-east-1", CLOUDTRAIL, "UpdateTrail", params, response)


def delete_trail(rng: Random, caller: Caller, t: int, region: str, trail: str) -> Event:
    """DeleteTrail."""
    return record(rng, caller, t, region, CLOUDTRAIL, "DeleteTrail", {"name": trail}, None)


def create_filter(rng: Random, caller: Caller, t: int, region: str, detector: str, name: str) -> Event:
    """A GuardDuty CreateFilter that auto-archives every finding."""
    params = {
        "detectorId": detector,
        "name": name,
        "action": "ARCHIVE",
        "rank": 1,
        "findingCriteria": {"criterion": {"severity": {"gte": 0}}},
    }
    return record(rng, caller, t, region, GUARDDUTY, "CreateFilter", params, {"name": name})


def update_detector(rng: Random, caller: Caller, t: int, region: str, detector: str, enable: bool) -> Event:
    """GuardDuty UpdateDetector switching the detector on or off."""
    return record(
        rng, caller, t, region, GUARDDUTY, "UpdateDetector", {"detectorId": detector, "enable": enable}, None
    )


def trail_context(log_object: str) -> dict[str, str]:
    """The encryption context CloudTrail sends for a log file it delivers."""
    return {"aws:cloudtrail:arn": TRAIL_ARN, "aws:s3:arn": f"arn:aws:s3:::{LOG_BUCKET}/{log_object}"}


def logs_context(region: str, group: str) -> dict[str, str]:
    """The encryption context CloudWatch Logs sends for a KMS-encrypted log group."""
    return {"aws:logs:arn": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{group}"}


def kms_by_service(
    rng: Random, caller: Caller, t: int, region: str, key: str, context: dict[str, str]
) -> Event:
    """GenerateDataKey by an AWS service acting for itself (CloudTrail, CloudWatch Logs)."""
    params = {"keyId": key, "encryptionContext": context, "keySpec": "AES_256"}
    resources = [{"accountId": ACCOUNT, "type": "AWS::KMS::Key", "ARN": key}]
    return record(
        rng, caller, t, region, KMS, "GenerateDataKey", params, None, resources=resources, shared=True
    )


def kms_for_s3(
    rng: Random, caller: Caller, t: int, region: str, name: str, key: str, object_arn: str
) -> Event:
    """Decrypt or GenerateDataKey made by S3 for an SSE-KMS object."""
    params: dict[str, object] = {"encryptionContext": {"aws:s3:arn": object_arn}}
    if name == "GenerateDataKey":
        params = {"keyId": key, **params, "keySpec": "AES_256"}
    else:
        params["encryptionAlgorithm"] = "SYMMETRIC_DEFAULT"
    resources = [{"accountId": ACCOUNT, "type": "AWS::KMS::Key", "ARN": key}]
    return record(rng, caller, t, region, KMS, name, params, None, resources=resources)


def rotate_key(rng: Random, caller: Caller, t: int, region: str, key: str) -> Event:
    """The automatic yearly rotation of a KMS key: an AwsServiceEvent."""
    resources = [{"accountId": ACCOUNT, "type": "AWS::KMS::Key", "ARN": key}]
    return record(
        rng,
        caller,
        t,
        region,
        KMS,
        "RotateKey",
        None,
        None,
        resources=resources,
        event_type="AwsServiceEvent",
    )


def get_secret_value(rng: Random, caller: Caller, t: int, region: str, secret: str) -> Event:
    """GetSecretValue (the value is never logged)."""
    return record(rng, caller, t, region, SECRETS, "GetSecretValue", {"secretId": secret}, None)


def log_group(rng: Random, caller: Caller, t: int, region: str, name: str, create: bool) -> Event:
    """CreateLogGroup or DeleteLogGroup."""
    return record(
        rng, caller, t, region, LOGS, "CreateLogGroup" if create else "DeleteLogGroup", {"logGroupName": name}
    )


def log_object_key(region: str, t: int, suffix: str) -> str:
    """The S3 key of the log file CloudTrail delivers at ``t`` (for KMS encryption contexts)."""
    stamp = iso(t)
    day = stamp[:10].replace("-", "/")
    compact = stamp[:16].replace("-", "").replace(":", "")
    name = f"{ACCOUNT}_CloudTrail_{region}_{compact}Z_{suffix}.json.gz"
    return f"AWSLogs/{ACCOUNT}/CloudTrail/{region}/{day}/{name}"
