"""Long lines in detection SQL and templates are warnings; the YAML header is exempt (validate.layout)."""

from __future__ import annotations

from tests.test_validate import GOOD_SQL, HEADER, _problems, _project
from trailhunt.catalog.catalog import load_catalog
from trailhunt.render.renderer import Renderer
from trailhunt.validate.layout import MAX_LINE
from trailhunt.validate.validator import Validator

LONG_RESPONSE = 'response: ["aws iam get-user --user-name ' + "x" * 150 + '"]'


def test_a_long_sql_line_is_a_warning_with_its_line(tmp_path, project) -> None:
    long_condition = "  AND eventname IN (" + ", ".join(f"'Name{i:03d}'" for i in range(12)) + ")\n"
    assert len(long_condition.rstrip("\n")) > MAX_LINE
    text = HEADER.format(id="long", attack="T1087.004") + GOOD_SQL + long_condition
    problems = _problems(tmp_path, project, {"discovery/long.sql": text})
    assert [(p.code, p.severity, p.line) for p in problems] == [("SQL011", "warning", text.count("\n"))]
    assert f"limit {MAX_LINE}" in problems[0].message


def test_a_line_of_exactly_the_limit_is_fine_and_the_header_is_exempt(tmp_path, project) -> None:
    header = HEADER.format(id="edge", attack="T1087.004").replace("response: [r]", LONG_RESPONSE)
    edge = "  AND eventname <> '" + "y" * (MAX_LINE - 21) + "'\n"
    assert len(edge.rstrip("\n")) == MAX_LINE
    assert _problems(tmp_path, project, {"discovery/edge.sql": header + GOOD_SQL + edge}) == []


def test_a_long_template_line_is_a_warning(tmp_path, project) -> None:
    test_project = _project(tmp_path, project, {})
    extra = test_project.templates / "zz_long.sql"
    extra.write_text("{% macro wide() -%}\n" + "TRUE AND " * 15 + "TRUE\n{%- endmacro %}\n")
    problems = Validator(load_catalog(test_project), Renderer(test_project)).validate_all()
    assert [(p.code, p.path, p.line) for p in problems if p.path == extra] == [("SQL011", extra, 2)]
