"""templates/context.sql on DuckDB: which callers count as AWS itself acting (``is_aws_service``)."""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT
from trailhunt.engines.duckdb import connect
from trailhunt.fidelity.transpile import to_duckdb
from trailhunt.render.renderer import Renderer, RenderOptions

IS_AWS_SERVICE = """{%- import 'context.sql' as context with context %}
SELECT {{ context.is_aws_service() }} AS aws FROM cloudtrail"""


def _is_aws_service(issuer_arn: str | None, identity_type: str = "AssumedRole") -> bool:
    sql = to_duckdb(Renderer(PROJECT).render_text(IS_AWS_SERVICE, RenderOptions()), use_cache=False)
    con = connect()
    try:
        con.execute(
            "CREATE TABLE cloudtrail AS SELECT {'type': $1, 'invokedby': NULL::VARCHAR,"
            " 'sessioncontext': {'sessionissuer': {'arn': $2::VARCHAR}}} AS useridentity",
            [identity_type, issuer_arn],
        )
        [(answer,)] = con.execute(sql).fetchall()
    finally:
        con.close()
    return bool(answer)


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"])
def test_a_service_linked_role_is_aws_in_every_partition(partition) -> None:
    arn = f"arn:{partition}:iam::111122223333:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO"
    assert _is_aws_service(arn)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws-us-gov:iam::111122223333:role/service-role/AdminHelper",  # a customer's service role
        "arn:aws-cn:iam::111122223333:role/ops/aws-service-role/sync",  # the reserved name deeper down
        "arn:aws-us-gov:iam::111122223333:role/aws-service-roles/x",  # a lookalike path
        "arn:aws-us-gov:sts::111122223333:assumed-role/aws-service-role/x",  # not a role ARN
        None,
    ],
)
def test_other_roles_are_not_aws(arn) -> None:
    assert not _is_aws_service(arn)
