"""Who acted: findings joined into actors by principal, access key and the identities they made.

Findings join one actor when they share a principal ARN (a role session's ARN names the session)
or an access key, or when one finding's extra columns name the user, key or principal another
finding comes from (``CreateUser`` of ``backup-admin`` links backup-admin's later activity to its
creator). No link is made into automation or AWS services. An actor's findings split where
nothing happened for a while.
"""

from __future__ import annotations

import re
from datetime import timedelta

from trailhunt.baseline import EXPECTED_NOISE
from trailhunt.findings import Finding
from trailhunt.render.window import parse_time

# Extra columns whose value names an IAM user the finding's principal acted on (created, gave keys to).
USER_COLUMNS = ("target_user", "user_name", "new_user", "created_user")
ACCESS_KEY = re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$")


def by_time(findings: list[Finding]) -> list[Finding]:
    """Findings in time order (ties broken by detection and event, so the order is stable)."""
    return sorted(findings, key=lambda f: (f.first_seen, f.event_time, f.detection.id, f.event_id or ""))


class _Groups:
    """Union-find over finding indexes."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, indexes: list[int]) -> None:
        for other in indexes[1:]:
            self.parent[self.find(other)] = self.find(indexes[0])


def _user_of(arn: str | None) -> tuple[str, str] | None:
    """(account, user name) of an IAM user ARN (the name is the last path segment)."""
    if not arn or ":user/" not in arn or arn.count(":") < 5:
        return None
    return arn.split(":")[4], arn.rsplit("/", 1)[-1]


def named_users(finding: Finding) -> list[str]:
    """IAM user names a finding's extra columns say the principal acted on (created, gave keys or
    policies to): ``target_user`` and friends, and ``target_name`` when ``target_type`` is user."""
    names = [finding.extra.get(c) for c in USER_COLUMNS]
    if finding.extra.get("target_type") == "user":
        names.append(finding.extra.get("target_name"))
    return [n for n in dict.fromkeys(names) if isinstance(n, str) and n]


def link_actors(findings: list[Finding], classes: dict[str, str]) -> list[list[Finding]]:
    """Findings grouped by actor (principal, access key, and the users and keys they created)."""
    groups = _Groups(len(findings))
    by_principal: dict[str, list[int]] = {}
    by_key: dict[str, list[int]] = {}
    by_user: dict[tuple[str, str], list[int]] = {}
    for i, f in enumerate(findings):
        by_principal.setdefault(f.principal_arn or "?", []).append(i)
        if f.access_key_id:
            by_key.setdefault(f.access_key_id, []).append(i)
        if user := _user_of(f.principal_arn):
            by_user.setdefault(user, []).append(i)
    for indexes in [*by_principal.values(), *by_key.values()]:
        groups.join(indexes)
    for i, f in enumerate(findings):
        for column, value in f.extra.items():
            if not isinstance(value, str):
                continue
            targets: list[int] = []
            if ACCESS_KEY.match(value):
                targets = by_key.get(value, [])
            elif value.startswith("arn:"):
                targets = by_principal.get(value, [])
            elif f.account_id and value in named_users(f) and column in (*USER_COLUMNS, "target_name"):
                targets = by_user.get((f.account_id, value), [])
            targets = [
                t for t in targets if classes.get(findings[t].principal_arn or "?") not in EXPECTED_NOISE
            ]
            groups.join([i, *targets])
    grouped: dict[int, list[Finding]] = {}
    for i, f in enumerate(findings):
        grouped.setdefault(groups.find(i), []).append(f)
    return list(grouped.values())


def split_by_time(findings: list[Finding], gap: timedelta) -> list[list[Finding]]:
    """One actor's findings cut where nothing happened for longer than ``gap``."""
    runs: list[list[Finding]] = []
    end = None
    for f in by_time(findings):
        if end is None or parse_time(f.first_seen) - end > gap:
            runs.append([])
            end = parse_time(f.last_seen)
        runs[-1].append(f)
        end = max(end, parse_time(f.last_seen))
    return runs
