"""``trailhunt ddl``: the Athena CREATE EXTERNAL TABLE for CloudTrail logs, with partition projection.

Columns come from ``data/cloudtrail_table.sql`` (lower-cased, as Athena shows them); SerDe and input
format are the ones the Athena documentation gives for CloudTrail. The table is partitioned by
``account``, ``region`` and ``timestamp`` (the ``yyyy/MM/dd`` delivery folder), all projected, so
nothing has to add partitions:
- a single-account trail writes ``AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/``;
- an organisation trail (``org_id``) writes ``AWSLogs/<o-id>/<account>/CloudTrail/<region>/...``.
Accounts are an ``enum`` of the given ids, or ``injected`` (every query must then name its accounts,
which the window macro does from the context's ``account_ids``); regions an ``enum`` of all
commercial regions unless narrowed. Every user value is checked against S3/AWS naming rules first,
so nothing can leave the quoted strings it is written into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from trailhunt.deploy.regions import COMMERCIAL_REGIONS
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
PARTITIONS = ("account", "region", "timestamp")
AccountProjection = Literal["enum", "injected"]


@dataclass(frozen=True)
class TableSpec:
    """Where the trail writes and which accounts and regions the table projects."""

    bucket: str
    accounts: tuple[str, ...] = ()
    prefix: str = ""
    org_id: str | None = None
    table: str = "cloudtrail"
    regions: tuple[str, ...] = COMMERCIAL_REGIONS
    account_projection: AccountProjection = "enum"
    start: str = "2024/01/01"

    def __post_init__(self) -> None:
        checks = [
            (BUCKET, self.bucket, "bucket", "an S3 bucket name (lower-case letters, digits, '.', '-')"),
            (PREFIX, self.prefix, "prefix", "an S3 key prefix of letters, digits and !_.*()/-"),
            (IDENTIFIER, self.table, "table", f"a table name: {RULE}"),
            (DATE, self.start, "start", "a yyyy/MM/dd date"),
        ]
        checks += [(ACCOUNT_ID, a, "account", "a 12-digit account id") for a in self.accounts]
        checks += [(REGION, r, "regions", "AWS region names") for r in self.regions]
        if self.org_id is not None:
            checks.append((ORG_ID, self.org_id, "org-id", "an organization id (o-...)"))
        for pattern, value, name, expected in checks:
            if not pattern.fullmatch(value) or ".." in value:  # fullmatch: no trailing newline
                raise ValueError(f"--{name} {value!r}: expected {expected}")
        datetime.strptime(self.start, "%Y/%m/%d")  # a real date, not just the shape
        if not self.regions:
            raise ValueError("--regions: give at least one region")
        if self.account_projection == "enum" and not self.accounts:
            raise ValueError(
                "--account: give the account ids to project (or --account-projection injected, "
                "and list them in the context's account_ids)"
            )
        if self.org_id is None and len(self.accounts) > 1:
            raise ValueError("--account: a single-account trail has one account; use --org-id for more")

    @property
    def root(self) -> str:
        """``s3://bucket/prefix/AWSLogs/[o-id/]`` — the folder holding one folder per account."""
        parts = [self.prefix.strip("/"), "AWSLogs", self.org_id]
        return f"s3://{self.bucket}/" + "/".join(p for p in parts if p) + "/"


def _columns() -> str:
    return ",\n".join(f"  {name} {type_sql(field.type, 'hive')}" for name, field in columns().items())


def projection_properties(spec: TableSpec) -> dict[str, str]:
    """The table properties projecting account, region and delivery day."""
    accounts: dict[str, str] = {"projection.account.type": spec.account_projection}
    if spec.account_projection == "enum":
        accounts["projection.account.values"] = ",".join(spec.accounts)
    return {
        "projection.enabled": "true",
        **accounts,
        "projection.region.type": "enum",
        "projection.region.values": ",".join(spec.regions),
        "projection.timestamp.type": "date",
        "projection.timestamp.format": "yyyy/MM/dd",
        "projection.timestamp.interval": "1",
        "projection.timestamp.interval.unit": "DAYS",
        "projection.timestamp.range": f"{spec.start},NOW",
        "storage.location.template": spec.root + "${account}/CloudTrail/${region}/${timestamp}",
    }


def create_table(spec: TableSpec) -> str:
    """The CREATE EXTERNAL TABLE statement; notes are comments before it, nothing follows the ``;``."""
    rendered = ",\n".join(f"  '{k}'='{v}'" for k, v in projection_properties(spec).items())
    kind = f"organisation trail {spec.org_id}" if spec.org_id else "single-account trail"
    header = (
        f"-- CloudTrail table for {spec.root} ({kind}), generated by trailhunt ddl.\n"
        f"-- Partitions account/region/timestamp are projected: nothing to add. {len(spec.regions)} regions,"
        f" accounts {spec.account_projection}.\n"
    )
    return (
        f"{header}CREATE EXTERNAL TABLE {spec.table} (\n{_columns()}\n)\n"
        "PARTITIONED BY (account STRING, region STRING, `timestamp` STRING)\n"
        f"{SERDE}\nLOCATION '{spec.root}'\nTBLPROPERTIES (\n{rendered});\n"
    )
