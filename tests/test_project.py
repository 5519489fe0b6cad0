"""The packaged catalogue runs unless a project is named; the report says which one ran."""

from __future__ import annotations

import shutil

from tests.conftest import PROJECT
from trailhunt.catalog.project import Project, packaged_root
from trailhunt.cli.commands import main

LOGS = PROJECT.fixtures / "cloudtrail" / "defense_evasion" / "stop_logging.json"


def _folder_with_detections(tmp_path):
    shutil.copytree(PROJECT.templates, tmp_path / "templates")
    shutil.copytree(PROJECT.detections / "defense-evasion", tmp_path / "detections" / "defense-evasion")
    return tmp_path


def test_the_working_directory_is_never_picked_up(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(_folder_with_detections(tmp_path))
    monkeypatch.delenv("TRAILHUNT_HOME", raising=False)
    located = Project.locate()
    assert (located.root, located.origin) == (packaged_root(), "packaged")
    assert located.description.startswith("packaged (")


def test_a_project_is_used_when_named(tmp_path, monkeypatch) -> None:
    folder = _folder_with_detections(tmp_path)
    monkeypatch.setenv("TRAILHUNT_HOME", str(folder))
    assert Project.locate().description == f"project {folder} (named by TRAILHUNT_HOME)"
    assert Project.locate(folder).description == f"project {folder} (named by --project)"


def test_the_report_header_names_the_catalogue(tmp_path, monkeypatch, capsys) -> None:
    folder = _folder_with_detections(tmp_path / "pack")
    monkeypatch.delenv("TRAILHUNT_HOME", raising=False)
    output = tmp_path / "report.html"
    assert main(["hunt", str(LOGS), "--project", str(folder), "--output", str(output)]) == 0
    assert f"Catalogue: project {folder} (named by --project)" in output.read_text()
    assert main(["hunt", str(LOGS), "--format", "md", "--detection", "cloudtrail_logging_stopped"]) == 0
    assert "Catalogue: packaged" in capsys.readouterr().out
