"""Names that reach SQL or IAM follow one strict rule, at argument parsing and in the library
(issue 13's identifier injections)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from trailhunt.cli.commands import main
from trailhunt.deploy.cloudformation import Deployment
from trailhunt.deploy.ddl import TableSpec
from trailhunt.deploy.schedule import Schedule
from trailhunt.engines.athena import AthenaSettings
from trailhunt.identifiers import identifier, workgroup
from trailhunt.render.renderer import RenderOptions

INJECTION = "cloudtrail WHERE 1=0) x; DROP TABLE cloudtrail; --"
BAD = [
    INJECTION,
    "*",
    "cloudtrail\n",
    "Cloudtrail",
    "1trail",
    "",
    "a" * 129,
    "db.cloudtrail",
    "ct-logs",
    "ct`x",
]
GOOD = ["cloudtrail", "_private", "cloudtrail_logs_2024", "a" * 128]


@pytest.mark.parametrize("name", GOOD)
def test_plain_lower_case_names_pass(name) -> None:
    assert identifier(name, "table") == name


@pytest.mark.parametrize("name", ["analytics-team", "hunt.prod", "Primary_2"])
def test_workgroups_follow_athenas_own_rule(name) -> None:
    assert workgroup(name) == name
    assert AthenaSettings(database="security", workgroup=name).workgroup == name


@pytest.mark.parametrize("name", ["primary*", "primary\n", "", "a/b", "w" * 129])
def test_workgroups_admit_no_wildcard_slash_or_newline(name) -> None:
    with pytest.raises(ValueError, match="workgroup"):
        workgroup(name)


@pytest.mark.parametrize("name", BAD)
def test_anything_else_is_refused(name) -> None:
    with pytest.raises(ValueError, match="table"):
        identifier(name, "table")


@pytest.mark.parametrize(
    "argv",
    [
        ["hunt", "--engine", "trino", "--table", INJECTION],
        ["hunt", "--engine", "trino", "--trino-catalog", "hive; DROP"],
        ["hunt", "--engine", "trino", "--trino-schema", "default\n"],
        ["hunt", "--engine", "athena", "--database", "security\n"],
        ["hunt", "--engine", "athena", "--database", "security", "--table", INJECTION],
        ["hunt", "--engine", "athena", "--database", "security", "--workgroup", "primary*"],
        ["export", "sql", "--table", INJECTION],
        ["export", "cloudformation", "--database", "security", "--cloudtrail-bucket", "b", "--table", "*"],
        ["export", "cloudformation", "--database", "*", "--cloudtrail-bucket", "b"],
        ["ddl", "--bucket", "trail-logs", "--account", "111122223333", "--table", "ct\n"],
    ],
    ids=lambda argv: (
        " ".join(argv[:2]) + " " + next(a for a in argv if a.startswith("--t") or a == "--database")
    ),
)
def test_the_cli_refuses_a_bad_name_before_doing_anything(argv, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "is not allowed: use 1-128 " in error


@pytest.mark.parametrize(
    "build",
    [
        lambda: RenderOptions(table=INJECTION),
        lambda: Schedule(timedelta(hours=1), timedelta(minutes=15), "manual", "*"),
        lambda: AthenaSettings(database="security\n"),
        lambda: AthenaSettings(database="security", table=INJECTION),
        lambda: AthenaSettings(database="security", workgroup="primary\n"),
        lambda: TableSpec("trail-logs", ("111122223333",), table="ct\n"),
        lambda: Deployment("*", "trail-logs"),
    ],
    ids=["render", "schedule", "athena-db", "athena-table", "athena-workgroup", "ddl", "cloudformation"],
)
def test_the_library_refuses_a_bad_name_where_it_enters(build) -> None:
    with pytest.raises(ValueError, match=r"not allowed|expected"):
        build()


def test_the_trino_connection_refuses_a_bad_catalog_or_schema() -> None:
    from trailhunt.engines import trino as trino_engine

    with pytest.raises(ValueError, match="catalog"):
        trino_engine.connect("localhost", 8080, catalog="hive.x")
    with pytest.raises(ValueError, match="schema"):
        trino_engine.connect("localhost", 8080, schema="default\n")


@pytest.mark.parametrize("field", ["bucket", "prefix", "start"])
def test_ddl_values_with_a_trailing_newline_are_refused(field) -> None:
    values = {"bucket": "trail-logs", "prefix": "central/", "start": "2024/01/01"}
    values[field] += "\n"
    with pytest.raises(ValueError, match=field):
        TableSpec(accounts=("111122223333",), **values)
