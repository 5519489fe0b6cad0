"""``trailhunt ddl``: the Athena CREATE EXTERNAL TABLE for CloudTrail logs, in AWS's two documented layouts.

Columns come from ``data/cloudtrail_table.sql`` (lower-cased, as Athena shows them). SerDe, input
format and partitioning follow the Athena documentation on querying CloudTrail logs:
- ``manual``: partitions ``region, year, month, day`` (strings), added with ALTER TABLE ADD PARTITION;
- ``projection``: one ``timestamp`` partition (``yyyy/MM/dd``) projected from a start date to NOW,
  for one account and region.
Every user value is checked against S3/AWS naming rules first, so nothing can leave the quoted
strings it is written into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from trailhunt.identifiers import IDENTIFIER, RULE
from trailhunt.render.context import ACCOUNT_ID, REGION
from trailhunt.schema import columns, type_sql

BUCKET = re.compile(r"^(?!xn--)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
PREFIX = re.compile(r"^[A-Za-z0-9!_.*()/-]*$")  # S3's safe key characters: no quotes, \, $, { or spaces
ORG_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
DATE = re.compile(r"^\d{4}/\d{2}/\d{2}$")
SERDE = """ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'"""


@dataclass(frozen=True)
class TableSpec:
    """Where the trail writes and how the table is partitioned."""

    bucket: str
    account: str
    prefix: str = ""
    org_id: str | None = None
    layout: Literal["manual", "projection"] = "manual"
    table: str = "cloudtrail"
    region: str | None = None
    start: str = "2024/01/01"

    def __post_init__(self) -> None:
        checks = [
            (BUCKET, self.bucket, "bucket", "an S3 bucket name (lower-case letters, digits, '.', '-')"),
            (ACCOUNT_ID, self.account, "account", "a 12-digit account id"),
            (PREFIX, self.prefix, "prefix", "an S3 key prefix of letters, digits and !_.*()/-"),
            (IDENTIFIER, self.table, "table", f"a table name: {RULE}"),
            (DATE, self.start, "start", "a yyyy/MM/dd date"),
        ]
        if self.org_id is not None:
            checks.append((ORG_ID, self.org_id, "org-id", "an organization id (o-...)"))
        if self.region is not None or self.layout == "projection":
            checks.append((REGION, self.region or "", "region", "an AWS region (projection needs one)"))
        for pattern, value, name, expected in checks:
            if not pattern.fullmatch(value) or ".." in value:  # fullmatch: no trailing newline
                raise ValueError(f"--{name} {value!r}: expected {expected}")
        datetime.strptime(self.start, "%Y/%m/%d")  # a real date, not just the shape

    @property
    def root(self) -> str:
        """``s3://bucket/prefix/AWSLogs/[org/]account/CloudTrail/``."""
        parts = [self.prefix.strip("/"), "AWSLogs", self.org_id, self.account, "CloudTrail"]
        return f"s3://{self.bucket}/" + "/".join(p for p in parts if p) + "/"


def _columns() -> str:
    return ",\n".join(f"  {name} {type_sql(field.type, 'hive')}" for name, field in columns().items())


def _manual(spec: TableSpec) -> str:
    region = spec.region or "us-east-1"
    today = datetime.now(UTC)
    y, m, d = today.strftime("%Y"), today.strftime("%m"), today.strftime("%d")
    return (
        "PARTITIONED BY (region STRING, year STRING, month STRING, day STRING)\n"
        f"{SERDE}\nLOCATION '{spec.root}'\nTBLPROPERTIES ('classification'='cloudtrail');\n\n"
        "-- Add one partition per region and day (hunt with --layout manual), for example:\n"
        f"-- ALTER TABLE {spec.table} ADD IF NOT EXISTS PARTITION (region='{region}', year='{y}', month='{m}', "
        f"day='{d}')\n--   LOCATION '{spec.root}{region}/{y}/{m}/{d}/';\n"
    )


def _projection(spec: TableSpec) -> str:
    location = f"{spec.root}{spec.region}"
    properties = {
        "projection.enabled": "true",
        "projection.timestamp.format": "yyyy/MM/dd",
        "projection.timestamp.interval": "1",
        "projection.timestamp.interval.unit": "DAYS",
        "projection.timestamp.range": f"{spec.start},NOW",
        "projection.timestamp.type": "date",
        "storage.location.template": location + "/${timestamp}",
    }
    rendered = ",\n".join(f"  '{k}'='{v}'" for k, v in properties.items())
    return (
        f"PARTITIONED BY (`timestamp` STRING)\n{SERDE}\nLOCATION '{location}'\n"
        f"TBLPROPERTIES (\n{rendered});\n\n"
        "-- Partitions are projected: nothing to add. Hunt with --layout projection.\n"
    )


def create_table(spec: TableSpec) -> str:
    """The CREATE EXTERNAL TABLE statement (and partition notes) for ``spec``."""
    layout = _manual(spec) if spec.layout == "manual" else _projection(spec)
    header = f"-- CloudTrail table for {spec.root} ({spec.layout} partitions), generated by trailhunt ddl\n"
    return f"{header}CREATE EXTERNAL TABLE {spec.table} (\n{_columns()}\n)\n{layout}"
