"""Rendering: macros, quoting of context values, strict undefined names."""

from __future__ import annotations

import sqlglot

from trailhunt.engines.duckdb import connect
from trailhunt.fidelity.transpile import to_duckdb
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import RenderOptions


def test_context_values_are_quoted_literals_not_sql(catalog, renderer) -> None:
    hostile = "arn:aws:iam::111122223333:role/x') OR TRUE OR ('"
    context = AccountContext(automation=[hostile], expected_regions=["us-east-1"])
    detection = catalog.get("cloudtrail_logging_stopped")
    sql = renderer.render(detection, RenderOptions(context=context))
    parsed = sqlglot.parse_one(sql, read="athena")
    literals = {lit.this for lit in parsed.find_all(sqlglot.exp.Literal) if lit.is_string}
    assert "arn:aws:iam::111122223333:role/x') OR TRUE OR ('" in literals
    assert not any(
        isinstance(n, sqlglot.exp.Boolean) and n.this is True for n in parsed.find_all(sqlglot.exp.Boolean)
    )


def test_glob_wildcards_match_and_literal_percent_does_not(renderer) -> None:
    from trailhunt.render.sqltext import matches_any_glob

    con = connect()
    predicate = matches_any_glob("a", ["arn:aws:iam::*:role/ci-?", "arn:aws:iam::1:role/100%"])
    rows = con.execute(
        f"SELECT a, {predicate} FROM (VALUES ('arn:aws:iam::1:role/ci-a'), ('arn:aws:iam::1:role/ci-ab'), "
        "('arn:aws:iam::1:role/100x'), ('arn:aws:iam::1:role/100%')) t(a) ORDER BY a"
    ).fetchall()
    assert dict(rows) == {
        "arn:aws:iam::1:role/100%": True,
        "arn:aws:iam::1:role/100x": False,
        "arn:aws:iam::1:role/ci-a": True,
        "arn:aws:iam::1:role/ci-ab": False,
    }


def test_cidr_predicate_is_exact_and_ignores_non_ip_sources() -> None:
    from trailhunt.render.sqltext import in_networks

    con = connect()
    predicate = in_networks("ip", ["203.0.113.0/24", "10.0.0.0/8"])
    athena_sql = (
        f"SELECT ip, coalesce({predicate}, FALSE) FROM (VALUES ('203.0.113.7'), ('203.0.114.1'), ('10.255.0.1'), "
        "('11.0.0.1'), ('ec2.amazonaws.com'), ('AWS Internal'), ('2001:db8::1')) t(ip)"
    )
    rows = con.execute(to_duckdb(athena_sql)).fetchall()
    assert dict(rows) == {
        "203.0.113.7": True,
        "203.0.114.1": False,
        "10.255.0.1": True,
        "11.0.0.1": False,
        "ec2.amazonaws.com": False,
        "AWS Internal": False,
        "2001:db8::1": False,
    }


def test_parameters_come_from_detection_then_context_then_caller(catalog, renderer) -> None:
    detection = catalog.get("cloudtrail_logging_stopped")
    defaults = renderer.parameters(detection, RenderOptions())
    context = AccountContext(parameters={detection.id: {"threshold": 7}})
    assert renderer.parameters(detection, RenderOptions(context=context))["threshold"] == 7
    assert (
        renderer.parameters(detection, RenderOptions(context=context, params={"threshold": 9}))["threshold"]
        == 9
    )
    assert "threshold" not in defaults


def test_an_empty_list_parameter_is_a_clear_render_error(catalog, renderer) -> None:
    import pytest

    from trailhunt.problems import ProblemError

    detection = catalog.get("iam_admin_policy_attached")
    with pytest.raises(ProblemError) as caught:
        renderer.render(detection, RenderOptions(params={"admin_policies": []}))
    (problem,) = caught.value.problems
    assert problem.code == "RENDER002" and "at least one value" in problem.message
    assert problem.path == detection.path
