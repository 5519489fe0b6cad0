"""The triage runbook: per incident candidate, what a person checks first and how they contain it.

Every command here is text for a person to review and run. trailhunt runs none of them and has no
code that calls a mutating AWS API. Values from logs are shell-quoted (``shlex``); standard steps
are built from the candidate's principals and keys, detection steps from each detection's
``response`` templates (see ``fill``).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Literal

from trailhunt.baseline import EXPECTED_NOISE
from trailhunt.report.actors import named_users
from trailhunt.report.correlate import ESCALATION, Candidate
from trailhunt.report.fill import fill
from trailhunt.report.labels import CLASS_NOUNS, owner_name

PERSON_NOTICE = "Steps for a person to review and run. trailhunt executes none of them."
MAX_DETECTION_STEPS = 12
MAX_SIGNAL_CHECKS = 5
DENY_ALL_POLICY = "arn:aws:iam::aws:policy/AWSDenyAll"
# An explicit deny on credentials issued before now: the console's "Revoke active sessions".
REVOKE_DOCUMENT = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],"Resource":["*"],'
    '"Condition":{"DateLessThan":{"aws:TokenIssueTime":"%s"}}}]}'
)


@dataclass(frozen=True)
class Step:
    """One runbook step. ``text`` and ``command`` hold log-derived values: escape them to print."""

    action: Literal["check", "contain"]
    text: str
    command: str | None = None
    source: str = "trailhunt"  # or the id of the detection whose response this is
    missing: tuple[str, ...] = ()
    warning: str | None = None


@dataclass
class Runbook:
    """The steps for one candidate, checks first."""

    candidate: Candidate
    steps: list[Step] = field(default_factory=list)

    @property
    def checks(self) -> list[Step]:
        """What to verify before acting."""
        return [s for s in self.steps if s.action == "check"]

    @property
    def containment(self) -> list[Step]:
        """Containment steps, credentials first."""
        return [s for s in self.steps if s.action == "contain"]

    @property
    def next_step(self) -> str:
        """The one thing to do next, in a few words (for the report's summary)."""
        c = self.candidate
        name = owner_name(c.principals[0]) if c.principals else "?"
        if c.level.rank >= ESCALATION.rank:
            keys = [(name, key) for name, origin in _users(c) for key in _keys_of(c, origin)]
            if keys:
                return f"contain now: deactivate key {keys[0][1]} of {keys[0][0]}, then runbook {c.id}"
            if roles := _roles(c):
                return f"contain now: revoke the sessions of role {roles[0]}, then runbook {c.id}"
            return f"contain now: follow runbook {c.id}"
        if c.expected_noise:
            return f"find the pipeline run behind {name} (runbook {c.id})"
        if c.expected_human:
            return "close it against the planned work, or ask the owner"
        return f"ask the owner of {name} whether it was them, then follow runbook {c.id}"

    @property
    def contain_heading(self) -> str:
        """Below escalation level, containment waits for the checks."""
        if self.candidate.level.rank < ESCALATION.rank:
            return "Contain, only if the checks point to misuse"
        return "Contain"


def _users(candidate: Candidate) -> list[tuple[str, str]]:
    """(user name, principal or 'named by <detection>') of IAM users involved, not expected noise."""
    users: dict[str, str] = {}
    for arn in candidate.principals:
        if ":user/" in arn and candidate.classes.get(arn) not in EXPECTED_NOISE:
            users.setdefault(arn.rsplit("/", 1)[-1], arn)
    for f in candidate.findings:
        for value in named_users(f):
            users.setdefault(value, f"named by {f.detection.id}")
    return list(users.items())


def _roles(candidate: Candidate) -> list[str]:
    """Role names behind assumed-role sessions (service-linked roles excluded)."""
    roles = []
    for arn in candidate.principals:
        if ":assumed-role/" in arn and candidate.classes.get(arn) != "aws-service":
            roles.append(arn.split(":assumed-role/", 1)[1].split("/", 1)[0])
    return list(dict.fromkeys(roles))


def _keys_of(candidate: Candidate, user_arn: str) -> list[str]:
    return list(
        dict.fromkeys(
            f.access_key_id
            for f in candidate.findings
            if f.principal_arn == user_arn and f.access_key_id and f.access_key_id.startswith("AKIA")
        )
    )


def check_steps(candidate: Candidate) -> list[Step]:
    """What to verify first: the owner, the pipeline run, the key's other calls, missing signals."""
    steps = []
    ips = ", ".join(candidate.source_ips) or "unknown addresses"
    window = f"{candidate.first_seen} – {candidate.last_seen}"
    for arn in candidate.principals[:3]:
        cls = candidate.classes.get(arn, "unknown")
        if cls == "automation":
            text = f"Find the pipeline run that used {arn} during {window}; no matching run means stolen credentials."
        elif cls == "aws-service":
            text = f"Find which of your resources made AWS act as {arn} during {window}."
        else:
            text = f"Ask the owner of {arn} ({CLASS_NOUNS[cls]}) whether the calls during {window} from {ips} were theirs."
        steps.append(Step("check", text))
    region = next((f.aws_region for f in candidate.findings if f.aws_region), None)
    for key in candidate.access_keys[:3]:
        command = [
            "aws", "cloudtrail", "lookup-events", "--lookup-attributes",
            f"AttributeKey=AccessKeyId,AttributeValue={key}", "--start-time", candidate.first_seen,
        ]  # fmt: skip
        if region:
            command += ["--region", region]
        steps.append(Step("check", "Every management call made with this key:", shlex.join(command)))
    for signal in candidate.needed[:MAX_SIGNAL_CHECKS]:
        steps.append(Step("check", f"Corroborate: {signal.text}", source=signal.detection_id))
    for signal in candidate.elsewhere[:MAX_SIGNAL_CHECKS]:
        steps.append(Step("check", f"Outside CloudTrail: {signal.text}", source=signal.detection_id))
    return steps


def credential_steps(candidate: Candidate) -> list[Step]:
    """Standard containment of the users, keys and role sessions involved."""
    steps = []
    for name, origin in _users(candidate):
        for key in _keys_of(candidate, origin):
            cmd = [
                "aws",
                "iam",
                "update-access-key",
                "--status",
                "Inactive",
                "--access-key-id",
                key,
                "--user-name",
                name,
            ]
            steps.append(Step("contain", f"Deactivate the access key used by {origin}:", shlex.join(cmd)))
        list_keys = shlex.join(["aws", "iam", "list-access-keys", "--user-name", name])
        steps.append(
            Step("contain", f"List every key of user {name} ({origin}) and deactivate the rest:", list_keys)
        )
        delete_profile = shlex.join(["aws", "iam", "delete-login-profile", "--user-name", name])
        steps.append(Step("contain", f"Remove {name}'s console password, if it has one:", delete_profile))
        deny = shlex.join(
            ["aws", "iam", "attach-user-policy", "--user-name", name, "--policy-arn", DENY_ALL_POLICY]
        )
        steps.append(Step("contain", f"Deny every action to {name} while you investigate:", deny))
    for role in _roles(candidate):
        document = f'"$(printf {shlex.quote(REVOKE_DOCUMENT)} "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"'
        command = (
            shlex.join(
                [
                    "aws",
                    "iam",
                    "put-role-policy",
                    "--role-name",
                    role,
                    "--policy-name",
                    "AWSRevokeOlderSessions",
                ]
            )
            + " --policy-document "
            + document
        )
        note = (
            " (this also stops running pipelines that use it)" if _is_automation_role(candidate, role) else ""
        )
        steps.append(
            Step("contain", f"Revoke every session of role {role} issued before now{note}:", command)
        )
    if any(arn.endswith(":root") for arn in candidate.principals):
        steps.append(
            Step(
                "contain",
                "Root acted: sign in as root, change its password, delete its access keys, check its MFA.",
            )
        )
    return steps


def _is_automation_role(candidate: Candidate, role: str) -> bool:
    return any(
        f":assumed-role/{role}/" in arn and candidate.classes.get(arn) == "automation"
        for arn in candidate.principals
    )


def detection_steps(candidate: Candidate) -> list[Step]:
    """Each detection's response steps, filled from its findings (distinct results, capped)."""
    steps: dict[tuple[str, str | None], Step] = {}
    for f in sorted(candidate.findings, key=lambda f: (f.first_seen, f.detection.id)):
        for template in f.detection.meta.response:
            filled = fill(template, f.fields())
            key = (filled.text, filled.command)
            if key not in steps and len(steps) < MAX_DETECTION_STEPS:
                steps[key] = Step(
                    "contain", filled.text, filled.command, f.detection.id, filled.missing, filled.warning
                )
    return list(steps.values())


def _words(command: str) -> tuple[tuple[str, ...], frozenset[tuple[str, ...]]] | str:
    """A command as (words before the first option, its options with their values): two commands
    that differ only in the order of their options are the same step."""
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    start = next((i for i, w in enumerate(words) if w.startswith("--")), len(words))
    options: list[tuple[str, ...]] = []
    for word in words[start:]:
        if word.startswith("--") or not options:
            options.append((word,))
        else:
            options[-1] = (*options[-1], word)
    return tuple(words[:start]), frozenset(options)


def runbook(candidate: Candidate) -> Runbook:
    """The candidate's runbook: checks, then credential containment, then the detections' own
    responses (less those that repeat a standard command)."""
    standard = credential_steps(candidate)
    known = {_words(s.command) for s in standard if s.command}
    extra = []
    for step in detection_steps(candidate):
        if step.command:
            if _words(step.command) in known:
                continue
            known.add(_words(step.command))
        extra.append(step)
    return Runbook(candidate, check_steps(candidate) + standard + extra)
