"""Render a detection's Jinja SQL for a target engine, window and account context.

Output is always Athena (Trino) SQL; DuckDB receives it through ``transpile``. Undefined names
are errors (StrictUndefined), so a typo in a macro name never yields empty SQL.

A detection sees the render variables (``RENDER_VARIABLES``) and nothing else: it imports the
``templates/`` files whose macros it calls, ``{%- import 'context.sql' as context with context %}``,
and calls them through the alias (``context.is_automation()``). ``with context`` hands the render
variables on to the template's macros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

import jinja2
from jinja2 import nodes

from trailhunt.catalog.detection import Detection, ParameterValue
from trailhunt.catalog.project import Project
from trailhunt.identifiers import identifier
from trailhunt.problems import Problem, ProblemError
from trailhunt.render import sqltext
from trailhunt.render.context import AccountContext
from trailhunt.render.history import config_lookback, history_baseline
from trailhunt.render.params import accessor
from trailhunt.render.sandbox import TemplateSandbox, error_location, unsafe_constructs
from trailhunt.render.window import Window, window_predicate
from trailhunt.schema import TABLE_NAME

Target = Literal["athena", "trino", "duckdb"]
SQL_HELPERS = SimpleNamespace(
    literal=sqltext.literal,
    literal_list=sqltext.literal_list,
    matches_any_glob=sqltext.matches_any_glob,
    in_list=sqltext.in_list,
    in_networks=sqltext.in_networks,
)
# The names every detection and template sees (see ``Renderer._variables``).
RENDER_VARIABLES = frozenset(
    {
        "cloudtrail",
        "window",
        "window_predicate",
        "history_baseline",
        "config_lookback",
        "ctx",
        "target",
        "sql",
        "param",
    }
)
# Renders for validation and tests use this window unless a case names its own.
DEFAULT_WINDOW = Window(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class RenderOptions:
    """Everything a render depends on besides the detection."""

    context: AccountContext = field(default_factory=AccountContext)
    window: Window = DEFAULT_WINDOW
    target: Target = "athena"
    table: str = TABLE_NAME
    params: dict[str, ParameterValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        identifier(self.table, "table")


class Renderer:
    """Sandboxed Jinja environment over a project's ``templates/`` folder (see ``sandbox``)."""

    def __init__(self, project: Project):
        self.project = project
        self.env = TemplateSandbox(project.templates)
        self.macro_files = sorted(p.name for p in project.templates.glob("*.sql"))
        self._template_problems: list[Problem] | None = None
        # A hunt renders each detection twice (``windowless``): parse, scan and compile each text once.
        self._trees: dict[str, nodes.Template | None] = {}
        self._compiled: dict[str, jinja2.Template] = {}
        self._unsafe: dict[tuple[Path, str], list[Problem]] = {}

    @property
    def template_problems(self) -> list[Problem]:
        """Sandbox escapes in the project's ``templates/`` files (SEC001), found without running them."""
        if self._template_problems is None:
            self._template_problems = [
                problem
                for name in self.macro_files
                for problem in unsafe_constructs(
                    self.env,
                    (self.project.templates / name).read_text(encoding="utf-8"),
                    self.project.templates / name,
                )
            ]
        return self._template_problems

    def unsafe_problems(self, detection: Detection) -> list[Problem]:
        """Sandbox escapes in the templates and in ``detection``; a render of it is refused when any."""
        key = (detection.path, detection.template_source)
        if key not in self._unsafe:
            tree = self._tree(detection.template_source)
            self._unsafe[key] = [] if tree is None else unsafe_constructs(self.env, tree, detection.path)
        return [*self.template_problems, *self._unsafe[key]]

    def _tree(self, source: str) -> nodes.Template | None:
        """``source`` parsed, once for the scan and the compile; None when it does not parse."""
        if source not in self._trees:
            try:
                self._trees[source] = self.env.parse(source)
            except jinja2.TemplateSyntaxError:
                self._trees[source] = None
        return self._trees[source]

    def parameters(self, detection: Detection, options: RenderOptions) -> dict[str, ParameterValue]:
        """Detection defaults, overridden by the context, overridden by the caller."""
        merged = dict(detection.meta.parameters)
        merged.update(options.context.parameters.get(detection.id, {}))
        merged.update(options.params)
        return merged

    def _variables(self, options: RenderOptions, parameters: dict[str, ParameterValue]) -> dict[str, Any]:
        return {
            "cloudtrail": options.table,
            "window": options.window,
            "window_predicate": window_predicate,
            "history_baseline": history_baseline,
            "config_lookback": config_lookback,
            "ctx": options.context,
            "target": options.target,
            "sql": SQL_HELPERS,
            "param": accessor(parameters),
        }

    def refuse_unsafe(self, detections: list[Detection]) -> None:
        """Raise ProblemError naming every sandbox escape in the templates and ``detections``."""
        problems = list(dict.fromkeys(p for d in detections for p in self.unsafe_problems(d)))
        if problems or self.template_problems:
            raise ProblemError(problems or self.template_problems)

    def render_text(
        self, source: str, options: RenderOptions, parameters: dict[str, ParameterValue] | None = None
    ) -> str:
        """Render any Jinja SQL text; it imports the templates it uses (the baseline query uses this)."""
        if self.template_problems:
            raise ProblemError(self.template_problems)
        if (template := self._compiled.get(source)) is None:
            tree = self._tree(source)  # None: compiling the text raises its syntax error, with its line
            code = self.env.compile(source if tree is None else tree)
            template = self._compiled[source] = self.env.template_class.from_code(
                self.env, code, self.env.make_globals(None), None
            )
        return template.render(self._variables(options, parameters or {})).strip() + "\n"

    def render(self, detection: Detection, options: RenderOptions | None = None) -> str:
        """The detection's SQL for ``options``; raises ProblemError with the file and line."""
        options = options or RenderOptions()
        if unsafe := self.unsafe_problems(detection):
            raise ProblemError(unsafe)
        try:
            return self.render_text(detection.template_source, options, self.parameters(detection, options))
        except jinja2.TemplateError as error:
            path, line = error_location(error, self.project.templates, detection.path) or (
                detection.path,
                getattr(error, "lineno", None) or detection.sql_first_line,
            )
            raise ProblemError([Problem("RENDER001", _describe(error), path, line)]) from error
        except (KeyError, TypeError, ValueError) as error:
            problem = Problem(
                "RENDER002", f"{type(error).__name__}: {error}", detection.path, detection.sql_first_line
            )
            raise ProblemError([problem]) from error


def _describe(error: jinja2.TemplateError) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return f"undefined name in template: {error.message}"
    return f"{type(error).__name__}: {error.message or error}"
