"""The triage runbook: standard containment filled from findings, and nothing that runs AWS calls."""

from __future__ import annotations

import ast
import json
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.report_support import detection, finding, session, user
from trailhunt.report.correlate import correlate
from trailhunt.report.runbook import REVOKE_DOCUMENT, runbook

REPORT_PACKAGE = Path(__file__).parents[1] / "src" / "trailhunt" / "report"
KEY = "AKIAQ3EGRZ5PLW7TNVXK"
CREATE_USER = detection(
    "create_user",
    "persistence",
    response=[
        "Delete the new user once reviewed: aws iam delete-user --user-name '{{ finding.target_user }}'"
    ],
)
STOP = detection("stop_logging", "defense-evasion")


def _book(findings, classes=None):
    (candidate,) = correlate(findings, classes or {})
    return runbook(candidate)


def _commands(book):
    return [shlex.split(s.command) for s in book.steps if s.command]


def test_leaked_user_key_is_deactivated_and_the_created_user_contained():
    book = _book(
        [
            finding(
                CREATE_USER,
                "2024-03-13T14:02:10Z",
                user("svc-reporting"),
                key=KEY,
                target_user="backup-admin",
            )
        ]
    )
    commands = _commands(book)
    assert [
        "aws", "iam", "update-access-key", "--status", "Inactive", "--access-key-id", KEY, "--user-name", "svc-reporting",
    ] in commands  # fmt: skip
    assert ["aws", "iam", "delete-login-profile", "--user-name", "backup-admin"] in commands
    assert ["aws", "iam", "attach-user-policy", "--user-name", "backup-admin", "--policy-arn",
            "arn:aws:iam::aws:policy/AWSDenyAll"] in commands  # fmt: skip
    assert ["aws", "iam", "list-access-keys", "--user-name", "backup-admin"] in commands
    from_detection = [s for s in book.containment if s.source == "create_user"]
    assert from_detection[0].text == "Delete the new user once reviewed:"
    assert shlex.split(from_detection[0].command) == [
        "aws",
        "iam",
        "delete-user",
        "--user-name",
        "backup-admin",
    ]
    checks = [s for s in book.checks if s.command]
    assert shlex.split(checks[0].command)[:5] == [
        "aws", "cloudtrail", "lookup-events", "--lookup-attributes", f"AttributeKey=AccessKeyId,AttributeValue={KEY}",
    ]  # fmt: skip


def test_role_sessions_are_revoked_with_a_token_issue_time_deny():
    book = _book(
        [
            finding(
                STOP,
                "2024-03-13T14:21:07Z",
                session("ops-admin", "mallory"),
                "StopLogging",
                key="ASIAZ4ETQ2NXPW6RT4UB",
            )
        ]
    )
    (revoke,) = [s for s in book.containment if "put-role-policy" in (s.command or "")]
    words = shlex.split(revoke.command)
    assert words[:7] == [
        "aws",
        "iam",
        "put-role-policy",
        "--role-name",
        "ops-admin",
        "--policy-name",
        "AWSRevokeOlderSessions",
    ]
    assert "aws:TokenIssueTime" in REVOKE_DOCUMENT
    assert not any(
        "update-access-key" in (s.command or "") for s in book.steps
    )  # temporary keys are revoked, not deactivated


def test_revoke_command_prints_valid_policy_json_in_a_real_shell():
    book = _book([finding(STOP, "2024-03-13T14:21:07Z", session("ops-admin", "mallory"), "StopLogging")])
    (revoke,) = [s.command for s in book.containment if "put-role-policy" in (s.command or "")]
    document = revoke.split(" --policy-document ", 1)[1]
    printed = subprocess.run(
        ["bash", "-c", f"printf '%s' {document}"], capture_output=True, text=True, check=True
    )
    statement = json.loads(printed.stdout)["Statement"][0]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"]["DateLessThan"]["aws:TokenIssueTime"].endswith("Z")


def test_automation_gets_a_pipeline_check_and_a_warning_on_revocation():
    role = session("terraform-apply", "tf-run-8812")
    book = _book([finding(STOP, "2024-03-13T14:21:07Z", role, "StopLogging")], {role: "automation"})
    assert book.checks[0].text.startswith("Find the pipeline run that used")
    assert any("stops running pipelines" in s.text for s in book.containment)


def test_service_linked_roles_are_not_revoked():
    role = session("AWSServiceRoleForConfig", "AWSConfig-Describe")
    book = _book([finding(STOP, "2024-03-13T14:21:07Z", role, "StopLogging")], {role: "aws-service"})
    assert not any("put-role-policy" in (s.command or "") for s in book.steps)


def test_root_gets_a_manual_step():
    book = _book([finding(STOP, "2024-03-13T14:21:07Z", "arn:aws:iam::111122223333:root", "StopLogging")])
    assert any(s.text.startswith("Root acted") for s in book.containment)


@pytest.mark.parametrize("path", sorted(REPORT_PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_report_code_imports_nothing_that_could_call_aws_or_run_commands(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import)
            else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        )
    }  # fmt: skip
    assert not imported & {"boto3", "botocore", "aiobotocore", "pyathena", "subprocess", "requests", "urllib"}


def test_detection_steps_repeating_a_standard_command_are_dropped_and_leads_wait_for_checks():
    repeat = detection(
        "create_user_again",
        "persistence",
        response=["Contain it: aws iam delete-login-profile --user-name '{{ finding.target_user }}'"],
    )
    book = _book(
        [finding(repeat, "2024-03-13T14:02:10Z", user("alice"), target_user="dave")], {user("alice"): "human"}
    )
    assert [s.source for s in book.containment if "delete-login-profile" in (s.command or "")].count(
        "create_user_again"
    ) == 0
    assert book.contain_heading == "Contain, only if the checks point to misuse"
