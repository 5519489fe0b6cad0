"""Detections and templates are sandboxed: the issue-13 template RCE and its cousins run nothing,
write nothing, and are reported with their file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from tests.conftest import PROJECT
from trailhunt.catalog.catalog import load_catalog
from trailhunt.catalog.project import Project
from trailhunt.cli.commands import main
from trailhunt.problems import ProblemError
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.sandbox import TemplateSandbox, unsafe_constructs
from trailhunt.validate.validator import Validator

RCE = "{{ cycler.__init__.__globals__.os.popen('id > pwned.txt').read() }}"
DETECTION = PROJECT.detections / "defense-evasion" / "cloudtrail_logging_stopped.sql"
LOGS = PROJECT.fixtures / "cloudtrail" / "defense_evasion" / "stop_logging.json"
# Escapes the runtime sandbox refuses even when the static lint is bypassed; ``marker`` must stay absent.
ESCAPES = [
    RCE,
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ namespace.__init__.__globals__['os'].system('id > pwned.txt') }}",
    "{{ joiner().__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id > pwned.txt') }}",
    "{{ self.__dict__ }}",
    "{{ ''|attr('__class__') }}",
    "{% set n = '__cla' ~ 'ss__' %}{{ ''[n].__mro__ }}",
    "{{ range(10 ** 9) | list | length }}",
    "{{ 'a' * 10 ** 9 }}",
    "{{ 2 ** 100000000 }}",
    "{% set ns = namespace(parts=[]) %}{{ ns.parts.append('x') }}",
    "{{ sql.literal.__globals__ }}",
    "{{ window_predicate.__globals__ }}",
]


def _project(tmp_path: Path, template: str | None = None, detection: str | None = None) -> Project:
    shutil.copytree(PROJECT.templates, tmp_path / "templates")
    shutil.copytree(PROJECT.fixtures, tmp_path / "fixtures")
    target = tmp_path / "detections" / "defense-evasion" / DETECTION.name
    target.parent.mkdir(parents=True)
    target.write_text(detection or DETECTION.read_text())
    if template is not None:
        (tmp_path / "templates" / "x.sql").write_text(template)
    return Project(tmp_path)


def _with_payload_on_line(payload: str) -> tuple[str, int]:
    text = DETECTION.read_text()
    head, body = text.split("-#}\n", 1)
    line = head.count("\n") + 2
    return f"{head}-#}}\n{payload}\n{body}", line


@pytest.mark.parametrize("payload", ESCAPES)
def test_the_sandbox_refuses_at_run_time(payload, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises((jinja2.sandbox.SecurityError, jinja2.UndefinedError)):
        Renderer(PROJECT).render_text(payload, RenderOptions())  # the lint is not consulted here
    assert not (tmp_path / "pwned.txt").exists()


@pytest.mark.parametrize("payload", [p for p in ESCAPES if "* 10" not in p and "append" not in p])
def test_the_lint_names_every_escape_with_its_line(payload, tmp_path) -> None:
    source = f"SELECT 1\n\n{payload}\n"
    problems = unsafe_constructs(TemplateSandbox(tmp_path), source, tmp_path / "d.sql")
    assert problems and {(p.code, p.line) for p in problems} == {("SEC001", 3)}


def test_rce_in_a_template_is_reported_and_never_runs(tmp_path, monkeypatch, capsys) -> None:
    project = _project(tmp_path / "ev", template=RCE)
    monkeypatch.chdir(project.root)
    problems = Validator(load_catalog(project), Renderer(project)).validate_all()
    template = project.templates / "x.sql"
    assert {(p.code, p.path, p.line) for p in problems if p.path == template} == {("SEC001", template, 1)}
    assert main(["validate", "--project", str(project.root)]) == 1
    assert f"{template}:1: error SEC001" in capsys.readouterr().out
    assert main(["hunt", str(LOGS), "--project", str(project.root)]) == 2
    assert f"{template}:1: error SEC001" in capsys.readouterr().err
    with pytest.raises(ProblemError):
        Renderer(project).render(load_catalog(project).detections[0])
    assert not (project.root / "pwned.txt").exists()


def test_rce_in_a_detection_is_reported_with_its_line(tmp_path, monkeypatch, capsys) -> None:
    text, line = _with_payload_on_line(RCE)
    project = _project(tmp_path / "ev", detection=text)
    monkeypatch.chdir(project.root)
    (detection,) = load_catalog(project).detections
    problems = Validator(load_catalog(project), Renderer(project)).validate_all()
    assert ("SEC001", detection.path, line) in {(p.code, p.path, p.line) for p in problems}
    assert main(["hunt", str(LOGS), "--project", str(project.root)]) == 2
    assert f"{detection.path}:{line}: error SEC001" in capsys.readouterr().err
    assert not (project.root / "pwned.txt").exists()


def test_an_escape_the_lint_cannot_see_fails_the_render_at_its_line(tmp_path) -> None:
    text, line = _with_payload_on_line("{% set n = '__cla' ~ 'ss__' %}{{ ''[n] }}")
    project = _project(tmp_path, detection=text)
    (detection,) = load_catalog(project).detections
    renderer = Renderer(project)
    assert renderer.unsafe_problems(detection) == []  # a computed name: only the sandbox sees it
    with pytest.raises(ProblemError) as caught:
        renderer.render(detection)
    (problem,) = caught.value.problems
    assert (problem.code, problem.path, problem.line) == ("RENDER001", detection.path, line)


def test_a_folder_with_detections_is_not_picked_up_from_the_working_directory(
    tmp_path, monkeypatch, capsys
) -> None:
    project = _project(tmp_path / "ev", template=RCE)
    monkeypatch.chdir(project.root)
    monkeypatch.delenv("TRAILHUNT_HOME", raising=False)
    assert main(["hunt", str(LOGS), "--format", "md", "--detection", "cloudtrail_logging_stopped"]) == 0
    out = capsys.readouterr().out
    (line,) = [text for text in out.splitlines() if text.startswith("Catalogue:")]
    assert "StopLogging" in out and line.startswith("Catalogue: packaged") and "/ev" not in line
    assert not (project.root / "pwned.txt").exists()


def test_the_shipped_catalogue_has_no_sandbox_problems(catalog, renderer) -> None:
    assert renderer.template_problems == []
    assert [p for d in catalog.detections for p in renderer.unsafe_problems(d)] == []


@pytest.mark.parametrize("engine", [["--engine", "athena", "--database", "security"], ["--engine", "trino"]])
def test_remote_hunts_refuse_the_project_before_connecting(engine, tmp_path, monkeypatch, capsys) -> None:
    project = _project(tmp_path / "ev", template=RCE)
    monkeypatch.chdir(project.root)
    assert main(["hunt", *engine, "--project", str(project.root)]) == 2
    assert f"{project.templates / 'x.sql'}:1: error SEC001" in capsys.readouterr().err
    assert not (project.root / "pwned.txt").exists()
