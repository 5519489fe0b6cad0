"""Baseline framing: one Athena query, principal and region classes from the account context."""

from __future__ import annotations

import pytest
from sqlglot import exp

import trailhunt.hunt
from tests.report_support import DATA
from trailhunt.baseline import baseline_sql, compute_baseline
from trailhunt.engines.duckdb import connect
from trailhunt.fidelity.transpile import parse_athena
from trailhunt.ingest.load import load_files
from trailhunt.problems import Problem, ProblemError
from trailhunt.render.context import AccountContext, load_context
from trailhunt.render.renderer import DEFAULT_WINDOW
from trailhunt.report.build import build_report
from trailhunt.report.render_markdown import render_markdown
from trailhunt.validate.columns import bad_references

CONTEXT = load_context(DATA / "context.yaml")


@pytest.fixture(scope="module")
def baseline(renderer):
    con = connect()
    load_files(con, [DATA / "baseline.json"])
    yield compute_baseline(con, renderer, CONTEXT, DEFAULT_WINDOW)
    con.close()


def test_events_by_principal_class(baseline):
    counts = {t.name: (t.events, t.writes, t.errors, t.principals) for t in baseline.classes}
    assert counts == {
        "human": (2, 0, 0, 1),
        "automation": (4, 4, 0, 2),
        "service": (2, 0, 1, 1),
        "aws-service": (2, 0, 0, 2),
        "unknown": (1, 0, 0, 1),
    }
    assert [t.name for t in baseline.classes] == ["human", "automation", "service", "aws-service", "unknown"]
    assert baseline.total_events == 11


def test_regions_and_what_the_context_does_not_know(baseline):
    assert [(t.name, t.events) for t in baseline.unexpected_regions()] == [("ap-southeast-1", 1)]
    assert [t.name for t in baseline.unknown_principals()] == ["arn:aws:iam::111122223333:user/mallory"]
    assert baseline.unknown_principal_count() == 1


def test_noisiest_automation_is_set_aside_busiest_first(baseline):
    assert [(t.name, t.events) for t in baseline.noisiest_automation()] == [
        ("arn:aws:sts::111122223333:assumed-role/terraform-apply/tf-run-8812", 3),
        ("arn:aws:sts::111122223333:assumed-role/github-actions-deploy/GitHubActions", 1),
    ]


def test_class_of_principals(baseline):
    assert baseline.class_of("arn:aws:iam::111122223333:user/svc-reporting") == "service"
    assert baseline.class_of(
        "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForConfig/AWSConfig-Describe"
    ) == ("aws-service")
    assert baseline.class_of("arn:aws:iam::111122223333:user/never-seen") == "unknown"


def test_without_a_context_everything_is_unknown_or_aws(renderer):
    con = connect()
    load_files(con, [DATA / "baseline.json"])
    bare = compute_baseline(con, renderer, AccountContext(), DEFAULT_WINDOW)
    con.close()
    assert {t.name: t.events for t in bare.classes} == {"aws-service": 2, "unknown": 9}
    assert bare.unexpected_regions() == []  # no expected_regions: nothing is called unexpected


def test_the_query_is_one_athena_statement_over_the_cloudtrail_schema(renderer):
    sql = baseline_sql(renderer, CONTEXT, DEFAULT_WINDOW)
    (statement,) = parse_athena(sql)
    assert isinstance(statement, exp.Query)
    assert bad_references(statement) == []
    assert "'arn:aws:iam::111122223333:role/terraform-apply'" in sql  # context values as quoted literals
    assert "eventtime >= '2000-01-01T00:00:00Z'" in sql  # the hunt window, as detections get it


def test_context_values_cannot_break_out_of_the_query(renderer):
    hostile = AccountContext(automation=["arn:aws:iam::*:role/x') OR 1=1 --"])
    (statement,) = parse_athena(baseline_sql(renderer, hostile, DEFAULT_WINDOW))
    literals = [lit.this for lit in statement.find_all(exp.Literal) if lit.is_string]
    assert "arn:aws:iam::%:role/x') OR 1=1 --" in literals


def test_a_failing_baseline_leaves_the_rest_of_the_hunt(monkeypatch, catalog, renderer):
    def broken(*_args, **_kwargs):
        raise ProblemError([Problem("RENDER001", "baseline query: boom")])

    monkeypatch.setattr(trailhunt.hunt, "baseline_sql", broken)
    result = trailhunt.hunt.hunt(
        [DATA / "payloads.json"], renderer, [catalog.get("cloudtrail_logging_stopped")], CONTEXT
    )
    assert result.baseline is None
    assert len(result.findings) == 3
    assert result.errors == [("baseline", "error RENDER001: baseline query: boom")]
    assert "The baseline query failed" in render_markdown(build_report(result, renderer))
