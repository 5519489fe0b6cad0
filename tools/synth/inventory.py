"""The resources of the synthetic account (buckets, instances, keys, secrets...), fixed across seeds."""

from __future__ import annotations

from tools.synth.ids import hex_id, seeded, uuid4
from tools.synth.principals import ACCOUNT, REGIONS

_FIXED = seeded("trailhunt.synth.inventory")

BUCKETS = (
    "acme-orders-data",
    "acme-customer-exports",
    "acme-deploy-artifacts",
    "acme-reports",
    "acme-web-assets",
)
EXPORT_BUCKET = "acme-customer-exports"
ORDERS_BUCKET = "acme-orders-data"
ARTIFACT_BUCKET = "acme-deploy-artifacts"
ROLE_NAMES = (
    "orders-api",
    "github-actions-deploy",
    "terraform-apply",
    "datadog-integration",
    "orders-worker",
)
POLICY_ARNS = (
    f"arn:aws:iam::{ACCOUNT}:policy/orders-api-s3",
    f"arn:aws:iam::{ACCOUNT}:policy/deploy-ecs",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
)
INSTANCES = {r: tuple(hex_id(_FIXED, "i") for _ in range(6)) for r in REGIONS}
VOLUMES = {r: tuple(hex_id(_FIXED, "vol") for _ in range(6)) for r in REGIONS}
SECURITY_GROUPS = {r: tuple(hex_id(_FIXED, "sg") for _ in range(3)) for r in REGIONS}
AMIS = {r: hex_id(_FIXED, "ami") for r in REGIONS}
SUBNETS = {r: hex_id(_FIXED, "subnet") for r in REGIONS}
PROD_VOLUME = VOLUMES["us-east-1"][0]
DETECTORS = {r: f"{_FIXED.getrandbits(128):032x}" for r in REGIONS}
KMS_KEYS = {r: f"arn:aws:kms:{r}:{ACCOUNT}:key/{uuid4(_FIXED)}" for r in REGIONS}
SECRETS = (
    "prod/orders-db",
    "prod/stripe-api-key",
    "prod/sendgrid",
    "prod/datadog-api-key",
    "prod/jwt-signing",
)
FUNCTIONS = ("orders-webhook", "export-scheduler", "thumbnailer", "slack-notifier")
LOG_GROUPS = (
    "/ecs/orders-api",
    "/aws/lambda/orders-webhook",
    "/aws/lambda/export-scheduler",
    "/ecs/orders-worker",
)
DB_INSTANCE = "prod-orders-db"
CLUSTER = "prod"
SERVICES = ("orders-api", "orders-worker")
TRAIL = "org-trail"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{TRAIL}"
LOG_BUCKET = "acme-cloudtrail-logs"
VPCE = {"s3": hex_id(_FIXED, "vpce"), "athena": hex_id(_FIXED, "vpce"), "sts": hex_id(_FIXED, "vpce")}
