"""``trailhunt ddl``: the CREATE TABLE parses, carries the schema of data/cloudtrail_table.sql, the
documented SerDe/partitions for each layout, and rejects input that could escape its quotes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlglot
from sqlglot import exp

from trailhunt.deploy.ddl import TableSpec, create_table
from trailhunt.render.window import Window, window_predicate
from trailhunt.schema import columns, type_sql


def parsed(spec: TableSpec) -> exp.Create:
    [create] = [s for s in sqlglot.parse(create_table(spec), read="hive") if isinstance(s, exp.Create)]
    return create


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


@pytest.mark.parametrize("layout", ["manual", "projection"])
def test_columns_are_the_bundled_schema_lower_cased(layout) -> None:
    create = parsed(TableSpec("trail-logs", "111122223333", layout=layout, region="eu-west-1"))
    defs = {
        d.name: d.args["kind"].sql("hive") for d in create.this.expressions if isinstance(d, exp.ColumnDef)
    }
    assert defs == {name: type_sql(f.type, "hive") for name, f in columns().items()}
    assert all(name == name.lower() for name in defs)
    text = create_table(TableSpec("trail-logs", "111122223333", layout=layout, region="eu-west-1"))
    assert "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'" in text
    assert "INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'" in text
    assert "CREATE EXTERNAL TABLE cloudtrail (" in text


def test_manual_layout_partitions_by_region_and_day() -> None:
    spec = TableSpec("trail-logs", "111122223333", prefix="central/", org_id="o-abcdef1234", table="ct")
    create = parsed(spec)
    assert partitions(create) == ["region", "year", "month", "day"]
    location = create.find(exp.LocationProperty).this.name
    assert location == "s3://trail-logs/central/AWSLogs/o-abcdef1234/111122223333/CloudTrail/"
    assert "ALTER TABLE ct ADD IF NOT EXISTS PARTITION" in create_table(spec)


def test_projection_layout_projects_one_timestamp_partition() -> None:
    create = parsed(
        TableSpec("trail-logs", "111122223333", layout="projection", region="eu-west-1", start="2023/06/01")
    )
    assert partitions(create) == ["timestamp"]
    props = properties(create)
    assert props["projection.enabled"] == "true" and props["projection.timestamp.type"] == "date"
    assert props["projection.timestamp.format"] == "yyyy/MM/dd"
    assert props["projection.timestamp.range"] == "2023/06/01,NOW"
    assert (
        props["storage.location.template"]
        == "s3://trail-logs/AWSLogs/111122223333/CloudTrail/eu-west-1/${timestamp}"
    )


@pytest.mark.parametrize("layout", ["manual", "projection"])
def test_window_predicate_uses_the_tables_partition_columns(layout) -> None:
    create = parsed(TableSpec("trail-logs", "111122223333", layout=layout, region="eu-west-1"))
    now = datetime(2024, 3, 12, tzinfo=UTC)
    predicate = sqlglot.parse_one(
        window_predicate(Window.last(timedelta(days=1), now, layout)), read="athena"
    )
    used = {c.name for c in predicate.find_all(exp.Column)} - {"eventtime"}
    assert used and used <= set(partitions(create))


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
        {"account": "1111'"},
        {"region": "us-east-1'"},
        {"org_id": "o-'x"},
        {"table": "ct; DROP TABLE x"},
        {"start": "2024-01-01"},
        {"start": "2024/13/01"},
        {"layout": "projection"},  # projection needs a region
    ],
)
def test_input_that_could_break_the_statement_is_rejected(overrides) -> None:
    with pytest.raises(ValueError):
        TableSpec(**{"bucket": "trail-logs", "account": "111122223333", **overrides})
