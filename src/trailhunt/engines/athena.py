"""Hunt on Athena through pyathena: detections run concurrently, each with its own query report.

The text Athena receives is exactly the rendered SQL: it is sent with pyathena's ``qmark`` style and
no parameters, which passes the operation through unformatted. A detection whose query fails
(FAILED, CANCELLED, access denied, missing table) is reported with Athena's reason while the
others still run.

Cost guard, in two parts:
- ``max_bytes`` (per query): a query whose running scan passes it is cancelled, and reported as
  cancelled by the guard. Athena's workgroup ``BytesScannedCutoffPerQuery`` enforces the same limit
  server-side; the export sets it, and its cancellations come back with Athena's own reason.
- ``max_total_bytes`` (per hunt): once the queries so far have scanned it, the detections not yet
  started are skipped and reported as such.
Estimated cost follows Athena's pricing: bytes rounded up to a megabyte with a 10 MB minimum per
query, nothing for failed queries, ``price_per_tb`` dollars per TB (2**40 bytes).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trailhunt.catalog.detection import Detection
from trailhunt.findings import finding_from_row
from trailhunt.hunt import HuntResult
from trailhunt.ingest.load import LoadReport
from trailhunt.problems import ProblemError
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Layout, Window

if TYPE_CHECKING:
    import boto3
    from pyathena.connection import Connection
    from pyathena.model import AthenaQueryExecution

MEGABYTE = 1024 * 1024
TERABYTE = 1024**4
MINIMUM_BILLED = 10 * MEGABYTE
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


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
            if not IDENTIFIER.match(getattr(self, name)):
                raise ValueError(f"{name} {getattr(self, name)!r}: use lower-case letters, digits and _")
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")


@dataclass
class QueryReport:
    """One detection's query: what Athena did and what it cost."""

    detection_id: str
    query_id: str | None = None
    state: str = "NOT_STARTED"  # SUCCEEDED, FAILED, CANCELLED, ERROR (never started), SKIPPED
    bytes_scanned: int = 0
    engine_ms: int = 0
    rows: int = 0
    reason: str | None = None
    cost_usd: float = 0.0


@dataclass
class AthenaHuntResult(HuntResult):
    """A hunt result plus the per-query reports."""

    queries: list[QueryReport] = field(default_factory=list)

    @property
    def bytes_scanned(self) -> int:
        """Bytes scanned by every query of the hunt."""
        return sum(q.bytes_scanned for q in self.queries)

    @property
    def cost_usd(self) -> float:
        """Estimated cost of the hunt."""
        return sum(q.cost_usd for q in self.queries)


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

    def budget_left(self) -> bool:
        limit = self.settings.max_total_bytes
        return limit is None or self.spent() < limit


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


def _finish(report: QueryReport, guard: _Guard, settings: AthenaSettings) -> None:
    execution = guard.latest.get(report.query_id or "")
    if execution is not None:
        report.state = execution.state or report.state
        report.bytes_scanned = execution.data_scanned_in_bytes or 0
        report.engine_ms = execution.engine_execution_time_in_millis or 0
        if report.state != "SUCCEEDED":
            report.reason = execution.state_change_reason or report.reason
    if report.query_id in guard.stopped:
        report.reason = f"cancelled by --max-bytes {settings.max_bytes} after {report.bytes_scanned} bytes"
    report.cost_usd = estimated_cost(report.bytes_scanned, report.state, settings.price_per_tb)


def _run_one(
    connection: Connection[Any], guard: _Guard, settings: AthenaSettings, detection: Detection, sql: str
) -> tuple[QueryReport, list[dict[str, Any]]]:
    from pyathena.error import Error

    report = QueryReport(detection.id)
    if not guard.budget_left():
        report.state, report.reason = "SKIPPED", f"--max-total-bytes {settings.max_total_bytes} reached"
        return report, []

    def started(query_id: str) -> None:
        report.query_id = query_id

    rows: list[dict[str, Any]] = []
    problem = None
    cursor = connection.cursor()
    try:
        cursor.execute(sql, paramstyle="qmark", on_start_query_execution=started)
        rows = list(cursor.fetchall())
    except Error as error:
        problem = (str(error).strip() or type(error).__name__).splitlines()[0]
    finally:
        cursor.close()
    report.state, report.reason = ("ERROR" if report.query_id is None else "FAILED"), problem
    _finish(report, guard, settings)
    if problem and report.state == "SUCCEEDED":  # the query ran; reading its results failed
        report.state, report.reason = "ERROR", f"reading results: {problem}"
    report.rows = len(rows)
    return report, rows if report.state == "SUCCEEDED" else []


def run_on_athena(
    renderer: Renderer,
    detections: list[Detection],
    context: AccountContext,
    settings: AthenaSettings,
    window: Window,
    session: boto3.Session | None = None,
    on_detection: Callable[[Detection], None] | None = None,
) -> AthenaHuntResult:
    """Run ``detections`` on Athena over ``window``; collect findings and one report per query."""
    result = AthenaHuntResult(LoadReport(), window, context)
    options = RenderOptions(context=context, window=window, target="athena", table=settings.table)
    guard = _Guard(settings)
    connection = _connect(settings, guard, session)
    guard.connection = connection
    jobs: list[tuple[Detection, Future[tuple[QueryReport, list[dict[str, Any]]]]]] = []
    try:
        with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
            for detection in detections:
                try:
                    sql = renderer.render(detection, options)
                except ProblemError as error:
                    failed: Future[tuple[QueryReport, list[dict[str, Any]]]] = Future()
                    failed.set_result(
                        (QueryReport(detection.id, state="ERROR", reason=str(error.problems[0])), [])
                    )
                    jobs.append((detection, failed))
                    continue
                jobs.append((detection, pool.submit(_run_one, connection, guard, settings, detection, sql)))
            for detection, job in jobs:
                report, rows = job.result()
                result.queries.append(report)
                result.findings.extend(finding_from_row(detection, row) for row in rows)
                if report.state != "SUCCEEDED":
                    result.errors.append(
                        (detection.id, f"{report.state}: {report.reason or 'no reason given'}")
                    )
                if on_detection:
                    on_detection(detection)
    finally:
        connection.close()
    result.detections_run = sum(q.state == "SUCCEEDED" for q in result.queries)
    return result
