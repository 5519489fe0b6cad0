"""Every detection x every test case, ids ``detection::case``; failures leave SQL and rows behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CATALOG, PROJECT
from trailhunt.render.renderer import Renderer
from trailhunt.validate.fixtures import run_case

RESULTS = Path(__file__).parent / ".results"
CASES = [
    pytest.param(detection, index, id=f"{detection.id}::{case.case_id(index)}")
    for detection in CATALOG.detections
    for index, case in enumerate(detection.meta.tests)
]


@pytest.mark.parametrize(("detection", "index"), CASES)
def test_detection_case(detection, index) -> None:
    result = run_case(Renderer(PROJECT), detection, index)
    if not result.passed:
        RESULTS.mkdir(exist_ok=True)
        stem = result.full_id.replace("::", "__")
        (RESULTS / f"{stem}.sql").write_text(result.sql)
        (RESULTS / f"{stem}.rows.json").write_text(json.dumps(result.rows, indent=2, default=str))
    assert result.passed, (
        f"{result.full_id}: {'; '.join(result.failures)}\n--- rendered SQL ---\n{result.sql}\n"
        f"--- rows ---\n{json.dumps(result.rows, indent=2, default=str)}"
    )
