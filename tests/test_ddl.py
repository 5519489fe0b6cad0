"""``trailhunt ddl``: the CREATE TABLE parses, carries the schema of data/cloudtrail_table.sql and the
documented SerDe, projects account/region/day for single-account and organisation trails, ends at its
``;``, and rejects input that could escape its quotes. Rendered queries prune on all three partitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlglot
from sqlglot import exp

from tests.conftest import CATALOG, PROJECT
from trailhunt.deploy.ddl import TableSpec, create_table
from trailhunt.deploy.regions import COMMERCIAL_REGIONS
from trailhunt.deploy.schedule import Schedule
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer
from trailhunt.render.window import Window, window_predicate
from trailhunt.schema import columns, type_sql

ORG_ACCOUNTS = tuple(f"{100000000000 + i:012d}" for i in range(50))
ORG_CONTEXT = AccountContext(name="org", account_ids=list(ORG_ACCOUNTS))


def parsed(spec: TableSpec) -> exp.Create:
    [statement] = sqlglot.parse(create_table(spec), read="hive")
    assert isinstance(statement, exp.Create)
    return statement


def properties(create: exp.Create) -> dict[str, str]:
    return {
        p.name: p.text("value")
        for p in create.args["properties"].expressions
        if isinstance(p, exp.Property) and type(p) is exp.Property
    }


def partitions(create: exp.Create) -> list[str]:
    [partitioned] = [
        p for p in create.args["properties"].expressions if isinstance(p, exp.PartitionedByProperty)
    ]
    return [c.name for c in partitioned.this.expressions]


def test_columns_are_the_bundled_schema_and_nothing_follows_the_statement() -> None:
    spec = TableSpec("trail-logs", ("111122223333",))
    create = parsed(spec)
    defs = {
        d.name: d.args["kind"].sql("hive") for d in create.this.expressions if isinstance(d, exp.ColumnDef)
    }
    assert defs == {name: type_sql(f.type, "hive") for name, f in columns().items()}
    text = create_table(spec)
    assert "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'" in text
    assert "INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'" in text
    assert text.rstrip().endswith(";") and text.count(";") == 1


def test_single_account_trail_projects_its_account_every_region_and_the_day() -> None:
    create = parsed(TableSpec("trail-logs", ("111122223333",), prefix="central/", start="2023/06/01"))
    assert partitions(create) == ["account", "region", "timestamp"]
    props = properties(create)
    assert props["projection.account.type"] == "enum" and props["projection.account.values"] == "111122223333"
    assert props["projection.region.values"].split(",") == list(COMMERCIAL_REGIONS)
    assert props["projection.timestamp.range"] == "2023/06/01,NOW"
    assert create.find(exp.LocationProperty).this.name == "s3://trail-logs/central/AWSLogs/"
    assert (
        props["storage.location.template"]
        == "s3://trail-logs/central/AWSLogs/${account}/CloudTrail/${region}/${timestamp}"
    )


def test_organisation_trail_projects_fifty_accounts_or_injects_them() -> None:
    spec = TableSpec("org-logs", ORG_ACCOUNTS, org_id="o-abcdef1234", regions=("us-east-1", "eu-west-1"))
    props = properties(parsed(spec))
    assert props["projection.account.values"].split(",") == list(ORG_ACCOUNTS)
    assert props["projection.region.values"] == "us-east-1,eu-west-1"
    assert props["storage.location.template"].startswith("s3://org-logs/AWSLogs/o-abcdef1234/${account}/")
    injected = properties(parsed(TableSpec("org-logs", org_id="o-abcdef1234", account_projection="injected")))
    assert injected["projection.account.type"] == "injected" and "projection.account.values" not in injected


def test_window_predicate_uses_only_the_tables_partition_columns() -> None:
    create = parsed(TableSpec("trail-logs", ("111122223333",)))
    window = Window(datetime(2024, 3, 11, tzinfo=UTC), datetime(2024, 3, 12, tzinfo=UTC), "projection",
                    accounts=("111122223333",), regions=("eu-west-1",))  # fmt: skip
    predicate = sqlglot.parse_one(window_predicate(window), read="athena")
    used = {c.name for c in predicate.find_all(exp.Column)} - {"eventtime"}
    assert used == set(partitions(create))


def _pruned(sql: str) -> dict[str, set[str]]:
    """Partition column → the constants (or parameter expressions) every read of the table is limited by."""
    tree = sqlglot.parse_one(sql, read="athena")
    found: dict[str, set[str]] = {}
    for node in tree.find_all(exp.In, exp.Between):
        column = node.this
        if isinstance(column, exp.Column) and column.name in {"account", "region", "timestamp"}:
            values = node.expressions if isinstance(node, exp.In) else [node.args["low"], node.args["high"]]
            found.setdefault(column.name, set()).update(v.sql("athena") for v in values)
    return found


@pytest.mark.parametrize("detection", CATALOG.detections, ids=lambda d: d.id)
def test_scheduled_org_queries_prune_on_account_region_and_day(detection) -> None:
    schedule = Schedule(layout="projection", accounts=ORG_ACCOUNTS, regions=("us-east-1", "eu-west-1"))
    sql = Renderer(PROJECT).render(detection, schedule.options(ORG_CONTEXT, "athena"))
    tree = sqlglot.parse_one(sql, read="athena")
    reads = [t for t in tree.find_all(exp.Table) if t.name == "cloudtrail"]
    pruned = _pruned(sql)
    assert reads and set(pruned) == {"account", "region", "timestamp"}
    assert pruned["account"] == {f"'{a}'" for a in ORG_ACCOUNTS}
    assert pruned["region"] == {"'us-east-1'", "'eu-west-1'"}
    # every WHERE that reads the table restricts the day: as many day ranges as table reads
    assert sql.count('"timestamp" BETWEEN') >= len(reads)


def test_fixed_window_prunes_days_with_delivery_slack() -> None:
    window = Window.last(timedelta(hours=2), datetime(2024, 3, 12, 23, 30, tzinfo=UTC), "projection")
    assert "\"timestamp\" BETWEEN '2024/03/12' AND '2024/03/13'" in window_predicate(window)


@pytest.mark.parametrize(
    "overrides",
    [
        {"bucket": "logs' LOCATION 's3://evil"},
        {"bucket": "Logs"},
        {"prefix": "logs'/x"},
        {"prefix": "a\\b"},
        {"prefix": "${timestamp}"},
        {"prefix": "a\nb"},
        {"prefix": "../other"},
        {"accounts": ("1111'",)},
        {"regions": ("us-east-1'",)},
        {"regions": ()},
        {"org_id": "o-'x"},
        {"table": "ct; DROP TABLE x"},
        {"start": "2024-01-01"},
        {"start": "2024/13/01"},
        {"accounts": ()},  # enum projection needs its accounts
        {"accounts": ("111122223333", "444455556666")},  # several accounts need an organisation trail
    ],
)
def test_input_that_could_break_the_statement_is_rejected(overrides) -> None:
    with pytest.raises(ValueError):
        TableSpec(**{"bucket": "trail-logs", "accounts": ("111122223333",), **overrides})
