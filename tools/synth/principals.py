"""Who acts in the synthetic account: account ids, users and roles, and the ``Caller`` of each request."""

from __future__ import annotations

from dataclasses import dataclass

from tools.synth.ids import iso, seeded, unique_id

ACCOUNT = "111122223333"
PARTNER = "444455556666"
VENDOR = "464622532012"
OUTSIDE = "999988887777"
REGIONS = ("us-east-1", "eu-west-1")
SSO_ROLE = "AWSReservedSSO_AdministratorAccess_0123456789abcdef"
SSO_PROVIDER = f"arn:aws:iam::{ACCOUNT}:saml-provider/AWSSSO_5f2c8e1a9b3d4c7e_DO_NOT_DELETE"
SSO_IDP_HASH = "Xk2hT0pQ9vRz7bLm4sNw3yCe8aU="
TLS13 = ("TLSv1.3", "TLS_AES_128_GCM_SHA256")
TLS12 = ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256")

ROLE_PATHS = {
    "github-actions-deploy": "/",
    "terraform-apply": "/",
    "datadog-integration": "/",
    "orders-api": "/",
    SSO_ROLE: "/aws-reserved/sso.amazonaws.com/",
    "AWSServiceRoleForConfig": "/aws-service-role/config.amazonaws.com/",
    "AWSServiceRoleForAutoScaling": "/aws-service-role/autoscaling.amazonaws.com/",
}
_FIXED = seeded("trailhunt.synth.principals")
ROLE_IDS = {name: unique_id(_FIXED, "AROA") for name in ROLE_PATHS}
USER_IDS = {name: unique_id(_FIXED, "AIDA") for name in ("alice", "bob", "svc-reporting")}
USER_KEYS = {"svc-reporting": "AKIAQ3EGRZ5PLW7TNVXK"}


def user_arn(name: str, account: str = ACCOUNT) -> str:
    """``arn:aws:iam::ACCOUNT:user/NAME``."""
    return f"arn:aws:iam::{account}:user/{name}"


def role_arn(role: str) -> str:
    """The role's IAM ARN, path included (service-linked and SSO roles have one)."""
    return f"arn:aws:iam::{ACCOUNT}:role{ROLE_PATHS.get(role, '/')}{role}"


def assumed_arn(role: str, session: str) -> str:
    """``arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`` (no path, as STS writes it)."""
    return f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}"


@dataclass(frozen=True, slots=True)
class Caller:
    """Everything a record says about who called and from where; shared by all of its records."""

    identity: dict[str, object]
    source_ip: str
    user_agent: str
    tls: tuple[str, str] | None = TLS13
    console: bool = False
    vpce: str | None = None


def _attributes(created: int, mfa: bool) -> dict[str, str]:
    return {"creationDate": iso(created), "mfaAuthenticated": "true" if mfa else "false"}


def iam_user(
    name: str, key: str, *, user_id: str | None = None, console_since: int | None = None, mfa: bool = False
) -> dict[str, object]:
    """An IAMUser identity; a console session (``console_since``) adds its session context."""
    identity: dict[str, object] = {
        "type": "IAMUser",
        "principalId": user_id or USER_IDS[name],
        "arn": user_arn(name),
        "accountId": ACCOUNT,
        "accessKeyId": key,
        "userName": name,
    }
    if console_since is not None:
        identity["sessionContext"] = {
            "sessionIssuer": {},
            "webIdFederationData": {},
            "attributes": _attributes(console_since, mfa),
        }
    return identity


def assumed_role(
    role: str, session: str, key: str, created: int, *, mfa: bool = False, invoked_by: str | None = None
) -> dict[str, object]:
    """An AssumedRole identity with its session issuer."""
    identity: dict[str, object] = {
        "type": "AssumedRole",
        "principalId": f"{ROLE_IDS[role]}:{session}",
        "arn": assumed_arn(role, session),
        "accountId": ACCOUNT,
        "accessKeyId": key,
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": ROLE_IDS[role],
                "arn": role_arn(role),
                "accountId": ACCOUNT,
                "userName": role,
            },
            "webIdFederationData": {},
            "attributes": _attributes(created, mfa),
        },
    }
    if invoked_by:
        identity["invokedBy"] = invoked_by
    return identity


def aws_service(service: str) -> dict[str, object]:
    """An AWSService identity: the service acting on its own behalf."""
    return {"type": "AWSService", "invokedBy": service}


def service_caller(service: str, identity: dict[str, object] | None = None) -> Caller:
    """A request made by an AWS service: its host name as source and user agent, no TLS details."""
    return Caller(identity or aws_service(service), service, service, tls=None)


def aws_account(account: str, principal_id: str) -> dict[str, object]:
    """An AWSAccount identity: a principal of another account, as the callee's trail shows it."""
    return {"type": "AWSAccount", "principalId": principal_id, "accountId": account}


def web_identity(provider: str, subject: str) -> dict[str, object]:
    """A WebIdentityUser identity (AssumeRoleWithWebIdentity through an OIDC provider)."""
    provider_arn = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{provider}"
    return {
        "type": "WebIdentityUser",
        "principalId": f"{provider_arn}:sts.amazonaws.com:{subject}",
        "userName": subject,
        "identityProvider": provider_arn,
    }


def saml_user(name: str) -> dict[str, object]:
    """A SAMLUser identity (IAM Identity Center sign-in, AssumeRoleWithSAML)."""
    return {
        "type": "SAMLUser",
        "principalId": f"{SSO_IDP_HASH}:{name}",
        "userName": name,
        "identityProvider": SSO_IDP_HASH,
    }
