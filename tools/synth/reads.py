"""Read-only API calls (Describe/List/Get) with realistic request parameters, for polling and discovery."""

from __future__ import annotations

from collections.abc import Callable
from random import Random

from tools.synth import api_s3
from tools.synth.ids import iam_date
from tools.synth.inventory import (
    BUCKETS,
    CLUSTER,
    DB_INSTANCE,
    DETECTORS,
    FUNCTIONS,
    INSTANCES,
    KMS_KEYS,
    LOG_GROUPS,
    POLICY_ARNS,
    ROLE_NAMES,
    SECRETS,
    SERVICES,
    TRAIL,
)
from tools.synth.principals import Caller
from tools.synth.record import Event, access_denied, record

Params = Callable[[Random, str, int], object]


def _const(value: object) -> Params:
    return lambda _rng, _region, _t: value


def _one(key: str, choices: tuple[str, ...]) -> Params:
    return lambda rng, _region, _t: {key: rng.choice(choices)}


def _ec2_set(*keys: str) -> Params:
    return _const({k: {} for k in keys})


def _metric_data(rng: Random, region: str, t: int) -> object:
    end = t - t % 300
    instance = rng.choice(INSTANCES[region])
    metric = {
        "namespace": "AWS/EC2",
        "metricName": "CPUUtilization",
        "dimensions": [{"name": "InstanceId", "value": instance}],
    }
    return {
        "metricDataQueries": [
            {
                "id": "m1",
                "metricStat": {"metric": metric, "period": 300, "stat": "Average"},
                "returnData": True,
            }
        ],
        "startTime": iam_date(end - 600),
        "endTime": iam_date(end),
    }


_ROLE = _one("roleName", ROLE_NAMES)
_USER = _one("userName", ("alice", "bob", "svc-reporting"))
READS: dict[str, tuple[str, Params]] = {
    "ListUsers": ("iam", _const(None)),
    "ListRoles": ("iam", _const(None)),
    "ListGroups": ("iam", _const(None)),
    "ListPolicies": ("iam", _const({"scope": "Local", "onlyAttached": False})),
    "GetAccountAuthorizationDetails": ("iam", _const(None)),
    "GetAccountSummary": ("iam", _const(None)),
    "GetAccountPasswordPolicy": ("iam", _const(None)),
    "GetRole": ("iam", _ROLE),
    "ListAttachedRolePolicies": ("iam", _ROLE),
    "ListRolePolicies": ("iam", _ROLE),
    "ListInstanceProfilesForRole": ("iam", _ROLE),
    "GetUser": ("iam", _USER),
    "ListAccessKeys": ("iam", _USER),
    "ListMFADevices": ("iam", _USER),
    "ListAttachedUserPolicies": ("iam", _USER),
    "GetPolicy": ("iam", _one("policyArn", POLICY_ARNS)),
    "GetPolicyVersion": (
        "iam",
        lambda rng, _r, _t: {"policyArn": rng.choice(POLICY_ARNS[:2]), "versionId": "v3"},
    ),
    "DescribeInstances": ("ec2", _ec2_set("instancesSet", "filterSet")),
    "DescribeVolumes": ("ec2", _ec2_set("volumeSet", "filterSet")),
    "DescribeSnapshots": (
        "ec2",
        _const(
            {
                "snapshotSet": {},
                "ownersSet": {"items": [{"owner": "self"}]},
                "sharedUsersSet": {},
                "filterSet": {},
            }
        ),
    ),
    "DescribeSecurityGroups": ("ec2", _ec2_set("securityGroupSet", "securityGroupIdSet", "filterSet")),
    "DescribeVpcs": ("ec2", _ec2_set("vpcSet", "filterSet")),
    "DescribeSubnets": ("ec2", _ec2_set("subnetSet", "filterSet")),
    "DescribeRegions": ("ec2", _ec2_set("regionSet")),
    "DescribeNetworkInterfaces": ("ec2", _ec2_set("networkInterfaceIdSet", "filterSet")),
    "DescribeKeyPairs": ("ec2", _ec2_set("keySet", "keyPairIdSet", "filterSet")),
    "DescribeAddresses": ("ec2", _ec2_set("publicIpsSet", "allocationIdsSet", "filterSet")),
    "DescribeInstanceStatus": (
        "ec2",
        _const({"instancesSet": {}, "filterSet": {}, "includeAllInstances": False}),
    ),
    "DescribeDBInstances": ("rds", _const(None)),
    "DescribeDBSnapshots": ("rds", _const({"includeShared": False, "includePublic": False})),
    "DescribeDBClusters": ("rds", _const({"includeShared": False})),
    "ListFunctions20150331": ("lambda", _const(None)),
    "GetFunction20150331v2": ("lambda", _one("functionName", FUNCTIONS)),
    "ListSecrets": ("secretsmanager", _const(None)),
    "DescribeSecret": ("secretsmanager", _one("secretId", SECRETS)),
    "DescribeTrails": ("cloudtrail", _const({"trailNameList": [], "includeShadowTrails": True})),
    "GetTrailStatus": ("cloudtrail", _const({"name": TRAIL})),
    "GetEventSelectors": ("cloudtrail", _const({"trailName": TRAIL})),
    "ListDetectors": ("guardduty", _const(None)),
    "GetDetector": ("guardduty", lambda _rng, region, _t: {"detectorId": DETECTORS[region]}),
    "ListKeys": ("kms", _const(None)),
    "ListAliases": ("kms", _const(None)),
    "DescribeKey": ("kms", lambda _rng, region, _t: {"keyId": KMS_KEYS[region]}),
    "DescribeOrganization": ("organizations", _const(None)),
    "GetMetricData": ("monitoring", _metric_data),
    "ListMetrics": (
        "monitoring",
        _one("namespace", ("AWS/EC2", "AWS/RDS", "AWS/ApplicationELB", "AWS/Lambda")),
    ),
    "DescribeAlarms": ("monitoring", _const({"maxRecords": 100})),
    "DescribeAutoScalingGroups": ("autoscaling", _const(None)),
    "DescribeLoadBalancers": ("elasticloadbalancing", _const(None)),
    "DescribeLogGroups": ("logs", _const(None)),
    "DescribeLogStreams": ("logs", _one("logGroupName", LOG_GROUPS)),
    "DescribeServices": ("ecs", lambda rng, _r, _t: {"cluster": CLUSTER, "services": [rng.choice(SERVICES)]}),
    "DescribeTaskDefinition": ("ecs", _one("taskDefinition", SERVICES)),
    "ListClusters": ("ecs", _const(None)),
    "DescribeDBLogFiles": ("rds", _const({"dBInstanceIdentifier": DB_INSTANCE})),
}
S3_READS = (
    "GetBucketAcl",
    "GetBucketPolicy",
    "GetBucketLocation",
    "GetBucketEncryption",
    "GetBucketVersioning",
)
GLOBAL_SERVICES = frozenset({"iam", "organizations"})


def read(
    rng: Random,
    caller: Caller,
    t: int,
    region: str,
    name: str,
    *,
    denied: bool = False,
    bucket: str | None = None,
) -> Event:
    """One read-only call named ``name`` (S3 bucket reads included); ``denied`` makes it AccessDenied."""
    if name == "ListBuckets":
        return api_s3.list_buckets(rng, caller, t, denied=denied)
    if name in S3_READS:
        return api_s3.bucket_call(
            rng, caller, t, "us-east-1", name, bucket or rng.choice(BUCKETS), denied=denied
        )
    service, params = READS[name]
    source = f"{service}.amazonaws.com"
    if service in GLOBAL_SERVICES:
        region = "us-east-1"
    error = access_denied(caller, source, name) if denied else None
    return record(rng, caller, t, region, source, name, params(rng, region, t), error=error)
