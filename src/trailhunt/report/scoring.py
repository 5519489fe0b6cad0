"""The finding score: severity x confidence, raised by corroboration, lowered for expected noise.

    score = severity_points x confidence_points x corroboration x noise

    severity_points   low 1, medium 2, high 3, critical 4
    confidence_points low 1, medium 2, high 3
    corroboration     1 + 0.5 per other tactic seen in the finding's incident candidate (at most 3): 1 .. 2.5
    noise             0.25 when the principal is automation or an AWS service per the context, else 1

Automation noise is ranked down, never dropped. ``docs/report.md`` explains the choice of numbers.
"""

from __future__ import annotations

from trailhunt.baseline import EXPECTED_NOISE
from trailhunt.catalog.detection import Detection

SEVERITY_POINTS = {"low": 1, "medium": 2, "high": 3, "critical": 4}
CONFIDENCE_POINTS = {"low": 1, "medium": 2, "high": 3}
CORROBORATION_STEP = 0.5
CORROBORATION_CAP = 3
NOISE_FACTOR = 0.25
SEVERITY_ORDER = ("low", "medium", "high", "critical")


def base_points(detection: Detection) -> int:
    """Severity points times confidence points (1 .. 12)."""
    return SEVERITY_POINTS[detection.meta.severity] * CONFIDENCE_POINTS[detection.meta.confidence]


def corroboration_factor(other_tactics: int) -> float:
    """1 for a lone signal, up to 2.5 with three or more other tactics in the same candidate."""
    return 1 + CORROBORATION_STEP * min(max(other_tactics, 0), CORROBORATION_CAP)


def noise_factor(principal_class: str) -> float:
    """0.25 for automation and AWS services (expected noise), 1 otherwise."""
    return NOISE_FACTOR if principal_class in EXPECTED_NOISE else 1.0


def score(detection: Detection, principal_class: str, other_tactics: int) -> float:
    """The documented score of one finding, rounded to two decimals."""
    value = base_points(detection) * corroboration_factor(other_tactics) * noise_factor(principal_class)
    return round(value, 2)


def at_least(severity: str, threshold: str) -> bool:
    """True when ``severity`` is ``threshold`` or worse (for ``--fail-on``)."""
    return SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(threshold)
