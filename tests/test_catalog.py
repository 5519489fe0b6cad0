"""Catalogue invariants, each checked over every detection."""

from __future__ import annotations

from collections import Counter

from tests.conftest import CATALOG, PROJECT
from trailhunt.catalog import attack
from trailhunt.render.renderer import Renderer
from trailhunt.validate.validator import Validator


def test_every_detection_file_loads() -> None:
    assert CATALOG.problems == []
    assert CATALOG.detections


def test_ids_are_unique() -> None:
    duplicates = [i for i, n in Counter(d.id for d in CATALOG.detections).items() if n > 1]
    assert duplicates == []


def test_attack_ids_are_active_and_folder_is_a_tactic() -> None:
    for detection in CATALOG.detections:
        techniques = [attack.lookup(t) for t in detection.meta.attack]
        assert all(techniques), f"{detection.id}: {detection.meta.attack}"
        tactics = {tactic for t in techniques if t for tactic in t.tactics}
        assert detection.tactic in tactics, f"{detection.id} in {detection.tactic}, tactics {tactics}"


def test_every_detection_has_a_firing_and_a_near_miss_case() -> None:
    for detection in CATALOG.detections:
        counts = [case.expected_count for case in detection.meta.tests]
        assert any(counts) and not all(counts), detection.id


def test_every_detection_filters_on_eventsource() -> None:
    for detection in CATALOG.detections:
        assert "eventsource" in detection.sql.lower(), detection.id


def test_no_orphan_fixtures() -> None:
    used = {case.fixture for d in CATALOG.detections for case in d.meta.tests}
    used |= {case.context for d in CATALOG.detections for case in d.meta.tests if case.context}
    root = PROJECT.fixtures
    files = {p.relative_to(root).as_posix() for p in (root / "cloudtrail").rglob("*.json")}
    files |= {p.relative_to(root).as_posix() for p in (root / "contexts").glob("*.yaml")}
    shared = {"contexts/demo.yaml"}  # used by the demo hunt
    assert sorted(files - used - shared) == []


def test_whole_catalogue_validates_without_errors() -> None:
    problems = Validator(CATALOG, Renderer(PROJECT)).validate_all()
    assert [str(p) for p in problems if p.severity == "error"] == []
