"""Workload noise: the orders API's S3 traffic, AWS services at work, and svc-reporting's nightly job."""

from __future__ import annotations

from random import Random

from tools.synth import actors, api_compute, api_s3, api_security
from tools.synth.actors import Ctx
from tools.synth.ids import ALNUM, iso, pick, spaced, uuid4
from tools.synth.inventory import EXPORT_BUCKET, INSTANCES, KMS_KEYS, LOG_GROUPS, ORDERS_BUCKET
from tools.synth.principals import service_caller
from tools.synth.reads import read
from tools.synth.record import Event, record

CONFIG_READS = (
    "DescribeInstances", "DescribeSecurityGroups", "DescribeVolumes", "DescribeNetworkInterfaces",
    "DescribeSubnets", "DescribeVpcs", "DescribeDBInstances", "DescribeKey",
)  # fmt: skip
CONFIG_GLOBAL_READS = (
    "GetRole",
    "ListAttachedRolePolicies",
    "ListRolePolicies",
    "GetUser",
    "GetBucketAcl",
    "GetBucketPolicy",
)
ATHENA = "athena.amazonaws.com"


def order_key(rng: Random, t: int) -> str:
    """An object key of the orders bucket, partitioned by day."""
    return f"orders/{iso(t)[:10].replace('-', '/')}/{rng.getrandbits(40):010x}.json"


def orders_traffic(ctx: Ctx, t: int, region: str) -> list[Event]:
    """role/orders-api reading and writing order objects (SSE-KMS) and, at task start, its DB secret."""
    caller, via_s3, events = actors.orders_api(ctx, t, region)
    rng = ctx.rng
    east, kms = "us-east-1", KMS_KEYS["us-east-1"]
    for when in spaced(rng, t, rng.randint(2, 6), 0, 20):
        key = order_key(rng, when - rng.randint(0, 3) * 86400)
        object_arn, size = f"arn:aws:s3:::{ORDERS_BUCKET}/{key}", rng.randint(800, 9000)
        if rng.random() < 0.3:
            events.append(
                api_security.kms_for_s3(rng, via_s3, when, east, "GenerateDataKey", kms, object_arn)
            )
            events.append(api_s3.put_object(rng, caller, when, east, ORDERS_BUCKET, key, size, kms))
            continue
        denied = rng.random() < 0.01
        if not denied:
            events.append(api_security.kms_for_s3(rng, via_s3, when, east, "Decrypt", kms, object_arn))
        events.append(api_s3.get_object(rng, caller, when, east, ORDERS_BUCKET, key, size, denied=denied))
    if rng.random() < 0.04:
        events.append(api_security.get_secret_value(rng, caller, t + 1, region, "prod/orders-db"))
    return events


def config_sweep(ctx: Ctx, t: int, region: str) -> list[Event]:
    """AWS Config recording resource configuration through its service-linked role."""
    caller, events = actors.service_role(
        ctx, t, region, "AWSServiceRoleForConfig", "AWSConfig-Describe", "config.amazonaws.com"
    )
    rng = ctx.rng
    pool = CONFIG_READS + CONFIG_GLOBAL_READS if region == "us-east-1" else CONFIG_READS
    names = rng.choices(pool, k=rng.randint(3, 9))
    events.extend(
        read(rng, caller, when, region, name)
        for when, name in zip(spaced(rng, t, len(names)), names, strict=True)
    )
    return events


def service_encryption(ctx: Ctx, t: int, region: str) -> list[Event]:
    """CloudTrail (a log file it delivers) or CloudWatch Logs (a log group) asking KMS for a data key."""
    rng = ctx.rng
    if rng.random() < 0.7:
        service = "cloudtrail.amazonaws.com"
        context = api_security.trail_context(api_security.log_object_key(region, t, pick(rng, ALNUM, 16)))
    else:
        service, context = "logs.amazonaws.com", api_security.logs_context(region, rng.choice(LOG_GROUPS))
    return [api_security.kms_by_service(rng, service_caller(service), t, region, KMS_KEYS[region], context)]


def autoscaling(ctx: Ctx, t: int, region: str) -> list[Event]:
    """EC2 Auto Scaling checking instance health and, sometimes, scaling out or in."""
    caller, events = actors.service_role(
        ctx, t, region, "AWSServiceRoleForAutoScaling", "AutoScaling", "autoscaling.amazonaws.com"
    )
    rng = ctx.rng
    events.append(read(rng, caller, t, region, "DescribeInstanceStatus"))
    roll = rng.random()
    if roll < 0.08:
        token = f"fleet-{rng.getrandbits(64):016x}"
        events.append(api_compute.run_instances(rng, caller, t + 2, region, "m6i.large", token))
    elif roll < 0.16:
        events.append(
            api_compute.terminate_instances(rng, caller, t + 2, region, rng.choice(INSTANCES[region]))
        )
    return events


def reporting_job(ctx: Ctx, t: int, region: str) -> list[Event]:
    """svc-reporting's nightly export: an Athena query, then the results written to the exports bucket."""
    rng = ctx.rng
    ip = rng.choice(actors.REPORTING_IPS)
    sts, athena, s3 = actors.reporting("sts", ip), actors.reporting("athena", ip), actors.reporting("s3", ip)
    query_id = uuid4(rng)
    start = {
        "queryString": "SELECT * FROM exports.customers_daily WHERE dt = current_date - interval '1' day",
        "clientRequestToken": query_id,
        "workGroup": "reporting",
    }
    execution = {"queryExecutionId": query_id}
    events = [
        record(rng, sts, t, region, "sts.amazonaws.com", "GetCallerIdentity"),
        record(rng, athena, t + 1, region, ATHENA, "StartQueryExecution", start, execution),
    ]
    times = spaced(rng, t + 3, rng.randint(2, 6), 2, 6)
    events += [record(rng, athena, w, region, ATHENA, "GetQueryExecution", execution) for w in times]
    when = times[-1] + 2
    results = {**execution, "maxResults": 1000}
    events.append(record(rng, athena, when, region, ATHENA, "GetQueryResults", results))
    day = iso(t)[:10].replace("-", "/")
    for part, w in enumerate(spaced(rng, when + 5, rng.randint(3, 6), 1, 8)):
        key, size = f"exports/{day}/customers-part-{part:04d}.csv.gz", rng.randint(2 * 10**6, 4 * 10**7)
        events.append(api_s3.put_object(rng, s3, w, region, EXPORT_BUCKET, key, size, KMS_KEYS[region]))
    return events


def key_rotation(ctx: Ctx, t: int, region: str) -> list[Event]:
    """The yearly automatic rotation of the account's KMS key (an AwsServiceEvent)."""
    caller = service_caller("kms.amazonaws.com")
    return [api_security.rotate_key(ctx.rng, caller, t, region, KMS_KEYS[region])]
