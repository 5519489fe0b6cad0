"""MITRE ATT&CK Enterprise reference data (v18.1, vendored) plus the v18 -> v19 crosswalk.

ATT&CK® is a registered trademark of The MITRE Corporation; the data is used under its terms.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

DEFENSE_IMPAIRMENT = "defense-impairment"  # TA0112, new in ATT&CK v19
TACTIC_ORDER = (
    "reconnaissance",
    "resource-development",
    "initial-access",
    "execution",
    "persistence",
    "privilege-escalation",
    "defense-evasion",
    DEFENSE_IMPAIRMENT,
    "credential-access",
    "discovery",
    "lateral-movement",
    "collection",
    "command-and-control",
    "exfiltration",
    "impact",
)


@dataclass(frozen=True)
class Technique:
    """One ATT&CK technique as a detection cites it."""

    id: str
    name: str
    tactics: tuple[str, ...]
    url: str
    v18_alias: str | None = None  # the v18 id(s) a v19 id replaced

    @property
    def label(self) -> str:
        """``T1685.002 Disable or Modify Cloud Log (v18: T1562.008)``."""
        alias = f" (v18: {self.v18_alias})" if self.v18_alias else ""
        return f"{self.id} {self.name}{alias}"


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("trailhunt.data.attack").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def tactic_names() -> dict[str, str]:
    """Tactic short name -> display name (``defense-evasion`` -> ``Defense Evasion``)."""
    names = {row["shortname"]: row["name"] for row in _rows("enterprise-tactics.csv")}
    names[DEFENSE_IMPAIRMENT] = "Defense Impairment"
    return names


@cache
def _v18_rows() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in _rows("enterprise-techniques.csv")}


@cache
def _v19_replacements() -> dict[str, list[dict[str, str]]]:
    by_new: dict[str, list[dict[str, str]]] = {}
    for row in _rows("v18-to-v19.csv"):
        by_new.setdefault(row["v19_id"], []).append(row)
    return by_new


def _url(technique_id: str) -> str:
    return "https://attack.mitre.org/techniques/" + technique_id.replace(".", "/")


def lookup(technique_id: str) -> Technique | None:
    """The active technique for ``technique_id`` (v18.1 active, or a listed v19 replacement)."""
    replacements = _v19_replacements().get(technique_id)
    if replacements:
        aliases = [r["v18_id"] for r in replacements]
        tactics = {t for a in aliases for t in _v18_rows().get(a, {}).get("tactics", "").split()}
        if any(a.startswith("T1562") for a in aliases):
            tactics.add(DEFENSE_IMPAIRMENT)
        name = replacements[0]["v19_name"]
        return Technique(technique_id, name, tuple(sorted(tactics)), _url(technique_id), ", ".join(aliases))
    row = _v18_rows().get(technique_id)
    if row is None or row["deprecated"] == "true" or row["revoked"] == "true":
        return None
    return Technique(technique_id, row["name"], tuple(row["tactics"].split()), row["url"])


def v19_successor(technique_id: str) -> str | None:
    """The v19 id that replaced v18 ``technique_id``, when v19 renumbered it."""
    for new_id, rows in _v19_replacements().items():
        if any(r["v18_id"] == technique_id for r in rows):
            return new_id
    return None


def problem_with(technique_id: str) -> str | None:
    """Why ``technique_id`` is not usable (unknown, deprecated or revoked), or None."""
    if lookup(technique_id) is not None:
        return None
    row = _v18_rows().get(technique_id)
    if row is None:
        return f"unknown ATT&CK technique {technique_id}"
    state = "revoked" if row["revoked"] == "true" else "deprecated"
    return f"ATT&CK technique {technique_id} is {state}"
