"""One CloudTrail record: field order, value formats, per-service constants (version, host, read-only)."""

from __future__ import annotations

import re
from random import Random

from tools.synth.ids import iso, s3_request_id, uuid4
from tools.synth.principals import ACCOUNT, Caller

Record = dict[str, object]
Event = tuple[int, Record]

S3 = "s3.amazonaws.com"
READ_PREFIXES = (
    "Describe",
    "List",
    "Get",
    "Lookup",
    "Head",
    "Decrypt",
    "GenerateDataKey",
    "AssumeRole",
    "BatchGet",
)
OLD_VERSION_SOURCES = frozenset({"sts.amazonaws.com", "signin.amazonaws.com", "kms.amazonaws.com"})
GLOBAL_HOSTS = {"iam.amazonaws.com": "iam.amazonaws.com", "signin.amazonaws.com": "signin.aws.amazon.com"}
IAM_PREFIXES = {"monitoring": "cloudwatch"}
_API_SUFFIX = re.compile(r"20\d{6}(v\d)?$")
_READ_ONLY: dict[str, bool] = {}
_TLS: dict[tuple[str, str, str], dict[str, str]] = {}


def is_read_only(name: str) -> bool:
    """CloudTrail's readOnly flag, by the API name."""
    value = _READ_ONLY.get(name)
    if value is None:
        value = _READ_ONLY[name] = name.startswith(READ_PREFIXES)
    return value


def host_for(source: str, region: str) -> str:
    """The endpoint host a client sends in its Host header for ``source`` in ``region``."""
    return GLOBAL_HOSTS.get(source) or f"{source.split('.', 1)[0]}.{region}.amazonaws.com"


def _tls(tls: tuple[str, str], host: str) -> dict[str, str]:
    key = (tls[0], tls[1], host)
    details = _TLS.get(key)
    if details is None:
        details = _TLS[key] = {"tlsVersion": tls[0], "cipherSuite": tls[1], "clientProvidedHostHeader": host}
    return details


def access_denied(caller: Caller, source: str, name: str) -> tuple[str, str]:
    """The errorCode and errorMessage of a call refused by IAM (EC2 words it differently)."""
    prefix = source.split(".", 1)[0]
    action = f"{IAM_PREFIXES.get(prefix, prefix)}:{_API_SUFFIX.sub('', name)}"
    who = f"User: {caller.identity.get('arn')} is not authorized to perform: {action}"
    reason = f"because no identity-based policy allows the {action} action"
    if source == "ec2.amazonaws.com":
        return (
            "Client.UnauthorizedOperation",
            f"You are not authorized to perform this operation. {who} {reason}",
        )
    return "AccessDenied", f"{who} {reason}"


def record(
    rng: Random,
    caller: Caller,
    t: int,
    region: str,
    source: str,
    name: str,
    params: object = None,
    response: object = None,
    *,
    error: tuple[str | None, str] | None = None,
    extra: object = None,
    resources: list[dict[str, str]] | None = None,
    data: bool = False,
    event_type: str = "AwsApiCall",
    host: str | None = None,
    shared: bool = False,
    request_id: str | None = None,
) -> Event:
    """Build one record with the keys in the order CloudTrail writes them."""
    rec: Record = {
        "eventVersion": "1.08" if source in OLD_VERSION_SOURCES else "1.09",
        "userIdentity": caller.identity,
        "eventTime": iso(t),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": caller.source_ip,
        "userAgent": f"[{caller.user_agent}]" if source == S3 and caller.tls else caller.user_agent,
    }
    if error:
        code, message = error
        if code:
            rec["errorCode"] = code
            response = None
        rec["errorMessage"] = message
    rec["requestParameters"] = params
    rec["responseElements"] = response
    if extra is not None:
        rec["additionalEventData"] = extra
    if event_type == "AwsApiCall":
        rec["requestID"] = request_id or (s3_request_id(rng) if source == S3 else uuid4(rng))
    rec["eventID"] = uuid4(rng)
    rec["readOnly"] = is_read_only(name)
    if resources:
        rec["resources"] = resources
    rec["eventType"] = event_type
    rec["managementEvent"] = not data
    rec["recipientAccountId"] = ACCOUNT
    if shared:
        rec["sharedEventID"] = uuid4(rng)
    if caller.vpce:
        rec["vpcEndpointId"] = caller.vpce
    rec["eventCategory"] = "Data" if data else "Management"
    if caller.tls:
        rec["tlsDetails"] = _tls(caller.tls, host or host_for(source, region))
    if caller.console:
        rec["sessionCredentialFromConsole"] = "true"
    return t, rec
