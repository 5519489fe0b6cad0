"""Short labels every renderer shares: ATT&CK techniques, principals, times, counts.

Labels built from log values are still raw text: each renderer escapes them for its medium.
"""

from __future__ import annotations

from collections.abc import Collection

from trailhunt.catalog import attack
from trailhunt.catalog.attack import tactic_names
from trailhunt.catalog.detection import Detection

CLASS_LABELS = {
    "human": "humans",
    "automation": "automation (CI/IaC)",
    "service": "service accounts",
    "aws-service": "AWS services",
    "unknown": "not in the context",
}
CLASS_NOUNS = {
    "human": "a human",
    "automation": "automation",
    "service": "a service account",
    "aws-service": "an AWS service",
    "unknown": "not in the context",
}


def techniques(detection: Detection) -> list[tuple[str, str, str | None]]:
    """(id, name, v18 alias) of each ATT&CK id the detection cites; unknown ids keep an empty name."""
    out = []
    for technique_id in detection.meta.attack:
        technique = attack.lookup(technique_id)
        out.append(
            (technique_id, technique.name if technique else "", technique.v18_alias if technique else None)
        )
    return out


def attack_label(detection: Detection, aliases: bool = False) -> str:
    """``T1685.002 Disable or Modify Cloud Log`` (+ ``(v18: ...)``), ``+N`` for further techniques."""
    technique_id, name, alias = techniques(detection)[0]
    label = f"{technique_id} {name}".strip()
    if aliases and alias:
        label += f" (v18: {alias})"
    more = len(detection.meta.attack) - 1
    return f"{label} +{more}" if more else label


def tactic_label(tactic: str) -> str:
    """Display name of a tactic short name."""
    return tactic_names().get(tactic, tactic)


def short_principal(arn: str | None, own_accounts: Collection[str] = ()) -> str:
    """An ARN without the ``arn:aws:iam::``/``arn:aws:sts::`` prefix (``1111...:user/alice``), and
    without the account when it is one of ``own_accounts`` (``user/alice``)."""
    if not arn:
        return "?"
    for prefix in ("arn:aws:iam::", "arn:aws:sts::", "arn:aws-us-gov:iam::", "arn:aws-cn:iam::"):
        if arn.startswith(prefix):
            account, _, rest = arn[len(prefix) :].partition(":")
            return rest if account in own_accounts and rest else f"{account}:{rest}"
    return arn


def compact_principal(arn: str | None, own_accounts: Collection[str] = ()) -> str:
    """``short_principal`` with a role session shown as its role (``role/deploy``): the form that
    fits a table column and names what to contain. Other principals as ``short_principal``."""
    label = short_principal(arn, own_accounts)
    if ":assumed-role/" in f":{label}" or label.startswith("assumed-role/"):
        head, _, rest = label.partition("assumed-role/")
        return head + "role/" + rest.split("/", 1)[0]
    return label


def owner_name(arn: str) -> str:
    """The name to ask about: a user's name, a session's role, else the ARN's last part."""
    if ":assumed-role/" in arn:
        return "role " + arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
    return arn.rsplit("/", 1)[-1]


def short_time(event_time: str) -> str:
    """``2024-03-13T14:21:07Z`` as ``03-13 14:21:07``."""
    text = str(event_time)
    return text[5:19].replace("T", " ") if len(text) >= 19 and text[4] == "-" else text


def percent(part: int, whole: int) -> str:
    """``12.5%`` (``-`` when ``whole`` is zero)."""
    return f"{100 * part / whole:.1f}%" if whole else "-"


def plural(count: int, noun: str) -> str:
    """``1 event``, ``2 events``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
