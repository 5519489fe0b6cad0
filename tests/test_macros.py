"""Template namespaces: a macro is reached only through the import of its file (render.macros)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_validate import GOOD_SQL, HEADER, IMPORTS, _problems, _project
from trailhunt.catalog.catalog import load_catalog
from trailhunt.problems import ProblemError
from trailhunt.render.macros import namespace_problems, template_names
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.sandbox import TemplateSandbox
from trailhunt.validate.validator import Validator


def _text(sql: str) -> str:
    return HEADER.format(id="ns", attack="T1087.004") + sql


def test_a_macro_called_without_its_import_names_the_detection_the_macro_and_its_file(
    tmp_path, project
) -> None:
    sql = GOOD_SQL.replace("eventsource = 'iam.amazonaws.com'", "NOT {{ is_automation() }}")
    problems = _problems(tmp_path, project, {"discovery/ns.sql": _text(sql)})
    [missing] = [p for p in problems if p.code == "TPL003"]
    assert missing.path == tmp_path / "detections" / "discovery" / "ns.sql"
    assert missing.line == HEADER.count("\n") + 5  # the WHERE line
    assert "'is_automation'" in missing.message and "templates/context.sql" in missing.message
    assert "import 'context.sql'" in missing.message


def test_an_unimported_macro_in_a_branch_that_never_renders_is_still_found(tmp_path, project) -> None:
    sql = GOOD_SQL + "{% if target == 'nowhere' %}AND {{ is_human() }}{% endif %}\n"
    codes = [p.code for p in _problems(tmp_path, project, {"discovery/ns.sql": _text(sql)})]
    assert codes == ["TPL003"]


def test_rendering_a_detection_that_skips_the_import_fails_naming_the_macro(tmp_path, project) -> None:
    sql = GOOD_SQL.replace("{{ trail.in_window() }}", "{{ in_window() }}")
    test_project = _project(tmp_path, project, {"discovery/ns.sql": _text(sql)})
    [detection] = load_catalog(test_project).detections
    with pytest.raises(ProblemError) as error:
        Renderer(test_project).render(detection, RenderOptions())
    [problem] = error.value.problems
    assert problem.code == "RENDER001" and "'in_window' is undefined" in problem.message
    assert problem.path == detection.path


def test_a_typo_in_a_name_is_an_undefined_name(tmp_path, project) -> None:
    sql = GOOD_SQL.replace("{{ cloudtrail }}", "{{ cloudtrial }}")
    problems = _problems(tmp_path, project, {"discovery/ns.sql": _text(sql)})
    assert any(p.code == "TPL003" and "undefined name 'cloudtrial'" in p.message for p in problems)


@pytest.mark.parametrize(
    "import_line",
    ["{%- import 'context.sql' as context %}", "{%- from 'context.sql' import is_automation with context %}"],
)
def test_an_import_without_context_or_a_from_import_is_reported(tmp_path, project, import_line) -> None:
    sql = import_line + "\n" + GOOD_SQL
    problems = _problems(tmp_path, project, {"discovery/ns.sql": _text(sql)})
    [problem] = [p for p in problems if p.code == "TPL004"]
    assert problem.line == HEADER.count("\n") + 1


def test_a_template_that_calls_another_without_importing_it_is_reported(tmp_path, project) -> None:
    test_project = _project(tmp_path, project, {"discovery/ns.sql": _text(GOOD_SQL)})
    extra = test_project.templates / "zz_extra.sql"
    extra.write_text("{% macro is_admin_trusted() -%}\n{{ trusted_account('x') }}\n{%- endmacro %}\n")
    problems = Validator(load_catalog(test_project), Renderer(test_project)).validate_all()
    [problem] = [p for p in problems if p.code == "TPL003"]
    assert (problem.path, problem.line) == (extra, 2)
    assert "templates/context.sql" in problem.message


def test_the_shipped_templates_and_detections_use_namespaces_only(project, catalog) -> None:
    env = TemplateSandbox(project.templates)
    templates = sorted(project.templates.glob("*.sql"))
    names = template_names(env, templates)
    files = [(t, t.read_text(encoding="utf-8")) for t in templates]
    files += [(d.path, d.template_source) for d in catalog.detections]
    assert [p for path, text in files for p in namespace_problems(env, text, Path(path), names)] == []


def test_imports_reach_the_render_variables_through_with_context(project) -> None:
    sql = IMPORTS + "{{ trail.param_list('names') }} {{ trail.in_window() }}"
    rendered = Renderer(project).render_text(sql, RenderOptions(), {"names": ["a", "b'c"]})
    assert rendered.startswith("('a', 'b''c') ")
    assert "eventtime" in rendered
