"""Automation noise: the monitoring vendor's polling, CI deployments and Terraform runs with their writes."""

from __future__ import annotations

from collections.abc import Callable
from random import Random

from tools.synth import actors, api_compute, api_iam, api_s3, api_security
from tools.synth.actors import Ctx
from tools.synth.ids import hex_id, key_id, spaced, unique_id
from tools.synth.inventory import (
    ARTIFACT_BUCKET,
    INSTANCES,
    KMS_KEYS,
    SECURITY_GROUPS,
    SERVICES,
    TRAIL,
    VOLUMES,
)
from tools.synth.principals import ACCOUNT, PARTNER, Caller
from tools.synth.reads import read
from tools.synth.record import Event

Write = Callable[[Random, Caller, int, str], list[Event]]
DATADOG_READS = (
    ("GetMetricData", 30),
    ("ListMetrics", 6),
    ("DescribeInstances", 8),
    ("DescribeInstanceStatus", 4),
    ("DescribeVolumes", 3),
    ("DescribeAlarms", 3),
    ("DescribeAutoScalingGroups", 3),
    ("DescribeLoadBalancers", 3),
    ("DescribeDBInstances", 3),
    ("ListFunctions20150331", 2),
    ("DescribeSecurityGroups", 1),
    ("GetBucketLocation", 1),
    ("DescribeDBLogFiles", 1),
)
PLAN_READS = (
    "GetRole", "ListAttachedRolePolicies", "ListRolePolicies", "GetPolicy", "GetPolicyVersion", "GetUser",
    "DescribeSecurityGroups", "DescribeInstances", "DescribeVpcs", "DescribeSubnets", "DescribeVolumes",
    "GetBucketPolicy", "GetBucketAcl", "GetBucketEncryption", "GetBucketVersioning", "DescribeLogGroups",
    "DescribeTrails", "GetEventSelectors", "DescribeDBInstances", "GetDetector", "DescribeKey",
    "ListInstanceProfilesForRole", "DescribeAddresses", "DescribeNetworkInterfaces",
)  # fmt: skip
REGIONAL_READS = (
    "DescribeSecurityGroups", "DescribeInstances", "DescribeVpcs", "DescribeSubnets", "DescribeVolumes",
    "DescribeLogGroups", "DescribeDBInstances", "GetDetector", "DescribeKey", "DescribeAddresses",
)  # fmt: skip
_DD_NAMES = tuple(n for n, _ in DATADOG_READS)
_DD_WEIGHTS = tuple(w for _, w in DATADOG_READS)


def datadog_poll(ctx: Ctx, t: int, region: str) -> list[Event]:
    """One polling round of the monitoring vendor: metric and inventory reads, now and then refused."""
    caller, events = actors.datadog(ctx, t, region)
    rng = ctx.rng
    names = rng.choices(_DD_NAMES, _DD_WEIGHTS, k=rng.randint(3, 8))
    for when, name in zip(spaced(rng, t, len(names)), names, strict=True):
        events.append(read(rng, caller, when, region, name, denied=name == "DescribeDBLogFiles"))
    return events


def ci_deploy(ctx: Ctx, t: int, region: str) -> list[Event]:
    """A GitHub Actions deployment: artifact upload, image push, ECS rollout and its waiter."""
    caller, events = actors.github_actions(ctx, t, region)
    rng = ctx.rng
    service, tag = rng.choice(SERVICES), f"{rng.getrandbits(28):07x}"
    key = f"{service}/{tag}/bundle.zip"
    size, kms = rng.randint(10**6, 9 * 10**7), KMS_KEYS["us-east-1"]
    events.append(api_s3.put_object(rng, caller, t + 6, "us-east-1", ARTIFACT_BUCKET, key, size, kms))
    events.extend(api_compute.deploy_calls(rng, caller, t + 10, region, service, tag))
    for when in spaced(rng, t + 50, rng.randint(2, 8), 10, 20):
        events.append(read(rng, caller, when, region, "DescribeServices"))
    return events


def terraform_run(ctx: Ctx, t: int, region: str, writes: list[str] | None = None) -> list[Event]:
    """A Terraform plan/apply: a refresh of many reads, then the ``writes`` (random ones when None)."""
    caller, events = actors.terraform(ctx, t, region)
    rng = ctx.rng
    pool = PLAN_READS if region == "us-east-1" else REGIONAL_READS
    names = rng.choices(pool, k=rng.randint(12, 35))
    times = spaced(rng, t + 5, len(names), 0, 2)
    events.extend(read(rng, caller, when, region, name) for when, name in zip(times, names, strict=True))
    if writes is None:
        options = [w for w in WRITES if region == "us-east-1" or w in REGIONAL_WRITES]
        writes = rng.sample(options, k=rng.choice((0, 0, 1, 1, 2)))
    when = times[-1] + 20
    for name in writes:
        made = WRITES[name](rng, caller, when, region)
        events.extend(made)
        when = made[-1][0] + rng.randint(5, 40)
    return events


def _role(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    role = f"orders-worker-{rng.randint(2, 99)}"
    trust = api_iam.policy_json(
        [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    )
    inline = api_iam.policy_json(
        [
            {
                "Effect": "Allow",
                "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                "Resource": f"arn:aws:sqs:us-east-1:{ACCOUNT}:orders-*",
            }
        ]
    )
    return [
        api_iam.create_role(rng, caller, t, role, trust, unique_id(rng, "AROA")),
        api_iam.put_role_policy(rng, caller, t + 2, role, "orders-queue", inline),
        api_iam.attach_policy(
            rng, caller, t + 3, "Role", role, "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"
        ),
    ]


def _service_user(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    name = f"svc-etl-{rng.choice(('loader', 'sync', 'backfill'))}"
    return [
        api_iam.create_user(rng, caller, t, name, unique_id(rng, "AIDA")),
        api_iam.create_access_key(rng, caller, t + 2, name, key_id(rng, "AKIA")),
        api_iam.attach_policy(
            rng, caller, t + 3, "User", name, f"arn:aws:iam::{ACCOUNT}:policy/etl-s3-write"
        ),
    ]


def _partner_trust(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    trust = api_iam.trust_policy([ACCOUNT, PARTNER], external_id="acme-partner-7731")
    return [api_iam.update_trust(rng, caller, t, "partner-readonly", trust)]


def _partner_snapshot(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    event, snapshot = api_compute.create_snapshot(
        rng, caller, t, region, rng.choice(VOLUMES[region][1:]), "partner analytics share"
    )
    return [
        event,
        api_compute.share_snapshot(rng, caller, t + rng.randint(60, 300), region, snapshot, PARTNER),
    ]


def _web_tier(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    token = f"terraform-{rng.getrandbits(64):016x}"
    return [
        api_compute.authorize_ingress(rng, caller, t, region, SECURITY_GROUPS[region][0], 443, "0.0.0.0/0"),
        api_compute.run_instances(rng, caller, t + 4, region, rng.choice(("t3.medium", "m6i.large")), token),
    ]


def _bucket_policy(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    return [api_s3.put_bucket_policy(rng, caller, t, "us-east-1", "acme-web-assets")]


def _log_groups(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    return [
        api_security.log_group(
            rng, caller, t, region, f"/ecs/orders-worker-{rng.randint(2, 99)}", create=True
        ),
        api_security.log_group(rng, caller, t + 3, region, "/ecs/orders-worker-legacy", create=False),
    ]


def _trail_hardening(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    selectors = [
        api_security.selector(
            "All", True, [api_security.s3_data_resource(["acme-customer-exports", "acme-orders-data"])]
        )
    ]
    return [
        api_security.update_trail(rng, caller, t, TRAIL),
        api_security.put_event_selectors(rng, caller, t + 2, TRAIL, selectors),
    ]


def _teardown(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    return [
        api_security.delete_trail(rng, caller, t, region, f"test-trail-{rng.randint(100, 999)}"),
        api_security.log_group(rng, caller, t + 2, region, f"/test/{hex_id(rng, 'run')}", create=False),
        api_compute.terminate_instances(rng, caller, t + 5, region, rng.choice(INSTANCES[region][3:])),
    ]


WRITES: dict[str, Write] = {
    "role": _role,
    "service-user": _service_user,
    "partner-trust": _partner_trust,
    "partner-snapshot": _partner_snapshot,
    "web-tier": _web_tier,
    "bucket-policy": _bucket_policy,
    "log-groups": _log_groups,
    "trail-hardening": _trail_hardening,
    "teardown": _teardown,
}
REGIONAL_WRITES = frozenset({"partner-snapshot", "web-tier", "log-groups", "teardown"})
