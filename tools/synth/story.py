"""The planted intrusion: svc-reporting's leaked access key used from a Tor exit, escalation to a new admin
user, defence evasion, snapshot sharing with an outside account and bulk download of customer exports.

Times are offsets from the first call (``t0``). The demo puts ``t0`` at 14:02:11 UTC on its third day:
discovery 14:02-14:10, new admin user 14:13-14:18, defence evasion 14:20-14:26, snapshot sharing
14:27-14:45, bulk download 14:43-14:58 (``aws s3 sync`` runs while the DB snapshot is being made; it
stays inside one clock hour), secrets until about 15:03.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from random import Random

from tools.synth import api_compute, api_iam, api_s3, api_security
from tools.synth.ids import iso, spaced
from tools.synth.inventory import (
    DB_INSTANCE,
    DETECTORS,
    EXPORT_BUCKET,
    KMS_KEYS,
    PROD_VOLUME,
    TRAIL,
    TRAIL_ARN,
)
from tools.synth.principals import OUTSIDE, USER_IDS, USER_KEYS, Caller, iam_user, user_arn
from tools.synth.reads import READS, read
from tools.synth.record import Event

ATTACKER_IP = "185.220.101.47"
LEAKED_USER = "svc-reporting"
NEW_USER = "backup-admin"
NEW_USER_ID = "AIDAQ3EGRZ5PNB6XKM4TW"
NEW_KEY = "AKIAQ3EGRZ5PMC4HYD2J"
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
KEY_CHECK_AGENT = "python-requests/2.31.0"
TOR_BROWSER = "Mozilla/5.0 (Windows NT 10.0; rv:115.0) Gecko/20100101 Firefox/115.0"
CLI = (
    "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#kali.2024 md/prompt#off "
    "md/command#{}"
)
SECRETS_TAKEN = (
    "prod/orders-db",
    "prod/stripe-api-key",
    "prod/sendgrid",
    "prod/jwt-signing",
    "prod/datadog-api-key",
)
# (API, refused?) in the order the attacker ran them; all in us-east-1 but the last two.
DISCOVERY = (
    ("ListAttachedUserPolicies", False), ("ListUsers", False), ("ListRoles", False), ("ListGroups", False),
    ("ListPolicies", False), ("GetAccountAuthorizationDetails", False), ("GetAccountSummary", False),
    ("GetAccountPasswordPolicy", False), ("ListAccessKeys", False), ("ListMFADevices", False),
    ("ListBuckets", False), ("GetBucketPolicy", False), ("GetBucketAcl", False), ("GetBucketLocation", False),
    ("DescribeRegions", True), ("DescribeInstances", True), ("DescribeSnapshots", True),
    ("DescribeVolumes", True), ("DescribeSecurityGroups", True), ("DescribeDBInstances", True),
    ("DescribeDBSnapshots", True), ("ListFunctions20150331", True), ("ListSecrets", True),
    ("DescribeTrails", False), ("GetTrailStatus", False), ("ListDetectors", True), ("ListKeys", False),
    ("ListAliases", False), ("DescribeOrganization", True),
)  # fmt: skip
EAST = "us-east-1"
OTHER_REGIONS = ("us-west-2", "ap-southeast-1")
_SERVICE = {"monitoring": "cloudwatch", "elasticloadbalancing": "elbv2"}


@dataclass(frozen=True)
class StoryPrincipals:
    """What the intrusion leaves behind, for tests and for whoever checks the hunt's findings."""

    attacker_ip: str = ATTACKER_IP
    leaked_user_arn: str = user_arn(LEAKED_USER)
    leaked_user_id: str = USER_IDS[LEAKED_USER]
    leaked_key_id: str = USER_KEYS[LEAKED_USER]
    created_user_arn: str = user_arn(NEW_USER)
    created_user_id: str = NEW_USER_ID
    created_key_id: str = NEW_KEY
    outside_account: str = OUTSIDE
    trail_arn: str = TRAIL_ARN
    exfil_bucket: str = EXPORT_BUCKET


def story_principals() -> StoryPrincipals:
    """The attacker's IP, the leaked and the created user and key, the outside account."""
    return StoryPrincipals()


def _cli_command(source: str, name: str) -> str:
    service = source.split(".", 1)[0]
    words = re.sub(r"20\d{6}(v\d)?$", "", name)
    return f"{_SERVICE.get(service, service)}.{re.sub(r'(?<!^)(?=[A-Z])', '-', words).lower()}"


class _Attacker:
    """One set of stolen credentials; every call names its CLI command in the user agent."""

    def __init__(self, rng: Random, identity: dict[str, object]) -> None:
        self.rng = rng
        self.identity = identity

    def caller(self, source: str, name: str, agent: str | None = None) -> Caller:
        return Caller(self.identity, ATTACKER_IP, agent or CLI.format(_cli_command(source, name)))

    def read(self, t: int, region: str, name: str, denied: bool = False, **kw: str) -> Event:
        service = READS[name][0] if name in READS else "s3"
        return read(
            self.rng, self.caller(f"{service}.amazonaws.com", name), t, region, name, denied=denied, **kw
        )


def story_events(rng: Random, t0: int, exfil: int = 400, *, other_regions: bool = True) -> list[Event]:
    """The whole intrusion: about 70 management events and ``exfil`` GetObject data events.

    ``other_regions`` adds two refused DescribeInstances in regions the account never uses.
    """
    leaked = _Attacker(rng, iam_user(LEAKED_USER, USER_KEYS[LEAKED_USER]))
    admin = _Attacker(rng, iam_user(NEW_USER, NEW_KEY, user_id=NEW_USER_ID))
    iam, sts = "iam.amazonaws.com", "sts.amazonaws.com"
    events = [api_iam.get_caller_identity(rng, leaked.caller(sts, "GetCallerIdentity", KEY_CHECK_AGENT), t0)]
    regions = OTHER_REGIONS if other_regions else ()
    times = spaced(rng, t0 + 49, len(DISCOVERY) + len(regions), 8, 20)
    for when, (name, denied) in zip(times, DISCOVERY, strict=False):
        bucket = {"bucket": EXPORT_BUCKET} if "Bucket" in name else {}
        events.append(leaked.read(when, EAST, name, denied, **bucket))
    for when, region in zip(times[len(DISCOVERY) :], regions, strict=True):
        events.append(leaked.read(when, region, "DescribeInstances", denied=True))
    events += [
        api_iam.create_user(rng, leaked.caller(iam, "CreateUser"), t0 + 679, NEW_USER, NEW_USER_ID),
        api_iam.create_access_key(rng, leaked.caller(iam, "CreateAccessKey"), t0 + 714, NEW_USER, NEW_KEY),
        api_iam.attach_policy(
            rng, leaked.caller(iam, "AttachUserPolicy"), t0 + 749, "User", NEW_USER, ADMIN_POLICY
        ),
        api_iam.create_login_profile(
            rng, leaked.caller(iam, "CreateLoginProfile"), t0 + 789, NEW_USER, reset=False
        ),
    ]
    events += _evasion(rng, admin, t0 + 951)
    events += _snapshots(rng, admin, t0 + 1500)
    events += _exfiltration(rng, admin, t0 + 2440, exfil)
    return sorted(events, key=lambda e: e[0])


def _evasion(rng: Random, admin: _Attacker, t: int) -> list[Event]:
    console = Caller(iam_user(NEW_USER, "", user_id=NEW_USER_ID), ATTACKER_IP, TOR_BROWSER)
    trail, guardduty = "cloudtrail.amazonaws.com", "guardduty.amazonaws.com"
    narrowed = [api_security.selector("WriteOnly", False, [])]
    return [
        api_iam.console_login(rng, console, t, mfa=False),
        api_iam.get_caller_identity(rng, admin.caller("sts.amazonaws.com", "GetCallerIdentity"), t + 128),
        admin.read(t + 158, EAST, "DescribeTrails"),
        api_security.stop_logging(rng, admin.caller(trail, "StopLogging"), t + 208, TRAIL_ARN),
        api_security.put_event_selectors(
            rng, admin.caller(trail, "PutEventSelectors"), t + 248, TRAIL, narrowed
        ),
        admin.read(t + 298, EAST, "ListDetectors"),
        api_security.create_filter(
            rng,
            admin.caller(guardduty, "CreateFilter"),
            t + 338,
            EAST,
            DETECTORS[EAST],
            "suppress-all",
        ),
        admin.read(t + 418, "eu-west-1", "ListDetectors"),
        api_security.update_detector(
            rng,
            admin.caller(guardduty, "UpdateDetector"),
            t + 448,
            "eu-west-1",
            DETECTORS["eu-west-1"],
            False,
        ),
    ]


def _snapshots(rng: Random, admin: _Attacker, t: int) -> list[Event]:
    ec2, rds = "ec2.amazonaws.com", "rds.amazonaws.com"
    created, snapshot = api_compute.create_snapshot(
        rng, admin.caller(ec2, "CreateSnapshot"), t + 70, EAST, PROD_VOLUME, "backup"
    )
    db_snapshot = f"{DB_INSTANCE}-backup-{iso(t)[5:10].replace('-', '')}"
    return [
        admin.read(t, EAST, "DescribeInstances"),
        admin.read(t + 30, EAST, "DescribeVolumes"),
        created,
        admin.read(t + 330, EAST, "DescribeSnapshots"),
        api_compute.share_snapshot(
            rng, admin.caller(ec2, "ModifySnapshotAttribute"), t + 375, EAST, snapshot, OUTSIDE
        ),
        admin.read(t + 420, EAST, "DescribeDBInstances"),
        api_compute.create_db_snapshot(
            rng, admin.caller(rds, "CreateDBSnapshot"), t + 480, EAST, DB_INSTANCE, db_snapshot
        ),
        admin.read(t + 1000, EAST, "DescribeDBSnapshots"),
        api_compute.share_db_snapshot(
            rng, admin.caller(rds, "ModifyDBSnapshotAttribute"), t + 1030, EAST, db_snapshot, OUTSIDE
        ),
    ]


def _exfiltration(rng: Random, admin: _Attacker, t: int, count: int) -> list[Event]:
    sync = Caller(admin.identity, ATTACKER_IP, CLI.format("s3.sync"))
    via_s3 = Caller(
        {**admin.identity, "invokedBy": "s3.amazonaws.com"}, "s3.amazonaws.com", "s3.amazonaws.com", tls=None
    )
    events = [
        api_s3.list_objects(rng, sync, t + i * 3, EAST, EXPORT_BUCKET, "exports/")
        for i in range(count // 200 + 1)
    ]
    key_arn, bucket_arn = KMS_KEYS[EAST], f"arn:aws:s3:::{EXPORT_BUCKET}"
    start = t + 30
    for i in range(count):
        when = start + i * 870 // max(count, 1)
        day = iso(start - (i // 5 + 1) * 86400)[:10].replace("-", "/")
        key = f"exports/{day}/customers-part-{i % 5:04d}.csv.gz"
        if i % 150 == 0:
            events.append(api_security.kms_for_s3(rng, via_s3, when, EAST, "Decrypt", key_arn, bucket_arn))
        size = rng.randint(2 * 10**6, 4 * 10**7)
        events.append(api_s3.get_object(rng, sync, when, EAST, EXPORT_BUCKET, key, size))
    secrets = "secretsmanager.amazonaws.com"
    when = start + 900
    events.append(admin.read(when, EAST, "ListSecrets"))
    reader = admin.caller(secrets, "GetSecretValue")
    for w, secret in zip(spaced(rng, when + 40, len(SECRETS_TAKEN), 20, 60), SECRETS_TAKEN, strict=True):
        events.append(api_security.get_secret_value(rng, reader, w, EAST, secret))
    return events
