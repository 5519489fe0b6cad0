"""Real CloudTrail: every Stratus Red Team detonation log, hunted the way `trailhunt hunt` hunts.

Each recording (fixtures/recordings/stratus-red-team, Apache-2.0, see SOURCE.md) is what a real
attack wrote in a real AWS account. The table below states which detections must fire on it and
of which kind (a failed call is an attempt); the hunt runs with an empty account context, as a
first hunt on an unknown account would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CATALOG, PROJECT
from trailhunt.hunt import hunt
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer

RECORDINGS = PROJECT.fixtures / "recordings" / "stratus-red-team"
F, A = "finding", "attempt"

# recording -> {detection id: kind that must be among its findings}
EXPECTED: dict[str, dict[str, str]] = {
    "aws.credential-access.ec2-get-password-data": {"ec2_password_data_retrieved": F},
    "aws.credential-access.ec2-steal-instance-credentials": {
        "ssm_command_or_session_by_unusual_principal": F,  # SendCommand that fetches the credentials
        "ec2_instance_credentials_used_outside_aws": F,  # the i-... session used from outside (mixed-case id)
    },
    # Only the BatchGetSecretValue calls (by tag filter) are in the log: the filtered batch counts.
    "aws.credential-access.secretsmanager-batch-retrieve-secrets": {"secretsmanager_secret_read_burst": F},
    "aws.credential-access.secretsmanager-retrieve-secrets": {"secretsmanager_secret_read_burst": F},
    "aws.credential-access.ssm-retrieve-securestring-parameters": {"ssm_parameter_decrypt_burst": F},
    "aws.defense-evasion.cloudtrail-delete": {"cloudtrail_logging_stopped": F},
    "aws.defense-evasion.cloudtrail-event-selectors": {"cloudtrail_event_selectors_narrowed": F},
    "aws.defense-evasion.cloudtrail-stop": {"cloudtrail_logging_stopped": F},
    "aws.defense-evasion.dns-delete-logs": {"route53_resolver_query_logging_removed": F},
    # LeaveOrganization is denied in the recording (the account is not a member): an attempt.
    "aws.defense-evasion.organizations-leave": {"organization_leave_attempt": A},
    "aws.defense-evasion.vpc-remove-flow-logs": {"vpc_flow_logs_deleted": F},
    # Fifteen userData reads in seconds, all denied: the sweep (medium) and the per-principal lead.
    "aws.discovery.ec2-download-user-data": {"ec2_userdata_sweep": F, "ec2_userdata_read": F},
    # RunInstances p2.xlarge refused with Client.UnauthorizedOperation: an attempt.
    "aws.execution.ec2-launch-unusual-instances": {"ec2_accelerated_or_unexpected_region_launch": A},
    "aws.execution.ec2-user-data": {"ec2_user_data_modified": F},
    "aws.execution.ssm-send-command": {"ssm_command_or_session_by_unusual_principal": F},
    "aws.execution.ssm-start-session": {"ssm_command_or_session_by_unusual_principal": F},
    # The CLI's --cidr form (top-level cidrIp, empty ipPermissions); the anonymised range ends in /0.
    "aws.exfiltration.ec2-security-group-open-port-22-ingress": {
        "security_group_admin_port_open_to_world": F
    },
    "aws.exfiltration.ec2-share-ami": {"ec2_ami_shared_externally": F},
    "aws.exfiltration.ec2-share-ebs-snapshot": {"ec2_snapshot_shared_externally": F},
    "aws.exfiltration.rds-share-snapshot": {"rds_snapshot_shared_externally": F},
    "aws.impact.bedrock-invoke-model": {"bedrock_model_access_enabled": F},
    "aws.initial-access.console-login-without-mfa": {"console_login_without_mfa": F},
    "aws.lateral-movement.ec2-instance-connect": {"ec2_instance_connect_ssh_key_pushed": F},
    "aws.lateral-movement.ec2-serial-console-send-ssh-public-key": {"ec2_serial_console_access": F},
    "aws.persistence.iam-backdoor-role": {"iam_role_trust_policy_allows_outside_account": F},
    "aws.persistence.iam-backdoor-user": {"iam_access_key_created_for_other_user": F},
    "aws.persistence.iam-create-admin-user": {
        "iam_user_created_outside_automation": F,
        "iam_admin_policy_attached": F,
        "iam_access_key_created_for_other_user": F,
    },
    "aws.persistence.iam-create-backdoor-role": {
        "iam_role_trust_policy_allows_outside_account": F,
        "iam_admin_policy_attached": F,
    },
    "aws.persistence.iam-create-user-login-profile": {"iam_login_profile_set_for_other_user": F},
    "aws.persistence.lambda-backdoor-function": {"lambda_permission_granted_to_outside_principal": F},
    "aws.persistence.lambda-layer-extension": {"lambda_layer_attached_outside_automation": F},
    "aws.persistence.lambda-overwrite-code": {"lambda_function_code_overwritten": F},
    "aws.persistence.rolesanywhere-create-trust-anchor": {"rolesanywhere_trust_anchor_changed": F},
    "aws.persistence.sts-federation-token": {"sts_federation_token_created": F},
    "aws.privilege-escalation.iam-update-user-login-profile": {"iam_login_profile_set_for_other_user": F},
}


def _records(path: Path) -> list[dict]:
    data = json.loads(path.read_bytes())
    return data["Records"] if isinstance(data, dict) else data


def test_every_recording_has_an_expectation() -> None:
    stems = sorted(p.name.removesuffix(".json") for p in RECORDINGS.glob("*.json"))
    assert len(stems) == 35
    assert stems == sorted(EXPECTED)
    assert (RECORDINGS / "LICENSE").is_file() and (RECORDINGS / "SOURCE.md").is_file()


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_recording_raises_its_detections(stem: str) -> None:
    path = RECORDINGS / f"{stem}.json"
    result = hunt([path], Renderer(PROJECT), CATALOG.detections, AccountContext())
    assert result.errors == []
    assert result.load.events == len(_records(path)), "every record of the recording is loaded"
    fired = {(f.detection.id, f.kind) for f in result.findings}
    missing = {(d, kind) for d, kind in EXPECTED[stem].items() if (d, kind) not in fired}
    assert not missing, f"{stem}: missing {sorted(missing)}; fired {sorted(fired)}"
