"""One orchestration for every command: project, catalogue, renderer and account context, built once.

The CLI parses arguments and calls one method here; everything a command does is callable from
Python. Wrong input raises ``UsageError`` (exit 2) with one line saying what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trailhunt.catalog.catalog import Catalog, load_catalog
from trailhunt.catalog.detection import Detection
from trailhunt.catalog.project import Project
from trailhunt.engines.base import Engine, Limits
from trailhunt.engines.duckdb import DEFAULT_MEMORY_LIMIT
from trailhunt.hunt import OnDetection, hunt, run_hunt
from trailhunt.problems import Problem, UsageError
from trailhunt.render.context import AccountContext, load_context
from trailhunt.render.renderer import Renderer, RenderOptions, Target
from trailhunt.render.window import Layout, Window
from trailhunt.result import HuntResult

if TYPE_CHECKING:
    from trailhunt.catalog.coverage import CoverageFormat
    from trailhunt.catalog.scaffold import Scaffold
    from trailhunt.ingest.load import ProgressCallback
    from trailhunt.report.build import Report
    from trailhunt.report.write import Format
    from trailhunt.validate.fixtures import CaseResult

DEFAULT_SINCE = timedelta(hours=24)  # a remote hunt's window when --since is not given
EXTRAS = {"athena": ("pyathena", "trailhunt[athena]"), "trino": ("trino", "trailhunt[trino]")}


def require_extra(engine: str) -> None:
    """Raise ``UsageError`` naming the extra to install when ``engine``'s client library is missing."""
    module, extra = EXTRAS[engine]
    try:
        __import__(module)
    except ImportError as error:
        raise UsageError(f"--engine {engine} needs {module}: pip install '{extra}'") from error


@dataclass
class Workspace:
    """A project's catalogue, its renderer and the account context every command works with."""

    project: Project
    catalog: Catalog
    renderer: Renderer
    context: AccountContext

    @classmethod
    def open(cls, project: Path | None = None, context: Path | None = None) -> Workspace:
        """Load the project (``--project``, else the default) and the context YAML (if named)."""
        if project is not None and not (project / "detections").is_dir():
            raise UsageError(f"--project {project}: no detections/ folder there; name a trailhunt project")
        if context is not None and not context.is_file():
            raise UsageError(f"--context {context}: no such file")
        located = Project.locate(project)
        return cls(located, load_catalog(located), Renderer(located), load_context(context))

    def select(self, ids: list[str] | None) -> list[Detection]:
        """The named detections (all when none are named)."""
        known = {d.id for d in self.catalog.detections}
        unknown = [i for i in ids or [] if i not in known]
        if unknown:
            raise UsageError(
                f"no detection {unknown[0]!r} in {self.project.detections} (see `trailhunt list`)"
            )
        return self.catalog.select(ids)

    def huntable(self, ids: list[str] | None) -> list[Detection]:
        """The named detections, after the sandbox check of their files and the templates."""
        detections = self.select(ids)
        self.renderer.refuse_unsafe(detections)
        return detections

    def render(self, detection_id: str, target: Target) -> str:
        """One detection's SQL for ``target`` (DuckDB: the translated text)."""
        [detection] = self.select([detection_id])
        sql = self.renderer.render(detection, RenderOptions(context=self.context, target=target))
        if target == "duckdb":
            from trailhunt.fidelity.transpile import to_duckdb

            sql = to_duckdb(sql, detection_id) + "\n"
        return sql

    def validate(self, targets: list[str] | None = None) -> tuple[list[Detection], list[Problem]]:
        """The named detections (ids, .sql files or folders; all when none) and every problem of
        them, each once."""
        from trailhunt.catalog.selection import problems_under, select
        from trailhunt.validate.validator import Validator

        detections, problems = select(self.catalog, targets), problems_under(self.catalog, targets)
        if not detections and not problems:
            raise UsageError(f"nothing to validate: no detections in {self.project.detections}")
        validator = Validator(self.catalog, self.renderer)
        if targets:
            problems += [p for d in detections for p in validator.validate(d)]
        else:
            problems += validator.validate_all()
        return detections, list(dict.fromkeys(problems))

    def test(self, targets: list[str] | None, pattern: str | None = None) -> list[CaseResult]:
        """Every test case of the named detections whose ``detection::case`` id contains ``pattern``."""
        from trailhunt.catalog.selection import select
        from trailhunt.validate.fixtures import run_case

        results = [
            run_case(self.renderer, d, index)
            for d in select(self.catalog, targets)
            for index, case in enumerate(d.meta.tests)
            if not pattern or pattern in f"{d.id}::{case.case_id(index)}"
        ]
        if not results:
            raise UsageError("nothing to test: no test case matches the ids, paths and -k pattern")
        return results

    def coverage(self, fmt: CoverageFormat, link_base: str | None = None, output: Path | None = None) -> str:
        """Techniques x detections as text, an ATT&CK Navigator layer, or the README table; for the
        README format with an ``output`` file, that file's text with its table replaced."""
        from trailhunt.catalog.coverage import coverage_document

        if not self.catalog.detections:
            raise UsageError(f"no detections under {self.project.detections}: nothing to cover")
        try:
            readme = output.read_text(encoding="utf-8") if output is not None and fmt == "readme" else None
            return coverage_document(self.catalog.detections, fmt, self.project.root, link_base, readme)
        except (OSError, ValueError) as error:
            raise UsageError(f"--output {output}: {error}") from error

    def new(self, target: str, event: str, technique: str | None = None) -> Scaffold:
        """Scaffold ``detections/TACTIC/ID.sql`` (``target``: TACTIC/ID) with a firing and a near-miss fixture."""
        from trailhunt.catalog.scaffold import new_detection

        return new_detection(self.project, target, event, technique)

    def hunt_files(
        self, paths: list[Path], ids: list[str] | None, since: datetime | timedelta | None = None,
        until: datetime | None = None, limits: Limits | None = None, memory_limit: str | None = None,
        use_cache: bool = True, progress: ProgressCallback | None = None, on_detection: OnDetection | None = None,
    ) -> HuntResult:  # fmt: skip
        """A local hunt over CloudTrail files or folders with DuckDB (``since``: an ISO time only)."""
        if not paths:
            raise UsageError("hunt needs log files or folders (or --engine athena|trino)")
        if isinstance(since, timedelta):
            raise UsageError("a duration --since (e.g. 24h) needs --engine athena|trino; give an ISO time")
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise UsageError(f"{missing[0]}: no such file or folder")
        if since and until and since >= until:
            raise UsageError(
                f"--since {since:%Y-%m-%dT%H:%M:%SZ} is not before --until {until:%Y-%m-%dT%H:%M:%SZ}"
            )
        detections = self.huntable(ids)
        result = hunt(
            paths, self.renderer, detections, self.context, since, until, progress, use_cache, on_detection,
            memory_limit or DEFAULT_MEMORY_LIMIT, limits,
        )  # fmt: skip
        if not result.load.files_read and not result.load.rejected:
            raise UsageError(f"no CloudTrail logs found in {', '.join(map(str, paths))} (.json or .json.gz)")
        return result

    def hunt_on(
        self, engine: Engine, window: Window, ids: list[str] | None, limits: Limits | None = None,
        on_detection: OnDetection | None = None,
    ) -> HuntResult:  # fmt: skip
        """A hunt on a remote engine (Athena, Trino) over ``window``; the engine is closed after."""
        try:
            detections = self.huntable(ids)
            return run_hunt(
                engine, self.renderer, detections, self.context, window, limits, None, on_detection
            )
        finally:
            engine.close()

    def remote_window(
        self, since: datetime | timedelta | None, until: datetime | None, layout: Layout,
        regions: tuple[str, ...] = (), now: datetime | None = None,
    ) -> Window:  # fmt: skip
        """A remote hunt's window: ``since`` (a duration back from ``until``, or an ISO time; default
        24 hours) to ``until`` (default now). A projected table is read for the context's
        ``account_ids`` and ``regions`` only (all of them when empty), as scheduled queries are."""
        end = until or now or datetime.now(UTC)
        since = since or DEFAULT_SINCE
        start = end - since if isinstance(since, timedelta) else since
        if start >= end:
            raise UsageError("--since is not before --until")
        return Window(start, end, layout, accounts=tuple(self.context.account_ids), regions=regions)

    def athena(self, window: Window, **options: Any) -> Engine:
        """An Athena engine from ``AthenaSettings`` fields, after the pre-flight: credentials, region,
        workgroup, and a value in ``window`` for every partition the table projects as injected."""
        from trailhunt.engines.athena import AthenaEngine, AthenaSettings, preflight

        if not options.get("database"):
            raise UsageError("--engine athena needs --database (the Glue database of the CloudTrail table)")
        try:
            settings = AthenaSettings(**options)
        except ValueError as error:
            raise UsageError(str(error)) from error
        require_extra("athena")
        preflight(settings)
        engine = AthenaEngine(settings)
        try:
            _require_injected_values(
                f"{settings.database}.{settings.table}", engine.injected_partitions(), window
            )
        except UsageError:
            engine.close()
            raise
        return engine

    def trino(self, host: str, port: int, catalog: str, schema: str, user: str, table: str, max_bytes: int | None) -> Engine:  # fmt: skip
        """A Trino engine on the cluster at ``host:port``."""
        require_extra("trino")
        from trailhunt.engines.trino import TrinoEngine, connect

        try:
            return TrinoEngine(connect(host, port, catalog, schema, user), table, max_bytes)
        except ValueError as error:
            raise UsageError(f"--table: {error}") from error

    def report(self, result: HuntResult) -> Report:
        """The ranked report of a hunt."""
        from trailhunt.report.build import build_report

        return build_report(result, self.renderer)

    def write_report(
        self, result: HuntResult, fmt: Format | None = None, output: Path | None = None, drafts: bool = False
    ) -> Report:
        """Build the report and write it to ``output`` or stdout, in ``fmt`` (default: the output
        file's suffix, else the terminal); ``drafts`` prints the drafts' SQL in the terminal."""
        from trailhunt.report.write import format_for, write_report

        report = self.report(result)
        write_report(report, format_for(output, fmt), output, drafts=drafts)
        return report


def _require_injected_values(table: str, injected: list[str], window: Window) -> None:
    """Raise ``UsageError`` unless ``window`` names values for every injected partition column (Athena
    refuses a query on such a table without an equality predicate on the column)."""
    given = {"account": window.accounts, "region": window.regions}
    fixes = {"account": "list them as account_ids in the --context YAML", "region": "pass --regions"}
    for column in injected:
        problem = f"table {table} projects {column!r} as injected"
        if column not in fixes:
            raise UsageError(f"{problem}, and trailhunt's queries never name it; project it as enum")
        if window.layout != "projection":
            raise UsageError(f"{problem}: hunt it with --layout projection")
        if not given[column]:
            raise UsageError(f"{problem}: every query must name its {column} values; {fixes[column]}")
