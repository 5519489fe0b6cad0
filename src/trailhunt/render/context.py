"""The account context: who is human or automation, what regions, accounts and networks are expected.

Values here reach SQL only through ``sqltext`` literal quoting, never as raw text.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from trailhunt.catalog.detection import ParameterValue
from trailhunt.catalog.yamlfile import load_yaml_file
from trailhunt.problems import Problem, ProblemError

ACCOUNT_ID = re.compile(r"^\d{12}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


def _account_id(value: str) -> str:
    if not ACCOUNT_ID.match(value):
        raise ValueError(f"{value!r} is not a 12-digit AWS account id")
    return value


def _region(value: str) -> str:
    if not REGION.match(value):
        raise ValueError(f"{value!r} is not an AWS region name")
    return value


def _ipv4_network(value: str) -> str:
    network = ipaddress.ip_network(value, strict=False)
    if network.version != 4:
        raise ValueError(f"{value!r}: only IPv4 networks are supported in trusted_cidrs")
    return str(network)


def _arn_glob(value: str) -> str:
    if not value.startswith("arn:") and value != "*":
        raise ValueError(f"{value!r} is not an ARN or ARN glob (arn:aws:iam::*:role/name-*)")
    return value


def _user_agent_glob(value: str) -> str:
    if not value.strip() or "\x00" in value:
        raise ValueError(f"{value!r} is not a user-agent pattern (non-empty text, * for any run)")
    return value


AccountId = Annotated[str, AfterValidator(_account_id)]
Region = Annotated[str, AfterValidator(_region)]
Network = Annotated[str, AfterValidator(_ipv4_network)]
ArnGlob = Annotated[str, AfterValidator(_arn_glob)]
UserAgentGlob = Annotated[str, AfterValidator(_user_agent_glob)]


class AutomationRule(BaseModel):
    """A principal that is automation only when it calls with these user agents and/or from these
    networks; the same principal otherwise is treated as a person or unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    principal: ArnGlob
    user_agents: list[UserAgentGlob] = Field(
        default_factory=list, description="patterns matched anywhere in the user agent (* = any run)"
    )
    networks: list[Network] = Field(default_factory=list, description="IPv4 source networks")

    @model_validator(mode="after")
    def _has_a_condition(self) -> AutomationRule:
        if not self.user_agents and not self.networks:
            raise ValueError("give user_agents and/or networks, or list the ARN glob alone")
        return self


class AccountContext(BaseModel):
    """What the user knows about their accounts; every list may be empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "default"
    account_ids: list[AccountId] = Field(default_factory=list, description="accounts you own")
    humans: list[ArnGlob] = Field(default_factory=list)
    automation: list[ArnGlob | AutomationRule] = Field(
        default_factory=list,
        description="CI/IaC and pipeline roles: an ARN glob, or a rule with user_agents and/or networks",
    )
    service_accounts: list[ArnGlob] = Field(default_factory=list, description="app users and roles")
    expected_regions: list[Region] = Field(default_factory=list)
    trusted_accounts: list[AccountId] = Field(default_factory=list, description="partners, vendors")
    trusted_cidrs: list[Network] = Field(default_factory=list, description="office/VPN egress")
    parameters: dict[str, dict[str, ParameterValue]] = Field(
        default_factory=dict, description="per-detection overrides: {detection_id: {param: value}}"
    )

    @property
    def known_accounts(self) -> list[str]:
        """Accounts that are yours or trusted."""
        return sorted(set(self.account_ids) | set(self.trusted_accounts))


def load_context(path: Path | None) -> AccountContext:
    """Load a context file; ``None`` gives an empty context. Errors name the file and key."""
    if path is None:
        return AccountContext()
    raw = load_yaml_file(path) or {}
    if not isinstance(raw, dict):
        raise ProblemError([Problem("CTX001", "the context file is not a YAML mapping", path, 1)])
    try:
        return AccountContext.model_validate(raw)
    except ValidationError as error:
        problems = [
            Problem("CTX002", f"{'.'.join(map(str, e['loc']))}: {e['msg']}", path) for e in error.errors()
        ]
        raise ProblemError(problems) from error
