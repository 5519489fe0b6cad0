"""EC2, RDS, ECS, ECR and Lambda write records: snapshots and their sharing, instances, deployments."""

from __future__ import annotations

from random import Random

from tools.synth.ids import hex_id, iam_date, uuid4
from tools.synth.inventory import AMIS, CLUSTER, SUBNETS
from tools.synth.principals import ACCOUNT, Caller
from tools.synth.record import Event, record

EC2 = "ec2.amazonaws.com"
RDS = "rds.amazonaws.com"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def ec2_call(
    rng: Random, caller: Caller, t: int, region: str, name: str, params: object, **response: object
) -> Event:
    """An EC2 write; EC2 echoes the request id inside responseElements."""
    request_id = uuid4(rng)
    return record(
        rng,
        caller,
        t,
        region,
        EC2,
        name,
        params,
        {"requestId": request_id, **response},
        request_id=request_id,
    )


def create_snapshot(
    rng: Random, caller: Caller, t: int, region: str, volume: str, note: str
) -> tuple[Event, str]:
    """CreateSnapshot of ``volume``; returns the record and the new snapshot id."""
    snapshot = hex_id(rng, "snap")
    event = ec2_call(
        rng,
        caller,
        t,
        region,
        "CreateSnapshot",
        {"volumeId": volume, "description": note},
        snapshotId=snapshot,
        volumeId=volume,
        status="pending",
        startTime=t * 1000,
        progress="",
        ownerId=ACCOUNT,
        volumeSize=rng.choice((100, 200, 500)),
        encrypted=False,
        description=note,
    )
    return event, snapshot


def share_snapshot(rng: Random, caller: Caller, t: int, region: str, snapshot: str, account: str) -> Event:
    """ModifySnapshotAttribute adding ``account`` to the snapshot's create-volume permission."""
    params = {
        "snapshotId": snapshot,
        "attributeType": "CREATE_VOLUME_PERMISSION",
        "createVolumePermission": {"add": {"items": [{"userId": account}]}},
    }
    return ec2_call(rng, caller, t, region, "ModifySnapshotAttribute", params, _return=True)


def authorize_ingress(
    rng: Random, caller: Caller, t: int, region: str, group: str, port: int, cidr: str
) -> Event:
    """AuthorizeSecurityGroupIngress opening ``port`` to ``cidr``."""
    permission = {
        "ipProtocol": "tcp",
        "fromPort": port,
        "toPort": port,
        "groups": {},
        "ipRanges": {"items": [{"cidrIp": cidr, "description": "HTTPS from ALB"}]},
        "ipv6Ranges": {},
        "prefixListIds": {},
    }
    rule = {
        "groupOwnerId": ACCOUNT,
        "groupId": group,
        "securityGroupRuleId": hex_id(rng, "sgr"),
        "isEgress": False,
        "ipProtocol": "tcp",
        "fromPort": port,
        "toPort": port,
        "cidrIpv4": cidr,
    }
    params = {"groupId": group, "ipPermissions": {"items": [permission]}}
    return ec2_call(
        rng,
        caller,
        t,
        region,
        "AuthorizeSecurityGroupIngress",
        params,
        _return=True,
        securityGroupRuleSet={"items": [rule]},
    )


def run_instances(rng: Random, caller: Caller, t: int, region: str, instance_type: str, token: str) -> Event:
    """RunInstances of one instance from the account's AMI."""
    instance = hex_id(rng, "i")
    params = {
        "instancesSet": {"items": [{"imageId": AMIS[region], "minCount": 1, "maxCount": 1}]},
        "instanceType": instance_type,
        "blockDeviceMapping": {},
        "monitoring": {"enabled": False},
        "subnetId": SUBNETS[region],
        "disableApiTermination": False,
        "disableApiStop": False,
        "clientToken": token,
    }
    item = {
        "instanceId": instance,
        "imageId": AMIS[region],
        "instanceState": {"code": 0, "name": "pending"},
        "privateIpAddress": f"10.{rng.randint(0, 3)}.{rng.randint(0, 255)}.{rng.randint(4, 250)}",
        "instanceType": instance_type,
        "launchTime": t * 1000,
        "subnetId": SUBNETS[region],
    }
    return ec2_call(
        rng,
        caller,
        t,
        region,
        "RunInstances",
        params,
        reservationId=hex_id(rng, "r"),
        ownerId=ACCOUNT,
        groupSet={},
        instancesSet={"items": [item]},
    )


def terminate_instances(rng: Random, caller: Caller, t: int, region: str, instance: str) -> Event:
    """TerminateInstances of one instance."""
    change = {
        "instanceId": instance,
        "currentState": {"code": 32, "name": "shutting-down"},
        "previousState": {"code": 16, "name": "running"},
    }
    params = {"instancesSet": {"items": [{"instanceId": instance}]}}
    return ec2_call(rng, caller, t, region, "TerminateInstances", params, instancesSet={"items": [change]})


def create_db_snapshot(rng: Random, caller: Caller, t: int, region: str, db: str, snapshot: str) -> Event:
    """CreateDBSnapshot of a PostgreSQL instance."""
    response = {
        "dBSnapshotIdentifier": snapshot,
        "dBInstanceIdentifier": db,
        "engine": "postgres",
        "allocatedStorage": 200,
        "status": "creating",
        "port": 5432,
        "availabilityZone": f"{region}a",
        "instanceCreateTime": iam_date(t - 400 * 86400),
        "masterUsername": "orders_admin",
        "engineVersion": "15.5",
        "snapshotType": "manual",
        "encrypted": False,
        "dBSnapshotArn": f"arn:aws:rds:{region}:{ACCOUNT}:snapshot:{snapshot}",
        "storageType": "gp3",
    }
    params = {"dBSnapshotIdentifier": snapshot, "dBInstanceIdentifier": db}
    return record(rng, caller, t, region, RDS, "CreateDBSnapshot", params, response)


def share_db_snapshot(rng: Random, caller: Caller, t: int, region: str, snapshot: str, account: str) -> Event:
    """ModifyDBSnapshotAttribute adding ``account`` to the snapshot's restore attribute."""
    params = {"dBSnapshotIdentifier": snapshot, "attributeName": "restore", "valuesToAdd": [account]}
    response = {
        "dBSnapshotIdentifier": snapshot,
        "dBSnapshotAttributes": [{"attributeName": "restore", "attributeValues": [account]}],
    }
    return record(rng, caller, t, region, RDS, "ModifyDBSnapshotAttribute", params, response)


def deploy_calls(
    rng: Random, caller: Caller, t: int, region: str, service: str, image_tag: str
) -> list[Event]:
    """A container deployment: ECR push, ECS task definition and service update."""
    ecr, ecs = "ecr.amazonaws.com", "ecs.amazonaws.com"
    revision = rng.randint(100, 400)
    image = f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/{service}:{image_tag}"
    task_arn = f"arn:aws:ecs:{region}:{ACCOUNT}:task-definition/{service}:{revision}"
    image_id = {"imageDigest": f"sha256:{rng.getrandbits(256):064x}", "imageTag": image_tag}
    push = {"repositoryName": service, "imageTag": image_tag, "imageManifestMediaType": OCI_MANIFEST}
    pushed = {"image": {"registryId": ACCOUNT, "repositoryName": service, "imageId": image_id}}
    register = {
        "family": service,
        "containerDefinitions": [{"name": service, "image": image, "essential": True}],
    }
    registered = {"taskDefinition": {"taskDefinitionArn": task_arn, "family": service, "revision": revision}}
    update = {"cluster": CLUSTER, "service": service, "taskDefinition": f"{service}:{revision}"}
    updated = {"service": {"serviceName": service, "taskDefinition": task_arn, "desiredCount": 2}}
    return [
        record(rng, caller, t, region, ecr, "GetAuthorizationToken"),
        record(rng, caller, t + 20, region, ecr, "PutImage", push, pushed),
        record(rng, caller, t + 31, region, ecs, "RegisterTaskDefinition", register, registered),
        record(rng, caller, t + 33, region, ecs, "UpdateService", update, updated),
    ]
