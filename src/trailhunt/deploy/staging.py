"""One scan of the raw logs per interval: the parquet staging table and the copy into it.

Run *S* (the scheduled time) copies the CloudTrail files *delivered* in ``[S − every − settle,
S − settle)`` (CloudTrail's file names carry their delivery minute, ``<account>_CloudTrail_<region>_
<yyyyMMddTHHmmZ>_<id>.json.gz``, so a ``"$path"`` range per account and region selects exactly them)
into ``trailhunt_staging``: parquet, ZSTD, only the columns the catalogue reads, partitioned by
``batch`` (S as ``yyyyMMddTHHmm``), ``account`` and ``region``. Consecutive runs read each raw file
once. Detections then run on the staging table (layout ``staged``): a run's event-time window reads
the batches that can hold it (its start through S). Athena writes at most 100 partitions per
``INSERT``, so the copy is one statement per chunk of accounts holding ≤ 100 account × region pairs.
An event delivered after its window's run is *late*: the daily sweep re-runs the detections over
yesterday and keeps only findings whose event was late (``late_event_ids``), so nothing alerts twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlglot import exp

from trailhunt.deploy.cfn_iam import parquet_table
from trailhunt.deploy.ddl import TableSpec
from trailhunt.fidelity.transpile import parse_athena
from trailhunt.render.window import SCHEDULED_TIME
from trailhunt.schema import columns, type_sql

STAGING_TABLE = "trailhunt_staging"
MAX_PARTITIONS_PER_INSERT = 100  # Athena's limit for INSERT INTO / CTAS
SETTLE = timedelta(minutes=2)  # a file is listed after its name's minute: copy only settled minutes
PARTITION_KEYS = ("batch", "account", "region")
BATCH_FORMAT = "%Y%m%dT%H%i"


def catalogue_columns(sqls: list[str]) -> list[str]:
    """The table columns the rendered detections read (top level, in schema order)."""
    schema = columns()
    used: set[str] = set()
    for sql in sqls:
        for statement in parse_athena(sql):
            for column in statement.find_all(exp.Column):
                name = column.table.lower() if column.table.lower() in schema else column.name.lower()
                if name in schema:
                    used.add(name)
    return [name for name in schema if name in used | {"eventid", "eventtime"}]


def glue_type(name: str) -> str:
    """The Glue catalogue type string of column ``name``."""
    return type_sql(columns()[name].type, "hive").lower().replace(": ", ":").replace(", ", ",")


@dataclass(frozen=True)
class Staging:
    """The staging table's columns and the raw table it is copied from."""

    spec: TableSpec  # the raw CloudTrail table (bucket, prefix, org, accounts, regions)
    columns: tuple[str, ...]
    every: timedelta
    table: str = STAGING_TABLE

    def account_chunks(self) -> list[tuple[str, ...]]:
        """Accounts grouped so each INSERT writes ≤ 100 partitions (one batch × accounts × regions)."""
        per = max(1, MAX_PARTITIONS_PER_INSERT // len(self.spec.regions))
        if len(self.spec.regions) > MAX_PARTITIONS_PER_INSERT:
            raise ValueError(
                f"{len(self.spec.regions)} regions exceed {MAX_PARTITIONS_PER_INSERT} partitions"
            )
        accounts = self.spec.accounts
        return [accounts[i : i + per] for i in range(0, len(accounts), per)]

    def _bounds(self, scheduled: datetime) -> tuple[datetime, datetime]:
        return scheduled - self.every - SETTLE, scheduled - SETTLE

    def copy_sql(self, accounts: tuple[str, ...], raw_table: str, scheduled: datetime) -> str:
        """The INSERT copying one account chunk's files delivered for the run scheduled at ``scheduled``."""
        low, high = self._bounds(scheduled)

        def bound(account: str, region: str, at: datetime) -> str:
            return (
                f"'{self.spec.root}{account}/CloudTrail/{region}/{at:%Y/%m/%d}/"
                f"{account}_CloudTrail_{region}_{at:%Y%m%dT%H%M}Z'"
            )

        ranges = [
            f'("$path" >= {bound(a, r, low)} AND "$path" < {bound(a, r, high)})'
            for a in accounts
            for r in self.spec.regions
        ]
        accounts_in = ", ".join(f"'{a}'" for a in accounts)
        return (
            f"{self._head(raw_table)}'{scheduled:%Y%m%dT%H%M}' AS batch, account, region\n"
            f"FROM {raw_table}\nWHERE account IN ({accounts_in})\n"
            f"  AND \"timestamp\" BETWEEN '{low:%Y/%m/%d}' AND '{high:%Y/%m/%d}'\n"
            f"  AND ({' OR '.join(ranges)})\n"
        )

    def _head(self, raw_table: str) -> str:
        return f"INSERT INTO {self.table}\nSELECT {', '.join(self.columns)},\n  "

    def copy_expression(self, raw_table: str) -> str:
        """``copy_sql`` as a Step Functions JSONata expression over ``$scheduled`` and the item's accounts.

        The SQL is built per run from the scheduled time (1,700 account × region ranges would not fit
        a template as text); ``tests/test_staging.py`` checks both spellings agree.
        """
        head = self._head(raw_table).replace("\n", "\\n")
        low_ms = int((self.every + SETTLE).total_seconds() * 1000)
        high_ms = int(SETTLE.total_seconds() * 1000)
        regions = "[" + ", ".join(f"'{r}'" for r in self.spec.regions) + "]"
        return (
            "{% ($t := $toMillis($scheduled); $low := $t - "
            + str(low_ms)
            + "; $high := $t - "
            + str(high_ms)
            + ";"
            " $bound := function($a, $r, $ms) { \"'" + self.spec.root + "\" & $a & '/CloudTrail/' & $r & '/'"
            " & $fromMillis($ms, '[Y0001]/[M01]/[D01]') & '/' & $a & '_CloudTrail_' & $r & '_'"
            " & $fromMillis($ms, '[Y0001][M01][D01]T[H01][m01]') & \"Z'\" };"
            " $ranges := $map($states.input.accounts, function($a) { $join([$map("
            + regions
            + ", function($r) {"
            " '(\"$path\" >= ' & $bound($a, $r, $low) & ' AND \"$path\" < ' & $bound($a, $r, $high) & ')' })],"
            " ' OR ') });"
            " '" + head.replace("'", "\\'") + "' & \"'\" & $fromMillis($t, '[Y0001][M01][D01]T[H01][m01]')"
            " & \"' AS batch, account, region\\nFROM " + raw_table + '\\nWHERE account IN ("'
            " & $join([$map($states.input.accounts, function($a) { \"'\" & $a & \"'\" })], ', ')"
            ' & ")\\n  AND \\"timestamp\\" BETWEEN \'" & $fromMillis($low, \'[Y0001]/[M01]/[D01]\')'
            " & \"' AND '\" & $fromMillis($high, '[Y0001]/[M01]/[D01]') & \"'\\n  AND (\""
            " & $join([$ranges], ' OR ') & ')\\n') %}"
        )

    def late_event_ids(self, lag: timedelta, lookback: timedelta) -> str:
        """Event ids staged after the run whose window held their event time (for the daily sweep)."""
        every, lag_s = int(self.every.total_seconds()), int(lag.total_seconds())
        batch_epoch = f"to_unixtime(date_parse(batch, '{BATCH_FORMAT}'))"
        due_run = (
            f"(floor((to_unixtime(from_iso8601_timestamp(eventtime)) + {lag_s}) / {every}) + 1) * {every}"
        )
        start = f"date_format({SCHEDULED_TIME} - INTERVAL '{int(lookback.total_seconds())}' SECOND, '{BATCH_FORMAT}')"
        return f"SELECT eventid FROM {self.table}\nWHERE batch >= {start} AND {batch_epoch} > {due_run}"


def late_only(sql: str, late_ids: str) -> str:
    """The daily sweep's query: ``sql`` over yesterday, keeping findings whose event arrived late."""
    return f"SELECT late.*\nFROM (\n{sql.rstrip()}\n) AS late\nWHERE late.event_id IN (\n{late_ids}\n)\n"


def staging_table(staging: Staging, location: object) -> dict[str, object]:
    """The ``AWS::Glue::Table`` of the staging table (``location``: an S3 URI or intrinsic)."""
    columns = [(c, glue_type(c)) for c in staging.columns]
    return parquet_table(staging.table, columns, list(PARTITION_KEYS), location)
