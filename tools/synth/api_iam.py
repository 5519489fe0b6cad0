"""IAM, STS and sign-in records: user and role changes, role assumption, console sign-in."""

from __future__ import annotations

import json
from random import Random
from urllib.parse import quote

from tools.synth.ids import iam_date, token
from tools.synth.principals import (
    ACCOUNT,
    ROLE_IDS,
    SSO_PROVIDER,
    Caller,
    assumed_arn,
    role_arn,
    user_arn,
)
from tools.synth.record import Event, record

IAM = "iam.amazonaws.com"
STS = "sts.amazonaws.com"
SIGNIN = "signin.amazonaws.com"
GLOBAL = "us-east-1"
SSO_ISSUER = "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTIyMjIzMzMzX2lucy1hY21lMDE"
LOGIN_TO = (
    "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1"
)


def policy_json(statements: list[dict[str, object]]) -> str:
    """A policy document as the JSON string IAM records in requestParameters."""
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":"))


def trust_policy(accounts: list[str], external_id: str | None = None) -> str:
    """A role trust policy letting ``accounts`` assume the role."""
    statement: dict[str, object] = {
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{a}:root" for a in accounts]},
        "Action": "sts:AssumeRole",
    }
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return policy_json([statement])


def iam_call(
    rng: Random,
    caller: Caller,
    t: int,
    name: str,
    params: object = None,
    response: object = None,
    *,
    error: tuple[str, str] | None = None,
) -> Event:
    """Any IAM call (IAM is global: logged in us-east-1)."""
    return record(rng, caller, t, GLOBAL, IAM, name, params, response, error=error)


def create_user(rng: Random, caller: Caller, t: int, name: str, user_id: str) -> Event:
    """CreateUser; the response carries the new user's id and ARN."""
    user = {
        "path": "/",
        "userName": name,
        "userId": user_id,
        "arn": user_arn(name),
        "createDate": iam_date(t),
    }
    return iam_call(rng, caller, t, "CreateUser", {"userName": name}, {"user": user})


def create_access_key(rng: Random, caller: Caller, t: int, name: str, key: str) -> Event:
    """CreateAccessKey for ``name``; the response names the new AKIA key (never its secret)."""
    access_key = {"userName": name, "accessKeyId": key, "status": "Active", "createDate": iam_date(t)}
    return iam_call(rng, caller, t, "CreateAccessKey", {"userName": name}, {"accessKey": access_key})


def attach_policy(rng: Random, caller: Caller, t: int, kind: str, name: str, policy_arn: str) -> Event:
    """AttachUserPolicy or AttachRolePolicy (``kind`` is "User" or "Role")."""
    params = {f"{kind.lower()}Name": name, "policyArn": policy_arn}
    return iam_call(rng, caller, t, f"Attach{kind}Policy", params)


def create_login_profile(rng: Random, caller: Caller, t: int, name: str, reset: bool) -> Event:
    """CreateLoginProfile (the password itself is never logged)."""
    profile = {"userName": name, "createDate": iam_date(t), "passwordResetRequired": reset}
    params = {"userName": name, "passwordResetRequired": reset}
    return iam_call(rng, caller, t, "CreateLoginProfile", params, {"loginProfile": profile})


def create_role(rng: Random, caller: Caller, t: int, role: str, trust: str, role_id: str) -> Event:
    """CreateRole; the response repeats the trust policy URL-encoded, as IAM does."""
    params = {"roleName": role, "assumeRolePolicyDocument": trust, "maxSessionDuration": 3600}
    created = {
        "path": "/",
        "roleName": role,
        "roleId": role_id,
        "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
        "createDate": iam_date(t),
        "assumeRolePolicyDocument": quote(trust, safe=""),
    }
    return iam_call(rng, caller, t, "CreateRole", params, {"role": created})


def put_role_policy(rng: Random, caller: Caller, t: int, role: str, policy: str, document: str) -> Event:
    """PutRolePolicy with an inline policy document (a JSON string)."""
    params = {"roleName": role, "policyName": policy, "policyDocument": document}
    return iam_call(rng, caller, t, "PutRolePolicy", params)


def update_trust(rng: Random, caller: Caller, t: int, role: str, document: str) -> Event:
    """UpdateAssumeRolePolicy replacing ``role``'s trust policy."""
    return iam_call(rng, caller, t, "UpdateAssumeRolePolicy", {"roleName": role, "policyDocument": document})


def _credentials(rng: Random, key: str, t: int, duration: int) -> dict[str, str]:
    return {"accessKeyId": key, "sessionToken": token(rng), "expiration": iam_date(t + duration)}


def assume_role(
    rng: Random,
    caller: Caller,
    t: int,
    region: str,
    role: str,
    session: str,
    key: str,
    *,
    duration: int = 3600,
    external_id: str | None = None,
) -> Event:
    """AssumeRole of one of the account's roles; the issued ASIA key is in the response."""
    params: dict[str, object] = {
        "roleArn": role_arn(role),
        "roleSessionName": session,
        "durationSeconds": duration,
    }
    if external_id:
        params["externalId"] = external_id
    response = {
        "credentials": _credentials(rng, key, t, duration),
        "assumedRoleUser": {
            "assumedRoleId": f"{ROLE_IDS[role]}:{session}",
            "arn": assumed_arn(role, session),
        },
    }
    resources = [{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": role_arn(role)}]
    cross = caller.identity.get("type") in ("AWSAccount", "AWSService")
    return record(
        rng, caller, t, region, STS, "AssumeRole", params, response, resources=resources, shared=cross
    )


def assume_role_web_identity(
    rng: Random, caller: Caller, t: int, region: str, role: str, session: str, key: str
) -> Event:
    """AssumeRoleWithWebIdentity by a GitHub Actions OIDC token."""
    subject = str(caller.identity["userName"])
    provider = str(caller.identity["identityProvider"]).split("/", 1)[1]
    params = {"roleArn": role_arn(role), "roleSessionName": session, "durationSeconds": 3600}
    response = {
        "credentials": _credentials(rng, key, t, 3600),
        "subjectFromWebIdentityToken": subject,
        "assumedRoleUser": {
            "assumedRoleId": f"{ROLE_IDS[role]}:{session}",
            "arn": assumed_arn(role, session),
        },
        "provider": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{provider}",
        "audience": "sts.amazonaws.com",
    }
    extra = {"identityProviderConnectionVerificationMethod": "IAMTrustStore", "RoleSessionName": session}
    resources = [{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": role_arn(role)}]
    return record(
        rng,
        caller,
        t,
        region,
        STS,
        "AssumeRoleWithWebIdentity",
        params,
        response,
        extra=extra,
        resources=resources,
    )


def assume_role_saml(rng: Random, caller: Caller, t: int, role: str, session: str, key: str) -> Event:
    """AssumeRoleWithSAML of an IAM Identity Center permission-set role."""
    params = {
        "sAMLAssertionID": f"_{rng.getrandbits(128):032x}",
        "roleSessionName": session,
        "durationSeconds": 43200,
        "roleArn": role_arn(role),
        "principalArn": SSO_PROVIDER,
    }
    response = {
        "credentials": _credentials(rng, key, t, 43200),
        "assumedRoleUser": {
            "assumedRoleId": f"{ROLE_IDS[role]}:{session}",
            "arn": assumed_arn(role, session),
        },
        "subject": session,
        "subjectType": "persistent",
        "issuer": SSO_ISSUER,
        "audience": "https://signin.aws.amazon.com/saml",
        "nameQualifier": "Sf8eD4tL0mWcQ9zY2kVb7xHn5uA=",
    }
    resources = [{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": role_arn(role)}]
    return record(rng, caller, t, GLOBAL, STS, "AssumeRoleWithSAML", params, response, resources=resources)


def get_caller_identity(rng: Random, caller: Caller, t: int, region: str = GLOBAL) -> Event:
    """GetCallerIdentity: the first thing anyone does with a key."""
    return record(rng, caller, t, region, STS, "GetCallerIdentity")


def console_login(rng: Random, caller: Caller, t: int, *, mfa: bool, success: bool = True) -> Event:
    """ConsoleLogin (an AwsConsoleSignIn event); a failure carries CloudTrail's error message."""
    extra = {"LoginTo": LOGIN_TO, "MobileVersion": "No", "MFAUsed": "Yes" if mfa else "No"}
    if caller.identity.get("type") == "IAMUser" and mfa:
        extra["MFAIdentifier"] = f"arn:aws:iam::{ACCOUNT}:mfa/{caller.identity['userName']}"
    return record(
        rng,
        caller,
        t,
        GLOBAL,
        SIGNIN,
        "ConsoleLogin",
        response={"ConsoleLogin": "Success" if success else "Failure"},
        error=None if success else (None, "Failed authentication"),
        extra=extra,
        event_type="AwsConsoleSignIn",
    )
