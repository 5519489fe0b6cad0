"""Automation known by principal plus user agent and network: the same key is trusted when
Terraform calls from the CI runner, and is an unknown caller otherwise."""

from __future__ import annotations

import pytest

from tests.conftest import CATALOG, PROJECT
from trailhunt.engines.duckdb import connect
from trailhunt.hunt import hunt
from trailhunt.problems import ProblemError
from trailhunt.render.context import load_context
from trailhunt.render.renderer import Renderer, RenderOptions

FIXTURE = PROJECT.fixtures / "cloudtrail" / "iam" / "terraform_and_attack_same_key.json"
ATTACKER_IP = "185.220.101.47"


def _high(context_name: str | None) -> list:
    context = load_context(PROJECT.fixtures / "contexts" / context_name if context_name else None)
    result = hunt([FIXTURE], Renderer(PROJECT), CATALOG.detections, context)
    assert result.errors == []
    return [f for f in result.findings if f.confidence == "high"]


def test_agent_and_network_rule_keeps_the_attack_and_drops_the_teardown() -> None:
    high = _high("automation_by_agent.yaml")
    assert {(f.detection.id, f.event_name) for f in high if f.source_ip == ATTACKER_IP} >= {
        ("cloudtrail_logging_stopped", "StopLogging"),
        ("iam_inline_policy_grants_full_admin", "PutUserPolicy"),
    }
    terraform = [f for f in high if f.user_agent and "Terraform/" in f.user_agent]
    assert terraform == [], "Terraform's teardown from the runner is automation"


def test_listing_the_user_by_arn_loses_the_attack() -> None:
    assert [f for f in _high("automation_by_arn.yaml") if f.source_ip == ATTACKER_IP] == []


def test_without_context_terraform_teardown_is_a_high_finding() -> None:
    teardown = [f for f in _high(None) if f.user_agent and "Terraform/" in f.user_agent]
    assert {f.event_name for f in teardown} == {"StopLogging", "DeleteTrail"}


def _write(tmp_path, text: str):
    path = tmp_path / "ctx.yaml"
    path.write_text(text)
    return path


def test_rule_needs_a_condition_and_valid_networks(tmp_path) -> None:
    for body in (
        'automation: [{principal: "arn:aws:iam::111122223333:user/deploy"}]',
        'automation: [{principal: "arn:aws:iam::111122223333:user/deploy", networks: ["not-a-net"]}]',
        'automation: [{principal: "deploy", user_agents: ["Terraform/*"]}]',
        'automation: [{principal: "arn:aws:iam::111122223333:user/deploy", user_agnets: ["x"]}]',
    ):
        with pytest.raises(ProblemError) as error:
            load_context(_write(tmp_path, body))
        assert all(p.code == "CTX002" for p in error.value.problems)


def test_user_agent_values_reach_sql_only_as_quoted_literals(tmp_path) -> None:
    context = load_context(
        _write(
            tmp_path,
            'automation: [{principal: "arn:aws:iam::111122223333:user/deploy", '
            'user_agents: ["x\' OR 1=1 --", "50%_off"]}]',
        )
    )
    sql = Renderer(PROJECT).render_text(
        "{%- import 'context.sql' as context with context %}"
        "SELECT {{ context.is_automation() }} AS auto FROM (SELECT 'arn:aws:iam::111122223333:user/deploy' AS arn) AS t",
        RenderOptions(context=context),
    )
    assert "'%x'' OR 1=1 --%'" in sql
    con = connect()
    try:
        rows = con.execute(
            "WITH cloudtrail AS (SELECT {'arn': 'arn:aws:iam::111122223333:user/deploy',"
            " 'sessioncontext': {'sessionissuer': {'arn': NULL}}} AS useridentity,"
            " ua AS useragent, '198.51.100.7' AS sourceipaddress"
            " FROM (VALUES ('curl 50%_off/1'), ('curl 50 off'), ('x'' OR 1=1 --')) AS v(ua))"
            f" SELECT useragent, {sql.split('SELECT ', 1)[1].split(' AS auto')[0]} FROM cloudtrail ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert dict(rows) == {"curl 50 off": False, "curl 50%_off/1": True, "x' OR 1=1 --": True}
