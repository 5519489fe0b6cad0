"""``hunt --engine trino``: run the catalogue on a Trino cluster that holds CloudTrail in S3.

The table must have the Athena CloudTrail schema (``trailhunt ddl`` works for the Hive
connector too). Every detection's rendered SQL is sent as is; a failing detection is reported and
the others still run.
"""

from __future__ import annotations

from trailhunt.catalog.detection import Detection
from trailhunt.engines import trino as trino_engine
from trailhunt.findings import finding_from_row
from trailhunt.hunt import HuntResult
from trailhunt.ingest.load import LoadReport
from trailhunt.problems import ProblemError
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Window


def run_on_trino(
    renderer: Renderer,
    detections: list[Detection],
    context: AccountContext,
    window: Window,
    connection: object,
    table: str,
) -> HuntResult:
    """Findings of ``detections`` over ``table`` on the cluster behind ``connection``."""
    from trino.exceptions import Error as TrinoError

    result = HuntResult(LoadReport(), window, context)
    options = RenderOptions(context=context, window=window, target="trino", table=table)
    for detection in detections:
        try:
            rows = trino_engine.query(connection, renderer.render(detection, options))  # type: ignore[arg-type]
        except (ProblemError, TrinoError, OSError) as error:  # OSError: cluster unreachable
            result.errors.append((detection.id, str(error).strip().splitlines()[0]))
            continue
        result.findings.extend(finding_from_row(detection, row) for row in rows)
        result.detections_run += 1
    return result
