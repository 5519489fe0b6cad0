"""The validator reports every problem with its location."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trailhunt.catalog.catalog import load_catalog
from trailhunt.catalog.project import Project
from trailhunt.problems import ProblemError
from trailhunt.render.renderer import Renderer
from trailhunt.validate.validator import Validator

HEADER = """{{#-
id: {id}
title: t
attack: [{attack}]
confidence: low
severity: low
description: d
tuning: t
corroborate: [c]
response: [r]
tests:
  - {{fixture: cloudtrail/x.json, expect: 1}}
  - {{fixture: cloudtrail/x.json, expect: 0}}
-#}}
"""
IMPORTS = """{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'findings.sql' as findings with context %}
"""
GOOD_SQL = (
    IMPORTS
    + """SELECT {{ findings.finding_columns("'e'") }}
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }} AND eventsource = 'iam.amazonaws.com'
"""
)


def _project(tmp_path: Path, project: Project, files: dict[str, str]) -> Project:
    shutil.copytree(project.templates, tmp_path / "templates")
    (tmp_path / "fixtures" / "cloudtrail").mkdir(parents=True)
    (tmp_path / "fixtures" / "cloudtrail" / "x.json").write_text('{"Records": []}')
    for name, text in files.items():
        path = tmp_path / "detections" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Project(tmp_path)


def _problems(tmp_path: Path, project: Project, files: dict[str, str]) -> list:
    test_project = _project(tmp_path, project, files)
    return Validator(load_catalog(test_project), Renderer(test_project)).validate_all()


def test_good_detection_has_no_problems(tmp_path, project) -> None:
    text = HEADER.format(id="good", attack="T1087.004") + GOOD_SQL
    assert _problems(tmp_path, project, {"discovery/good.sql": text}) == []


def test_broken_detection_reports_all_three_problems_with_lines(tmp_path, project) -> None:
    sql = (
        IMPORTS
        + """SELECT {{ findings.finding_columns("useridentity.arnn") }}
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }} AND eventsource = 'iam.amazonaws.com';
DELETE FROM cloudtrail WHERE eventsource = 'x'
"""
    )
    text = HEADER.format(id="broken", attack="T9999") + sql
    problems = _problems(tmp_path, project, {"discovery/broken.sql": text})
    codes = {p.code for p in problems}
    assert {"ATT001", "SQL002", "SQL004"} <= codes
    assert all(p.path and p.path.name == "broken.sql" and p.line for p in problems)
    attack_problem = next(p for p in problems if p.code == "ATT001")
    assert attack_problem.line == 4
    delete_problem = next(p for p in problems if p.code == "SQL004")
    assert delete_problem.line == 20


def test_unknown_struct_field_is_reported_with_its_line(tmp_path, project) -> None:
    sql = GOOD_SQL.replace(
        "eventsource = 'iam.amazonaws.com'", "useridentity.arnn = 'x' AND eventsource = 'x'"
    )
    text = HEADER.format(id="typo", attack="T1087.004") + sql
    problems = _problems(tmp_path, project, {"discovery/typo.sql": text})
    assert [p.code for p in problems] == ["SQL005"]
    assert "arnn" in problems[0].message and problems[0].line == 19


@pytest.mark.parametrize(
    ("sql", "code"),
    [
        (
            IMPORTS
            + "SELECT {{ findings.finding_columns(\"'e'\") }} FROM {{ cloudtrail }} WHERE eventsource = 'x'",
            "SQL006",
        ),
        (
            IMPORTS
            + "SELECT eventname AS event_name FROM {{ cloudtrail }} WHERE {{ trail.in_window() }} AND eventsource = 'x'",
            "SQL007",
        ),
        (IMPORTS + "SELECT {{ findings.finding_column(\"'e'\") }} FROM {{ cloudtrail }}", "RENDER001"),
        (
            IMPORTS
            + "SELECT {{ findings.finding_columns(\"'e'\") }} FROM {{ cloudtrail }} WHERE {{ trail.in_window() }} AND (",
            "SQL001",
        ),
        ("DROP TABLE cloudtrail", "SQL004"),
        ("INSERT INTO cloudtrail SELECT * FROM cloudtrail", "SQL004"),
    ],
)
def test_sql_checks(tmp_path, project, sql, code) -> None:
    text = HEADER.format(id="case", attack="T1087.004") + sql
    assert code in {p.code for p in _problems(tmp_path, project, {"discovery/case.sql": text})}


def test_folder_must_be_a_tactic_of_the_technique(tmp_path, project) -> None:
    text = HEADER.format(id="wrong", attack="T1087.004") + GOOD_SQL
    assert [p.code for p in _problems(tmp_path, project, {"impact/wrong.sql": text})] == ["ATT003"]


def test_renumbered_v18_id_is_a_warning(tmp_path, project) -> None:
    text = HEADER.format(id="old", attack="T1562.008") + GOOD_SQL
    problems = _problems(tmp_path, project, {"defense-evasion/old.sql": text})
    assert [(p.code, p.severity) for p in problems] == [("ATT002", "warning")]


def test_header_problems_unknown_key_and_duplicate_key(tmp_path, project) -> None:
    unknown = (
        HEADER.format(id="extra", attack="T1087.004").replace("tuning: t", "tuning: t\ntunnig: x") + GOOD_SQL
    )
    duplicate = (
        HEADER.format(id="dup", attack="T1087.004").replace("tuning: t", "tuning: t\ntuning: u") + GOOD_SQL
    )
    problems = _problems(tmp_path, project, {"discovery/extra.sql": unknown, "discovery/dup.sql": duplicate})
    by_file = {p.path.name: p for p in problems}
    assert "tunnig" in by_file["extra.sql"].message and by_file["extra.sql"].line == 9
    assert "duplicate key" in by_file["dup.sql"].message and by_file["dup.sql"].line == 9


def test_macro_defined_in_two_templates_is_an_error_naming_both(tmp_path, project) -> None:
    text = HEADER.format(id="good", attack="T1087.004") + GOOD_SQL
    test_project = _project(tmp_path, project, {"discovery/good.sql": text})
    (test_project.templates / "zz_net.sql").write_text("\n{% macro in_window() -%}\nTRUE\n{%- endmacro %}\n")
    problems = Validator(load_catalog(test_project), Renderer(test_project)).validate_all()
    [duplicate] = [p for p in problems if p.code == "TPL001"]
    assert duplicate.path == test_project.templates / "zz_net.sql"
    assert duplicate.line == 2
    assert duplicate.severity == "error"
    assert f"{test_project.templates / 'cloudtrail.sql'}:5" in duplicate.message


@pytest.mark.parametrize("read", ["parameters.window_minutes", "parameters['window_minutes']"])
def test_reading_parameters_other_than_with_param_is_an_error(tmp_path, project, read) -> None:
    sql = GOOD_SQL.replace("eventsource = 'iam.amazonaws.com'", "{{ trail.time_bucket(" + read + ") }} > 0")
    text = HEADER.format(id="good", attack="T1087.004").replace(
        "tests:", "parameters: {window_minutes: 5}\ntests:"
    )
    problems = _problems(tmp_path, project, {"discovery/good.sql": text + sql})
    [accessor] = [p for p in problems if p.code == "TPL002"]
    assert accessor.line == text.count("\n") + 5
    assert "param('x')" in accessor.message


def test_param_reads_a_parameter_and_fails_loudly_on_an_unknown_name(tmp_path, project) -> None:
    sql = GOOD_SQL.replace("eventsource = 'iam.amazonaws.com'", "count(*) > {{ param('threshold') }}")
    text = HEADER.format(id="good", attack="T1087.004").replace(
        "tests:", "parameters: {threshold: 7}\ntests:"
    )
    test_project = _project(tmp_path, project, {"discovery/good.sql": text + sql})
    [detection] = load_catalog(test_project).detections
    renderer = Renderer(test_project)
    assert "count(*) > 7" in renderer.render(detection)
    broken = _project(
        tmp_path / "b", project, {"discovery/good.sql": text + sql.replace("'threshold'", "'treshold'")}
    )
    [typo] = load_catalog(broken).detections
    with pytest.raises(ProblemError, match=r"unknown parameter 'treshold'.*threshold"):
        Renderer(broken).render(typo)
