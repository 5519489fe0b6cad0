"""The noise actors' sessions: who they are, where they call from, and the STS call that started each session.

Session credentials are derived from (seed, actor, time bucket), so every file generated in parallel sees
the same ASIA key for the same session. The call that created a session is returned only the first time
the session is used within the run's window, and only if it was created inside that window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random

from tools.synth.api_iam import assume_role, assume_role_saml, assume_role_web_identity
from tools.synth.ids import key_id, seeded
from tools.synth.inventory import VPCE
from tools.synth.principals import (
    SSO_ROLE,
    TLS12,
    USER_KEYS,
    VENDOR,
    Caller,
    assumed_role,
    aws_account,
    iam_user,
    saml_user,
    service_caller,
    web_identity,
)
from tools.synth.record import Event

BOTO3 = (
    "Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.209-198.858.amzn2.x86_64 md/arch#x86_64 "
    "lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.51"
)
JAVA_SDK = (
    "aws-sdk-java/2.25.6 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS "
    "Java/17.0.10 "
    "vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy"
)
TERRAFORM = (
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0 "
    "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 os/linux lang/go#1.21.8 "
    "md/GOOS#linux md/GOARCH#amd64"
)
GITHUB_OIDC = (
    "aws-sdk-js/3.515.0 ua/2.0 os/linux#6.5.0-1015-azure lang/js md/nodejs#20.11.1 api/sts#3.515.0 "
    "configure-aws-credentials-for-github-actions"
)
AWS_CLI_CI = (
    "aws-cli/2.15.25 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1015-azure md/arch#x86_64 lang/python#3.11.8 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off"
)
DATADOG = "Datadog-AWS-Integration/1.0 aws-sdk-go/1.50.8 (go1.21.6; linux; amd64)"
CHROME = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0"
DATADOG_IPS = ("3.233.144.12", "44.192.28.115", "52.20.45.205", "18.232.30.14")
DATADOG_PRINCIPAL = "AROAZ6LMQX3VK2HDWPT4Y:datadog-crawler"
DATADOG_EXTERNAL_ID = "7c2e1b0a9f4d4e3bb1f3a2c5d6e7f809"
GITHUB_SUBJECT = "repo:acme/platform:ref:refs/heads/main"
OFFICE_IPS = {"alice": "203.0.113.24", "bob": "203.0.113.57", "carol": "203.0.113.81"}
HUMAN_AGENTS = {"alice": CHROME, "bob": FIREFOX, "carol": CHROME}
REPORTING_IPS = ("10.0.12.41", "10.0.12.87", "10.0.13.15")


@dataclass
class Ctx:
    """One generation run's shared state: RNG, seed, window and the sessions already announced."""

    rng: Random
    seed: int
    window: tuple[int, int]
    announced: set[tuple[str, int]] = field(default_factory=set)
    sessions: dict[tuple[str, int], tuple[Caller, int]] = field(default_factory=dict)

    def session_rng(self, actor: str, bucket: int) -> Random:
        """The RNG of one session, the same in every worker."""
        return seeded(self.seed, actor, bucket)

    def session(
        self, actor: str, bucket: int, build: Callable[[Random], tuple[Caller, int]]
    ) -> tuple[Caller, int]:
        """The (caller, creation time) of a session, built once from its own RNG."""
        found = self.sessions.get((actor, bucket))
        if found is None:
            found = self.sessions[(actor, bucket)] = build(self.session_rng(actor, bucket))
        return found

    def announce(self, actor: str, bucket: int, created: int) -> bool:
        """True the first time a session created inside the window is used."""
        if (actor, bucket) in self.announced or not self.window[0] <= created < self.window[1]:
            return False
        self.announced.add((actor, bucket))
        return True


def _datadog_session(srng: Random, bucket: int) -> tuple[Caller, int]:
    created = bucket * 3600 - srng.randint(1, 240)
    identity = assumed_role("datadog-integration", "DatadogAWSIntegration", key_id(srng), created)
    return Caller(identity, srng.choice(DATADOG_IPS), DATADOG), created


def datadog(ctx: Ctx, t: int, region: str) -> tuple[Caller, list[Event]]:
    """The vendor's hourly session on role/datadog-integration, per region, from the vendor's crawlers."""
    bucket, actor = t // 3600, f"datadog/{region}"
    caller, created = ctx.session(actor, bucket, lambda srng: _datadog_session(srng, bucket))
    if not ctx.announce(actor, bucket, created):
        return caller, []
    vendor = Caller(aws_account(VENDOR, DATADOG_PRINCIPAL), caller.source_ip, DATADOG)
    key = str(caller.identity["accessKeyId"])
    start = assume_role(
        ctx.rng,
        vendor,
        created,
        region,
        "datadog-integration",
        "DatadogAWSIntegration",
        key,
        external_id=DATADOG_EXTERNAL_ID,
    )
    return caller, [start]


def github_actions(ctx: Ctx, t: int, region: str) -> tuple[Caller, list[Event]]:
    """A GitHub Actions job: OIDC AssumeRoleWithWebIdentity, then the runner's role session."""
    rng = ctx.rng
    ip = f"{rng.choice((20, 4, 52))}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    key = key_id(rng)
    runner = Caller(web_identity("token.actions.githubusercontent.com", GITHUB_SUBJECT), ip, GITHUB_OIDC)
    start = assume_role_web_identity(rng, runner, t, region, "github-actions-deploy", "GitHubActions", key)
    identity = assumed_role("github-actions-deploy", "GitHubActions", key, t)
    return Caller(identity, ip, AWS_CLI_CI), [start]


def terraform(ctx: Ctx, t: int, region: str) -> tuple[Caller, list[Event]]:
    """A Terraform run: the CI job chains into role/terraform-apply."""
    ci, events = github_actions(ctx, t, region)
    session = f"gha-terraform-{ctx.rng.randint(8000000000, 8999999999)}"
    key = key_id(ctx.rng)
    ci_tf = Caller(ci.identity, ci.source_ip, TERRAFORM)
    events.append(assume_role(ctx.rng, ci_tf, t + 2, region, "terraform-apply", session, key))
    identity = assumed_role("terraform-apply", session, key, t + 2)
    return Caller(identity, ci.source_ip, TERRAFORM), events


def _orders_session(srng: Random, bucket: int) -> tuple[Caller, int]:
    created = bucket * 21600 - srng.randint(1, 900)
    task, key = f"{srng.getrandbits(128):032x}", key_id(srng)
    ip = f"10.0.{srng.randint(20, 23)}.{srng.randint(4, 250)}"
    return Caller(
        assumed_role("orders-api", task, key, created), ip, JAVA_SDK, tls=TLS12, vpce=VPCE["s3"]
    ), created


def orders_api(ctx: Ctx, t: int, region: str) -> tuple[Caller, Caller, list[Event]]:
    """The ECS task role of role/orders-api (6-hour credentials): its own caller and S3's on its behalf."""
    bucket, actor = t // 21600, f"orders/{region}"
    caller, created = ctx.session(actor, bucket, lambda srng: _orders_session(srng, bucket))
    via_s3 = service_caller("s3.amazonaws.com", {**caller.identity, "invokedBy": "s3.amazonaws.com"})
    if not ctx.announce(actor, bucket, created):
        return caller, via_s3, []
    task = str(caller.identity["arn"]).rsplit("/", 1)[1]
    ecs = service_caller("ecs-tasks.amazonaws.com")
    start = assume_role(
        ctx.rng, ecs, created, region, "orders-api", task, str(caller.identity["accessKeyId"])
    )
    return caller, via_s3, [start]


def _service_session(srng: Random, bucket: int, role: str, session: str, service: str) -> tuple[Caller, int]:
    created = bucket * 3600 - srng.randint(1, 600)
    return service_caller(
        service, assumed_role(role, session, key_id(srng), created, invoked_by=service)
    ), created


def service_role(
    ctx: Ctx, t: int, region: str, role: str, session: str, service: str
) -> tuple[Caller, list[Event]]:
    """An AWS service working through its service-linked role (hourly sessions)."""
    bucket, actor = t // 3600, f"{role}/{region}"
    caller, created = ctx.session(
        actor, bucket, lambda srng: _service_session(srng, bucket, role, session, service)
    )
    if not ctx.announce(actor, bucket, created):
        return caller, []
    key = str(caller.identity["accessKeyId"])
    return caller, [assume_role(ctx.rng, service_caller(service), created, region, role, session, key)]


def human(ctx: Ctx, who: str, login: int) -> tuple[Caller, Caller]:
    """A person's console session from the office: browser calls and calls the console makes internally."""
    srng = ctx.session_rng(who, login)
    key = key_id(srng)
    if who == "carol":
        identity = assumed_role(SSO_ROLE, "carol@example.com", key, login)
    else:
        identity = iam_user(who, key, console_since=login, mfa=True)
    browser = Caller(identity, OFFICE_IPS[who], HUMAN_AGENTS[who], console=True)
    internal = Caller(identity, "AWS Internal", "AWS Internal", tls=None, console=True)
    return browser, internal


def sso_sign_in(ctx: Ctx, t: int) -> Event:
    """Carol's IAM Identity Center sign-in: AssumeRoleWithSAML of the permission-set role."""
    browser = Caller(saml_user("carol@example.com"), OFFICE_IPS["carol"], HUMAN_AGENTS["carol"])
    key = key_id(ctx.session_rng("carol", t))
    return assume_role_saml(ctx.rng, browser, t, SSO_ROLE, "carol@example.com", key)


def reporting(service: str, ip: str) -> Caller:
    """svc-reporting's long-term key used by the nightly job inside the VPC (through endpoints)."""
    return Caller(iam_user("svc-reporting", USER_KEYS["svc-reporting"]), ip, BOTO3, vpce=VPCE[service])
