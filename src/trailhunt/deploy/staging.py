"""One scan of the raw logs per interval: the parquet staging table and the copy into it.

Run *S* (the scheduled time, ``lag`` after a multiple of ``every``) copies the CloudTrail files
*delivered* in ``[S − every − settle, S − settle)`` (CloudTrail's file names carry their delivery
minute, ``<account>_CloudTrail_<region>_<yyyyMMddTHHmmZ>_<id>.json.gz``, so a ``"$path"`` range per
account and region selects exactly them) into ``trailhunt_staging``: parquet, ZSTD, only the columns
the catalogue reads, partitioned by ``slot`` and ``late``. Consecutive runs read each raw file once.

Run *S* then detects over its window ``[S − every − lag, S − lag)``, which is exactly one event-time
slot (``every`` long, aligned to the epoch). A row whose event falls in that slot or a later one is
*on time*: ``late = 'false'``, ``slot`` = its event time's slot, so each run's detections read exactly
one partition (``late = 'false' AND slot = S − every − lag``). A row staged after its slot's run is
*late*: ``late = 'true'``, ``slot`` = the slot of the run that staged it (so one copy writes at most a
few partitions however old its late events are). The daily sweep re-runs every detection over the
late rows staged into yesterday's slots only (``Window.arrival = "late"``): no finding repeats, and
aggregations there see the late events alone (docs/production.md says what that misses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlglot import exp

from trailhunt.deploy.cfn_iam import parquet_table
from trailhunt.deploy.ddl import TableSpec
from trailhunt.fidelity.transpile import parse_athena
from trailhunt.schema import columns, type_sql

STAGING_TABLE = "trailhunt_staging"
MAX_PARTITIONS_PER_INSERT = 100  # Athena's limit for INSERT INTO / CTAS
SETTLE = timedelta(minutes=2)  # a file is listed after its name's minute: copy only settled minutes
PARTITION_KEYS = ("slot", "late")
SLOT_FORMAT = "%Y%m%dT%H%i"


def catalogue_columns(sqls: list[str], keep: tuple[str, ...] = ("eventid", "eventtime")) -> list[str]:
    """The table columns the rendered queries read (top level, in schema order), and ``keep``."""
    schema = columns()
    used: set[str] = set()
    for sql in sqls:
        for statement in parse_athena(sql):
            for column in statement.find_all(exp.Column):
                name = column.table.lower() if column.table.lower() in schema else column.name.lower()
                if name in schema:
                    used.add(name)
    return [name for name in schema if name in used | set(keep)]


def glue_type(name: str) -> str:
    """The Glue catalogue type string of column ``name``."""
    return type_sql(columns()[name].type, "hive").lower().replace(": ", ":").replace(", ", ",")


@dataclass(frozen=True)
class Staging:
    """The staging table's columns and the raw table it is copied from."""

    spec: TableSpec  # the raw CloudTrail table (bucket, prefix, org, accounts, regions)
    columns: tuple[str, ...]
    every: timedelta
    lag: timedelta = timedelta(minutes=15)
    table: str = STAGING_TABLE

    def account_chunks(self) -> list[tuple[str, ...]]:
        """Accounts grouped so each INSERT reads ≤ 100 account × region file ranges (its text stays short)."""
        per = max(1, MAX_PARTITIONS_PER_INSERT // len(self.spec.regions))
        if len(self.spec.regions) > MAX_PARTITIONS_PER_INSERT:
            raise ValueError(
                f"{len(self.spec.regions)} regions exceed {MAX_PARTITIONS_PER_INSERT} ranges per copy"
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
        arrival = scheduled - self.every - self.lag  # the start of this run's window (one slot)
        return (
            f"{self._head(raw_table)}{self._partitions(f'{arrival:%Y-%m-%dT%H:%M:%SZ}', f'{arrival:%Y%m%dT%H%M}')}\n"
            f"FROM {raw_table}\nWHERE account IN ({accounts_in})\n"
            f"  AND \"timestamp\" BETWEEN '{low:%Y/%m/%d}' AND '{high:%Y/%m/%d}'\n"
            f"  AND ({' OR '.join(ranges)})\n"
        )

    def _head(self, raw_table: str) -> str:
        return f"INSERT INTO {self.table}\nSELECT {', '.join(self.columns)},\n  "

    def _partitions(self, arrival_iso: str, arrival_slot: str) -> str:
        """``slot`` and ``late`` of a copied row, given the start of the copying run's window."""
        every = int(self.every.total_seconds())
        own = (
            f"date_format(from_unixtime(floor(to_unixtime(from_iso8601_timestamp(eventtime)) / {every})"
            f" * {every}), '{SLOT_FORMAT}')"
        )
        late = f"coalesce(eventtime, '') < '{arrival_iso}'"
        return (
            f"CASE WHEN {late} THEN '{arrival_slot}' ELSE {own} END AS slot,\n"
            f"  CASE WHEN {late} THEN 'true' ELSE 'false' END AS late"
        )

    def copy_expression(self, raw_table: str) -> str:
        """``copy_sql`` as a Step Functions JSONata expression over ``$scheduled`` and the item's accounts.

        The SQL is built per run from the scheduled time (1,700 account × region ranges would not fit
        a template as text); ``tests/test_staging.py`` checks both spellings agree.
        """
        iso, slot = "'[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]Z'", "'[Y0001][M01][D01]T[H01][m01]'"
        head = (
            _jsonata_text(self._head(raw_table) + self._partitions("__ISO__", "__SLOT__"))
            .replace("__ISO__", f'" & $fromMillis($arrival, {iso}) & "')
            .replace("__SLOT__", f'" & $fromMillis($arrival, {slot}) & "')
        )
        arrival_ms = int((self.every + self.lag).total_seconds() * 1000)
        low_ms = int((self.every + SETTLE).total_seconds() * 1000)
        high_ms = int(SETTLE.total_seconds() * 1000)
        regions = "[" + ", ".join(f"'{r}'" for r in self.spec.regions) + "]"
        return (
            f"{{% ($t := $toMillis($scheduled); $low := $t - {low_ms}; $high := $t - {high_ms};"
            f" $arrival := $t - {arrival_ms};"
            " $bound := function($a, $r, $ms) { \"'" + self.spec.root + "\" & $a & '/CloudTrail/' & $r & '/'"
            " & $fromMillis($ms, '[Y0001]/[M01]/[D01]') & '/' & $a & '_CloudTrail_' & $r & '_'"
            " & $fromMillis($ms, '[Y0001][M01][D01]T[H01][m01]') & \"Z'\" };"
            " $ranges := $map($states.input.accounts, function($a) { $join([$map("
            + regions
            + ", function($r) {"
            " '(\"$path\" >= ' & $bound($a, $r, $low) & ' AND \"$path\" < ' & $bound($a, $r, $high) & ')' })],"
            " ' OR ') });"
            ' "' + head + "\\nFROM " + raw_table + '\\nWHERE account IN ("'
            " & $join([$map($states.input.accounts, function($a) { \"'\" & $a & \"'\" })], ', ')"
            ' & ")\\n  AND \\"timestamp\\" BETWEEN \'" & $fromMillis($low, \'[Y0001]/[M01]/[D01]\')'
            " & \"' AND '\" & $fromMillis($high, '[Y0001]/[M01]/[D01]') & \"'\\n  AND (\""
            " & $join([$ranges], ' OR ') & ')\\n') %}"
        )


def _jsonata_text(text: str) -> str:
    """``text`` as the inside of a double-quoted JSONata string (JSON's escapes)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def staging_table(staging: Staging, location: object) -> dict[str, object]:
    """The ``AWS::Glue::Table`` of the staging table (``location``: an S3 URI or intrinsic)."""
    columns = [(c, glue_type(c)) for c in staging.columns]
    return parquet_table(staging.table, columns, list(PARTITION_KEYS), location)
