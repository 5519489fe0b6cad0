"""Coverage by ATT&CK technique: a Navigator layer that loads (format 4.5, checked field by field
against the layer format's required fields and types) and a README table that cannot go stale."""

from __future__ import annotations

import json
import re

from tests.conftest import PROJECT
from trailhunt.catalog import attack
from trailhunt.catalog.coverage import (
    README_END,
    README_START,
    navigator_layer,
    readme_table,
    with_readme_table,
)
from trailhunt.cli.commands import main

DOMAINS = {"enterprise-attack", "mobile-attack", "ics-attack"}
TECHNIQUE_ID = re.compile(r"^T\d{4}(\.\d{3})?$")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def assert_valid_layer(layer: dict) -> None:
    """The layer format 4.5's required fields and types (MITRE's layerformat.md, v4.5)."""
    assert isinstance(layer["name"], str) and layer["name"]
    assert layer["domain"] in DOMAINS
    versions = layer["versions"]
    assert versions["layer"] == "4.5" and _version(versions["navigator"]) >= (4, 9, 0)
    gradient = layer["gradient"]
    assert len(gradient["colors"]) >= 2 and gradient["maxValue"] > gradient["minValue"]
    assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in gradient["colors"])
    assert all(isinstance(i["label"], str) and isinstance(i["color"], str) for i in layer["legendItems"])
    assert layer["sorting"] in (0, 1, 2, 3) and isinstance(layer["hideDisabled"], bool)
    for technique in layer["techniques"]:
        assert TECHNIQUE_ID.match(technique["techniqueID"])
        assert isinstance(technique["score"], int | float)
        assert gradient["minValue"] <= technique["score"] <= gradient["maxValue"]
        assert isinstance(technique["enabled"], bool) and isinstance(technique["comment"], str)
        for link in technique["links"]:
            assert isinstance(link["label"], str) and re.match(r"^[a-z]+://", link["url"])
        for item in technique["metadata"]:
            assert isinstance(item["name"], str) and isinstance(item["value"], str)


def test_the_layer_is_valid_enterprise_layer_json(catalog):
    layer = json.loads(json.dumps(navigator_layer(catalog.detections, PROJECT.root)))
    assert_valid_layer(layer)
    assert layer["domain"] == "enterprise-attack" and layer["versions"]["attack"] == "18"


def test_every_technique_is_a_known_v18_technique_under_one_of_its_tactics(catalog):
    for technique in navigator_layer(catalog.detections, PROJECT.root)["techniques"]:
        known = attack.lookup(technique["techniqueID"])
        assert known is not None and not known.v18_alias, technique["techniqueID"]  # v18 ids only
        if "tactic" in technique:
            assert technique["tactic"] in known.tactics


def test_scores_follow_the_best_confidence_and_links_reach_every_detection_file(catalog):
    layer = navigator_layer(catalog.detections, PROJECT.root, link_base="https://example.test/repo/blob/main")
    by_id = {t["techniqueID"]: t for t in layer["techniques"]}
    assert by_id["T1098.003"]["score"] == 100  # iam_inline_policy_grants_full_admin is high confidence
    assert by_id["T1136.003"]["score"] == 33  # only iam_user_created_outside_automation (low)
    assert "cited as T1685 (ATT&CK v19)" in by_id["T1562.001"]["comment"]
    linked = {link["url"] for t in layer["techniques"] for link in t["links"]}
    expected = {
        f"https://example.test/repo/blob/main/detections/{d.tactic}/{d.id}.sql" for d in catalog.detections
    }
    assert linked == expected


def test_coverage_command_writes_the_layer_and_prints_techniques(catalog, tmp_path, capsys):
    out = tmp_path / "layer.json"
    assert main(["coverage", "--format", "navigator", "--output", str(out)]) == 0
    assert_valid_layer(json.loads(out.read_text(encoding="utf-8")))
    assert main(["coverage"]) == 0
    text = capsys.readouterr().out
    assert text.rstrip().endswith(f"{len(catalog.detections)} detections")
    assert "T1098.003 Additional Cloud Roles [Persistence, Privilege Escalation]" in text


def test_the_readme_coverage_table_is_generated_from_the_catalogue(catalog):
    readme = (PROJECT.root / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index(README_START) : readme.index(README_END) + len(README_END)]
    assert block == readme_table(catalog.detections), (
        "stale: run `trailhunt coverage --format readme --output README.md`"
    )
    table = [line for line in block.splitlines() if line.startswith("|")]
    assert sum(line.startswith("| --- ") for line in table) == 1  # one header separator, no stray rows
    cited = {m for line in table for m in re.findall(r"`([a-z0-9_]+)`", line)}
    assert cited == {d.id for d in catalog.detections}


def test_the_readme_update_replaces_only_the_table(catalog):
    text = f"intro\n{README_START}\nold\n{README_END}\noutro\n"
    updated = with_readme_table(text, readme_table(catalog.detections))
    assert updated.startswith("intro\n") and updated.endswith("\noutro\n") and "old" not in updated
