"""People in the console: IAM users alice and bob (MFA, office network), carol through IAM Identity Center."""

from __future__ import annotations

from random import Random

from tools.synth import actors, api_compute, api_iam
from tools.synth.actors import Ctx
from tools.synth.ids import spaced, unique_id
from tools.synth.inventory import INSTANCES
from tools.synth.principals import Caller, iam_user
from tools.synth.reads import read
from tools.synth.record import Event

REGIONAL_CONSOLE_READS = (
    "DescribeInstances", "DescribeInstanceStatus", "DescribeSecurityGroups", "DescribeAlarms",
    "GetMetricData", "DescribeLogGroups", "DescribeDBInstances", "ListFunctions20150331", "DescribeServices",
)  # fmt: skip
CONSOLE_READS = (
    *REGIONAL_CONSOLE_READS, "ListBuckets", "GetBucketAcl", "GetBucketPolicy", "GetBucketLocation",
    "DescribeLogStreams", "GetFunction20150331v2", "DescribeTrails", "ListUsers", "ListRoles", "GetRole",
    "ListPolicies", "GetAccountSummary", "ListAttachedRolePolicies",
)  # fmt: skip
BOB_DENIED = frozenset({"ListSecrets", "DescribeDBLogFiles", "GetAccountAuthorizationDetails"})
PEOPLE = ("alice", "bob", "carol")


def sign_in(ctx: Ctx, who: str, t: int, *, failed_first: bool = False) -> list[Event]:
    """The sign-in that opens a console session (a failed attempt first when ``failed_first``)."""
    if who == "carol":
        return [actors.sso_sign_in(ctx, t)]
    browser, _ = actors.human(ctx, who, t)
    user = Caller(iam_user(who, ""), browser.source_ip, browser.user_agent)
    events = []
    if failed_first:
        events.append(
            api_iam.console_login(ctx.rng, user, t - ctx.rng.randint(20, 90), mfa=False, success=False)
        )
    events.append(api_iam.console_login(ctx.rng, user, t, mfa=True))
    return events


def console_session(
    ctx: Ctx,
    t: int,
    region: str,
    who: str | None = None,
    writes: tuple[str, ...] = (),
    failed_first: bool = False,
) -> list[Event]:
    """A console session: sign-in, browsing (some calls made by the console itself), then ``writes``."""
    rng = ctx.rng
    who = who or rng.choice(PEOPLE)
    events = sign_in(ctx, who, t, failed_first=failed_first)
    browser, internal = actors.human(ctx, who, t)
    pool = CONSOLE_READS if region == "us-east-1" else REGIONAL_CONSOLE_READS
    names = rng.choices(pool, k=rng.randint(6, 24))
    if who == "bob" and rng.random() < 0.6:
        names.insert(rng.randint(0, len(names)), rng.choice(sorted(BOB_DENIED)))
    times = spaced(rng, t + 15, len(names), 3, 90)
    for when, name in zip(times, names, strict=True):
        caller = internal if rng.random() < 0.2 else browser
        events.append(read(rng, caller, when, region, name, denied=who == "bob" and name in BOB_DENIED))
    when = times[-1] + rng.randint(30, 300)
    for name in writes:
        made = HUMAN_WRITES[name](rng, browser, when, region)
        events.extend(made)
        when = made[-1][0] + rng.randint(20, 120)
    return events


def _onboard_user(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    """A new colleague gets a console user with read-only access and a temporary password."""
    return [
        api_iam.create_user(rng, caller, t, "dave", unique_id(rng, "AIDA")),
        api_iam.attach_policy(rng, caller, t + 40, "User", "dave", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        api_iam.create_login_profile(rng, caller, t + 75, "dave", reset=True),
    ]


def _reboot(rng: Random, caller: Caller, t: int, region: str) -> list[Event]:
    """An admin reboots a stuck instance."""
    instance = rng.choice(INSTANCES[region])
    params = {"instancesSet": {"items": [{"instanceId": instance}]}}
    return [api_compute.ec2_call(rng, caller, t, region, "RebootInstances", params, _return=True)]


HUMAN_WRITES = {"onboard-user": _onboard_user, "reboot": _reboot}
