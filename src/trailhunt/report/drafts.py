"""Detection drafts: for the detections behind the top findings, the Athena SQL to schedule and how to tune it.

The SQL is rendered for Athena with the hunt's account context and window, exactly what Athena
would receive; the tuning notes come from the detection's header.
"""

from __future__ import annotations

from dataclasses import dataclass

from trailhunt.catalog.detection import Detection, ParameterValue
from trailhunt.problems import ProblemError
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Window

MAX_DRAFTS = 5


@dataclass(frozen=True)
class Draft:
    """One detection ready to schedule: its SQL, tuning notes and the findings it made here."""

    detection: Detection
    sql: str
    tuning: str
    parameters: dict[str, ParameterValue]
    findings: int


def drafts(
    renderer: Renderer,
    ranked: list[Detection],
    counts: dict[str, int],
    context: AccountContext,
    window: Window | None,
    limit: int = MAX_DRAFTS,
) -> list[Draft]:
    """Drafts for the first ``limit`` distinct detections of ``ranked`` (best finding first)."""
    options = RenderOptions(context=context, target="athena")
    if window is not None:
        options = RenderOptions(context=context, window=window, target="athena")
    unique: dict[str, Detection] = {}
    for detection in ranked:
        unique.setdefault(detection.id, detection)
    out: list[Draft] = []
    for detection in list(unique.values())[:limit]:
        try:
            sql = renderer.render(detection, options)
        except ProblemError as error:
            sql = f"-- could not render: {error.problems[0]}\n"
        except OSError as error:  # the file went away since the catalogue was loaded
            sql = f"-- could not read {detection.path}: {error.strerror}\n"
        out.append(
            Draft(
                detection,
                sql,
                detection.meta.tuning.strip(),
                renderer.parameters(detection, options),
                counts.get(detection.id, 0),
            )
        )
    return out
