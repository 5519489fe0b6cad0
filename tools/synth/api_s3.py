"""Amazon S3 records: bucket management calls and object data events (bracketed user agent, S3 ids)."""

from __future__ import annotations

import json
from random import Random

from tools.synth.ids import b64
from tools.synth.principals import ACCOUNT, Caller
from tools.synth.record import S3, Event, record

_BUCKET_RESOURCES: dict[str, dict[str, str]] = {}


def bucket_host(bucket: str, region: str) -> str:
    """The virtual-hosted-style endpoint of ``bucket``."""
    return f"{bucket}.s3.{region}.amazonaws.com"


def _bucket(bucket: str) -> dict[str, str]:
    res = _BUCKET_RESOURCES.get(bucket)
    if res is None:
        res = _BUCKET_RESOURCES[bucket] = {
            "accountId": ACCOUNT,
            "type": "AWS::S3::Bucket",
            "ARN": f"arn:aws:s3:::{bucket}",
        }
    return res


def _extra(rng: Random, caller: Caller, bytes_in: int = 0, bytes_out: int = 0) -> dict[str, object]:
    return {
        "SignatureVersion": "SigV4",
        "CipherSuite": caller.tls[1] if caller.tls else "TLS_AES_128_GCM_SHA256",
        "bytesTransferredIn": bytes_in,
        "AuthenticationMethod": "AuthHeader",
        "x-amz-id-2": b64(rng, 76),
        "bytesTransferredOut": bytes_out,
    }


def get_object(
    rng: Random,
    caller: Caller,
    t: int,
    region: str,
    bucket: str,
    key: str,
    size: int,
    *,
    denied: bool = False,
) -> Event:
    """A GetObject data event (``denied`` gives S3's AccessDenied)."""
    host = bucket_host(bucket, region)
    resources = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"}, _bucket(bucket)]
    return record(
        rng,
        caller,
        t,
        region,
        S3,
        "GetObject",
        {"bucketName": bucket, "Host": host, "key": key},
        error=("AccessDenied", "Access Denied") if denied else None,
        extra=_extra(rng, caller, bytes_out=0 if denied else size),
        resources=resources,
        data=True,
        host=host,
    )


def put_object(
    rng: Random, caller: Caller, t: int, region: str, bucket: str, key: str, size: int, kms: str
) -> Event:
    """A PutObject data event, encrypted with SSE-KMS."""
    host = bucket_host(bucket, region)
    resources = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"}, _bucket(bucket)]
    response = {"x-amz-server-side-encryption-aws-kms-key-id": kms, "x-amz-server-side-encryption": "aws:kms"}
    return record(
        rng,
        caller,
        t,
        region,
        S3,
        "PutObject",
        {"bucketName": bucket, "Host": host, "key": key},
        response,
        extra=_extra(rng, caller, bytes_in=size),
        resources=resources,
        data=True,
        host=host,
    )


def list_objects(rng: Random, caller: Caller, t: int, region: str, bucket: str, prefix: str) -> Event:
    """ListObjectsV2, which CloudTrail names ListObjects (a data event)."""
    host = bucket_host(bucket, region)
    params = {"list-type": "2", "bucketName": bucket, "encoding-type": "url", "prefix": prefix, "Host": host}
    return record(
        rng,
        caller,
        t,
        region,
        S3,
        "ListObjects",
        params,
        extra=_extra(rng, caller, bytes_out=rng.randint(900, 60000)),
        resources=[_bucket(bucket)],
        data=True,
        host=host,
    )


def bucket_call(
    rng: Random, caller: Caller, t: int, region: str, name: str, bucket: str, *, denied: bool = False
) -> Event:
    """A bucket-configuration read such as GetBucketAcl (its sub-resource is an empty parameter)."""
    host = bucket_host(bucket, region)
    sub = name.removeprefix("GetBucket").removeprefix("PutBucket")
    params = {"bucketName": bucket, "Host": host, sub[0].lower() + sub[1:]: ""}
    return record(
        rng,
        caller,
        t,
        region,
        S3,
        name,
        params,
        error=("AccessDenied", "Access Denied") if denied else None,
        extra=_extra(rng, caller, bytes_out=rng.randint(200, 2000)),
        resources=[_bucket(bucket)],
        host=host,
    )


def list_buckets(rng: Random, caller: Caller, t: int, *, denied: bool = False) -> Event:
    """ListBuckets (global, logged in us-east-1)."""
    host = "s3.amazonaws.com"
    return record(
        rng,
        caller,
        t,
        "us-east-1",
        S3,
        "ListBuckets",
        {"Host": host},
        error=("AccessDenied", "Access Denied") if denied else None,
        extra=_extra(rng, caller, bytes_out=rng.randint(1500, 4000)),
        host=host,
    )


def put_bucket_policy(rng: Random, caller: Caller, t: int, region: str, bucket: str) -> Event:
    """PutBucketPolicy denying insecure transport (the policy is an object here, not a string)."""
    host = bucket_host(bucket, region)
    arn = f"arn:aws:s3:::{bucket}"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    params = {"bucketPolicy": policy, "bucketName": bucket, "Host": host, "policy": ""}
    return record(
        rng,
        caller,
        t,
        region,
        S3,
        "PutBucketPolicy",
        params,
        extra=_extra(rng, caller, bytes_in=len(json.dumps(policy))),
        resources=[_bucket(bucket)],
        host=host,
    )
