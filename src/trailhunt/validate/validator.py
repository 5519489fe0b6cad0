"""Validate detections: metadata, ATT&CK, tests, and the rendered SQL (sqlglot).

Every problem is collected with a code, severity, message and ``path:line``; nothing stops at
the first error.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError, TokenError

from trailhunt.catalog import attack
from trailhunt.catalog.catalog import Catalog
from trailhunt.catalog.detection import Detection
from trailhunt.fidelity.base import locate
from trailhunt.fidelity.check import issues_for
from trailhunt.fidelity.transpile import parse_athena, to_duckdb
from trailhunt.findings import CONTRACT_FIELDS
from trailhunt.problems import Problem, ProblemError
from trailhunt.render.context import AccountContext, AutomationRule
from trailhunt.render.macros import duplicate_macros, namespace_problems, other_accessors, template_names
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.validate.columns import bad_references, reads_cloudtrail
from trailhunt.validate.layout import long_lines

FORBIDDEN = (
    exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter,
    exp.Command, exp.TruncateTable, exp.Grant, exp.Set, exp.Use, exp.Describe,
)  # fmt: skip
KIND_FIELD = "finding_kind"  # the optional result column Finding.kind is read from
# A context with a value in every list (one with a quote), so every macro branch is rendered.
PROBE_CONTEXT = AccountContext(
    name="probe",
    account_ids=["111111111111"],
    humans=["arn:aws:iam::111111111111:user/o'brien"],
    automation=[
        "arn:aws:iam::*:role/ci-*",
        AutomationRule(
            principal="arn:aws:iam::111111111111:user/deploy",
            user_agents=["Terraform/*", "o'neil%_"],
            networks=["198.51.100.0/24"],
        ),
    ],
    service_accounts=["arn:aws:iam::111111111111:user/svc_app?"],
    expected_regions=["us-east-1"],
    trusted_accounts=["222222222222"],
    trusted_cidrs=["203.0.113.0/24"],
)


class Validator:
    """Checks detections of one project."""

    def __init__(self, catalog: Catalog, renderer: Renderer):
        self.catalog = catalog
        self.renderer = renderer
        self.templates = [renderer.project.templates / name for name in renderer.macro_files]
        self.template_names = template_names(renderer.env, self.templates)

    def validate_all(self) -> list[Problem]:
        """Problems of every detection, plus catalogue-wide ones (load errors, duplicate ids, template
        sandbox escapes, macros defined twice, names used without their import), each reported once."""
        env = self.renderer.env
        problems = [
            *self.catalog.problems,
            *self.renderer.template_problems,
            *duplicate_macros(env, self.templates),
        ]
        for template in self.templates:
            source = template.read_text(encoding="utf-8")
            problems += other_accessors(env, source, template)
            problems += namespace_problems(env, source, template, self.template_names)
            problems += long_lines(source, template)
        seen: dict[str, Detection] = {}
        for detection in self.catalog.detections:
            if detection.id in seen:
                message = f"duplicate id {detection.id!r} (also {seen[detection.id].path})"
                problems.append(Problem("CAT001", message, detection.path, detection.line_of("id")))
            seen[detection.id] = detection
            problems.extend(self.validate(detection))
        return list(dict.fromkeys(problems))

    def validate(self, detection: Detection) -> list[Problem]:
        """Every problem of one detection (once each, though SQL is checked under two contexts)."""
        problems = [
            *other_accessors(self.renderer.env, detection.template_source, detection.path),
            *namespace_problems(
                self.renderer.env, detection.template_source, detection.path, self.template_names
            ),
            *long_lines(detection.sql, detection.path, detection.sql_first_line),
            *self._attack(detection),
            *self._tests(detection),
            *self._sql(detection, AccountContext()),
            *self._sql(detection, PROBE_CONTEXT),
        ]
        return list(dict.fromkeys(problems))

    def _attack(self, detection: Detection) -> list[Problem]:
        problems = []
        line = detection.line_of("attack")
        tactics: set[str] = set()
        for technique_id in detection.meta.attack:
            if reason := attack.problem_with(technique_id):
                problems.append(Problem("ATT001", reason, detection.path, line))
                continue
            technique = attack.lookup(technique_id)
            assert technique is not None
            tactics.update(technique.tactics)
            if successor := attack.v19_successor(technique_id):
                message = f"{technique_id} was renumbered in ATT&CK v19: use {successor}"
                problems.append(Problem("ATT002", message, detection.path, line, "warning"))
        if tactics and detection.tactic not in tactics:
            message = f"folder {detection.tactic!r} is not a tactic of {', '.join(detection.meta.attack)} ({', '.join(sorted(tactics))})"
            problems.append(Problem("ATT003", message, detection.path, line))
        return problems

    def _tests(self, detection: Detection) -> list[Problem]:
        problems = []
        line = detection.line_of("tests")
        counts = [case.expected_count for case in detection.meta.tests]
        if not any(counts):
            problems.append(Problem("TEST001", "no firing test case (expect > 0)", detection.path, line))
        if all(counts):
            problems.append(Problem("TEST002", "no near-miss test case (expect: 0)", detection.path, line))
        fixtures = self.catalog.project.fixtures
        for case in detection.meta.tests:
            for name in filter(None, (case.fixture, case.context)):
                if not (fixtures / name).is_file():
                    problems.append(
                        Problem("TEST003", f"missing fixture file fixtures/{name}", detection.path, line)
                    )
        unknown = {p for case in detection.meta.tests for p in case.params} - set(detection.meta.parameters)
        if unknown:
            message = f"test params not declared in parameters: {', '.join(sorted(unknown))}"
            problems.append(Problem("TEST004", message, detection.path, line))
        return problems

    def _sql(self, detection: Detection, context: AccountContext) -> list[Problem]:
        try:
            sql = self.renderer.render(detection, RenderOptions(context=context))
        except ProblemError as error:
            return error.problems
        return sql_problems(detection, sql)


def _line_of(detection: Detection, token: str) -> int:
    """File line where ``token`` first appears in the SQL body (best effort)."""
    body_lines = detection.sql.splitlines()
    pattern = re.compile(re.escape(token.split(".")[-1]), re.IGNORECASE)
    for offset, text in enumerate(body_lines):
        if pattern.search(text):
            return detection.sql_first_line + offset
    return detection.sql_first_line


def _statement_problems(detection: Detection, statements: list[exp.Expr]) -> list[Problem]:
    problems = []
    if len(statements) != 1:
        problems.append(
            Problem(
                "SQL002",
                f"expected exactly one statement, found {len(statements)}",
                detection.path,
                detection.sql_first_line,
            )
        )
    for statement in statements:
        forbidden = [n for n in statement.walk() if isinstance(n, FORBIDDEN)]
        if forbidden or not isinstance(statement, exp.Query):
            kind = type(forbidden[0] if forbidden else statement).__name__.upper()
            message = f"detections are SELECT-only; found {kind}"
            problems.append(
                Problem("SQL004", message, detection.path, _line_of(detection, kind.split("TABLE")[0]))
            )
    return problems


def _window_problems(detection: Detection, query: exp.Expr) -> list[Problem]:
    problems = []
    for select in query.find_all(exp.Select):
        if not reads_cloudtrail(select):
            continue
        where = select.args.get("where")
        bounded = where is not None and any(
            isinstance(node.this, exp.Column) and node.this.name.lower() == "eventtime"
            for node in where.find_all(exp.GTE)
        )
        if not bounded:
            message = "a scan of the CloudTrail table has no time-window predicate ({{ in_window() }})"
            problems.append(Problem("SQL006", message, detection.path, _line_of(detection, "FROM")))
    return problems


def _contract_problems(detection: Detection, query: exp.Query) -> list[Problem]:
    names = [n.lower() for n in query.named_selects]
    missing = [c for c in CONTRACT_FIELDS if c not in names]
    problems = []
    if missing:
        message = f"finding contract: missing column(s) {', '.join(missing)} (use finding_columns())"
        problems.append(Problem("SQL007", message, detection.path, _line_of(detection, "SELECT")))
    problems.extend(_attempt_problems(detection, KIND_FIELD in names))
    return problems


def _attempt_problems(detection: Detection, reports_attempts: bool) -> list[Problem]:
    """A detection reports failed calls as attempts (finding_kind) or says why it does not."""
    opt_out = detection.meta.attempts_opt_out
    if not reports_attempts and opt_out is None:
        message = (
            "failed calls are not reported: return finding_kind (finding_columns() does) "
            "or declare attempts_opt_out with the reason"
        )
        return [Problem("ATM001", message, detection.path, _line_of(detection, "SELECT"))]
    if reports_attempts and opt_out is not None:
        message = (
            "declares attempts_opt_out but returns finding_kind (use finding_columns(..., attempts=false))"
        )
        return [Problem("ATM002", message, detection.path, detection.line_of("attempts_opt_out"))]
    return []


def _fidelity_problems(detection: Detection, sql: str) -> list[Problem]:
    """Constructs whose DuckDB answer could differ from Athena's (``fidelity``, FID codes)."""
    return [
        Problem(
            i.code,
            i.message,
            detection.path,
            detection.sql_first_line + locate(i.near, detection.sql),
            i.severity,
        )
        for i in issues_for(sql)
    ]


def sql_problems(detection: Detection, sql: str) -> list[Problem]:
    """Problems of one rendered SQL text of ``detection``."""
    try:
        statements = parse_athena(sql)
    except ParseError as error:
        detail = error.errors[0] if error.errors else {}
        message = f"does not parse as Athena SQL: {detail.get('description', error)}"
        token = detail.get("highlight") or "SELECT"
        return [Problem("SQL001", message, detection.path, _line_of(detection, token))]
    except TokenError as error:  # an unterminated string or identifier
        cause = str(error.__cause__ or error).splitlines()[0]
        message = f"does not tokenize as Athena SQL (an unterminated quote?): {cause}"
        return [Problem("SQL001", message, detection.path, detection.sql_first_line)]
    problems = _statement_problems(detection, statements)
    if problems:
        return problems
    query = statements[0]
    assert isinstance(query, exp.Query)
    for bad in bad_references(query):
        problems.append(
            Problem("SQL005", f"{bad.text}: {bad.reason}", detection.path, _line_of(detection, bad.text))
        )
    problems.extend(_window_problems(detection, query))
    problems.extend(_contract_problems(detection, query))
    if not problems:
        problems.extend(_fidelity_problems(detection, sql))
    if not any(p.severity == "error" for p in problems):
        try:
            to_duckdb(sql, detection.id)
        except ProblemError as error:
            problems.extend(
                Problem(p.code, p.message, detection.path, detection.sql_first_line) for p in error.problems
            )
        except SqlglotError as error:
            problems.append(Problem("SQL003", str(error), detection.path, detection.sql_first_line))
    return problems
