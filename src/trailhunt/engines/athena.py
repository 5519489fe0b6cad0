"""The Athena engine, through pyathena: statements run concurrently, each with its own outcome.

The text Athena receives is exactly the rendered SQL: it is sent with pyathena's ``qmark`` style and
no parameters, which passes the operation through unformatted. A detection whose query fails
(FAILED, CANCELLED, access denied, missing table) is reported with Athena's reason while the
others still run.

Cost guard, in two parts:
- ``max_bytes`` (per query): a query whose running scan passes it is cancelled, and reported as
  cancelled by the guard. Athena's workgroup ``BytesScannedCutoffPerQuery`` enforces the same limit
  server-side; the export sets it, and its cancellations come back with Athena's own reason.
- ``max_total_bytes`` (per hunt): enforced by the hunt loop (``hunt.run_hunt``) on every engine,
  with ``spent()`` counting running queries from their latest poll.
Estimated cost follows Athena's pricing: bytes rounded up to a megabyte with a 10 MB minimum per
query, nothing for failed queries, ``price_per_tb`` dollars per TB (2**40 bytes).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trailhunt.engines.base import (
    NotSelectError,
    QueryOutcome,
    SendsRenderedText,
    Target,
    ensure_select,
    refused,
)
from trailhunt.identifiers import identifier, workgroup
from trailhunt.problems import UsageError, first_line
from trailhunt.render.window import Layout

if TYPE_CHECKING:
    import boto3
    from pyathena.connection import Connection
    from pyathena.model import AthenaQueryExecution

MEGABYTE = 1024 * 1024
TERABYTE = 1024**4
MINIMUM_BILLED = 10 * MEGABYTE


@dataclass(frozen=True)
class AthenaSettings:
    """Where and how detections run on Athena."""

    database: str
    table: str = "cloudtrail"
    workgroup: str = "primary"
    output_location: str | None = None  # default: the workgroup's result location
    region: str | None = None
    profile: str | None = None
    layout: Layout = "manual"
    concurrency: int = 4
    max_bytes: int | None = None
    max_total_bytes: int | None = None
    price_per_tb: float = 5.0
    poll_interval: float = 1.0

    def __post_init__(self) -> None:
        for name in ("database", "table"):
            identifier(getattr(self, name), name)
        workgroup(self.workgroup)
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")


def estimated_cost(bytes_scanned: int, state: str, price_per_tb: float) -> float:
    """Athena's charge for one query: failed and unstarted queries are free."""
    if state not in ("SUCCEEDED", "CANCELLED"):
        return 0.0
    billed = max(math.ceil(bytes_scanned / MEGABYTE) * MEGABYTE, MINIMUM_BILLED)
    return billed / TERABYTE * price_per_tb


class _Guard:
    """Watches every poll: keeps the latest execution per query and cancels runaway scans."""

    def __init__(self, settings: AthenaSettings):
        self.settings = settings
        self.latest: dict[str, AthenaQueryExecution] = {}
        self.stopped: set[str] = set()
        self.lock = threading.Lock()
        self.connection: Connection[Any] | None = None

    def on_poll(self, execution: AthenaQueryExecution) -> None:
        query_id = execution.query_id or ""
        scanned = execution.data_scanned_in_bytes or 0
        with self.lock:
            self.latest[query_id] = execution
            runaway = (
                self.settings.max_bytes is not None
                and scanned > self.settings.max_bytes
                and execution.state in ("QUEUED", "RUNNING")
                and query_id not in self.stopped
            )
            if runaway:
                self.stopped.add(query_id)
        if runaway and self.connection is not None:
            self.connection.client.stop_query_execution(QueryExecutionId=query_id)

    def spent(self) -> int:
        with self.lock:
            return sum(e.data_scanned_in_bytes or 0 for e in self.latest.values())


def _connect(settings: AthenaSettings, guard: _Guard, session: boto3.Session | None) -> Connection[Any]:
    import pyathena
    from pyathena.cursor import DictCursor

    return pyathena.connect(
        s3_staging_dir=settings.output_location,
        work_group=settings.workgroup,
        schema_name=settings.database,
        region_name=settings.region,
        profile_name=settings.profile if session is None else None,
        session=session,
        poll_interval=settings.poll_interval,
        on_poll=guard.on_poll,
        cursor_class=DictCursor,
    )


def _finish(outcome: QueryOutcome, guard: _Guard, settings: AthenaSettings) -> None:
    execution = guard.latest.get(outcome.query_id or "")
    if execution is not None:
        outcome.state = execution.state or outcome.state
        outcome.bytes_scanned = execution.data_scanned_in_bytes or 0
        outcome.elapsed_ms = execution.engine_execution_time_in_millis or 0
        if outcome.state != "SUCCEEDED":
            outcome.reason = execution.state_change_reason or outcome.reason
    if outcome.query_id in guard.stopped:
        outcome.reason = f"cancelled by --max-bytes {settings.max_bytes} after {outcome.bytes_scanned} bytes"
    outcome.cost_usd = estimated_cost(outcome.bytes_scanned, outcome.state, settings.price_per_tb)


def injected_columns(table: dict[str, Any]) -> list[str]:
    """The partition columns a Glue table (``GetTable``'s ``Table``) projects as ``injected``."""
    parameters = {k.strip().lower(): v.strip().lower() for k, v in table.get("Parameters", {}).items()}
    if parameters.get("projection.enabled") != "true":
        return []
    names = [c["Name"] for c in table.get("PartitionKeys", [])]
    return [n for n in names if parameters.get(f"projection.{n.lower()}.type") == "injected"]


def preflight(settings: AthenaSettings, session: boto3.Session | None = None) -> None:
    """Raise ``UsageError`` (one line) unless credentials, a region and the workgroup are there."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    session = session or boto3.Session(profile_name=settings.profile, region_name=settings.region)
    if session.get_credentials() is None:
        raise UsageError(
            "no AWS credentials: set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        )
    region = settings.region or session.region_name
    if not region:
        raise UsageError("no AWS region: pass --region or set AWS_REGION")
    try:
        found = session.client("athena", region_name=region).get_work_group(WorkGroup=settings.workgroup)
    except (ClientError, BotoCoreError) as error:
        raise UsageError(f"Athena workgroup {settings.workgroup!r} in {region}: {first_line(error)} (check --workgroup)") from error  # fmt: skip
    if "WorkGroup" not in found:
        raise UsageError(f"Athena workgroup {settings.workgroup!r} not found in {region} (check --workgroup)")


class AthenaEngine(SendsRenderedText):
    """An ``Engine`` on Athena through pyathena: statements run ``settings.concurrency`` at once."""

    name = "athena"
    target: Target = "athena"

    def __init__(self, settings: AthenaSettings, session: boto3.Session | None = None):
        self.settings, self.table, self.concurrency = settings, settings.table, settings.concurrency
        self.guard = _Guard(settings)
        self.connection = _connect(settings, self.guard, session)
        self.guard.connection = self.connection

    def run(self, sql: str, label: str) -> QueryOutcome:
        """Check the text is one SELECT, send it exactly as given, wait, read the rows."""
        from pyathena.error import Error

        try:
            ensure_select(sql, "athena")
        except NotSelectError as error:
            return refused(label, str(error))
        outcome = QueryOutcome(label)

        def started(query_id: str) -> None:
            outcome.query_id = query_id

        rows: list[dict[str, Any]] = []
        problem = None
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, paramstyle="qmark", on_start_query_execution=started)
            rows = list(cursor.fetchall())
        except Error as error:
            problem = first_line(error)
        finally:
            cursor.close()
        outcome.state, outcome.reason = ("ERROR" if outcome.query_id is None else "FAILED"), problem
        _finish(outcome, self.guard, self.settings)
        if problem and outcome.state == "SUCCEEDED":  # the query ran; reading its results failed
            outcome.state, outcome.reason = "ERROR", f"reading results: {problem}"
        outcome.rows = rows if outcome.state == "SUCCEEDED" else []
        return outcome

    def injected_partitions(self) -> list[str]:
        """The table's partition columns projected as ``injected``: Athena runs no query on the table
        unless it names their values. Empty when Glue does not say (no access, not a Glue table)."""
        from botocore.exceptions import BotoCoreError, ClientError

        glue = self.connection.session.client("glue", region_name=self.connection.client.meta.region_name)
        try:
            table = glue.get_table(DatabaseName=self.settings.database, Name=self.settings.table)["Table"]
        except (BotoCoreError, ClientError):
            return []
        return injected_columns(table)

    def spent(self) -> int:
        """Bytes scanned so far, running queries included (from their latest poll)."""
        return self.guard.spent()

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()
