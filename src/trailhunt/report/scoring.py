"""The finding score: severity x confidence, raised by corroboration, lowered for expected noise.

    score = severity_points x confidence_points x corroboration x noise

    severity_points   low 1, medium 2, high 3, critical 4
    confidence_points low 1, medium 2, high 3
    corroboration     1 + 0.5 per other tactic seen in the finding's incident candidate (at most 3): 1 .. 2.5
    noise             0.25 when the principal is automation or an AWS service per the context, or a known
                      human doing something expected (a console sign-in with MFA), else 1

    candidate score = (STORY_WEIGHT x achievement points + sum of each detection's best finding score)
                      x 0.25 when the whole candidate is expected noise or an expected human

Automation noise is ranked down, never dropped. ``docs/report.md`` explains the choice of numbers.
"""

from __future__ import annotations

from trailhunt.baseline import EXPECTED_NOISE

SEVERITY_POINTS = {"low": 1, "medium": 2, "high": 3, "critical": 4}
CONFIDENCE_POINTS = {"low": 1, "medium": 2, "high": 3}
CORROBORATION_STEP = 0.5
CORROBORATION_CAP = 3
NOISE_FACTOR = 0.25
STORY_WEIGHT = 3
SEVERITY_ORDER = ("low", "medium", "high", "critical")


def corroboration_factor(other_tactics: int) -> float:
    """1 for a lone signal, up to 2.5 with three or more other tactics in the same candidate."""
    return 1 + CORROBORATION_STEP * min(max(other_tactics, 0), CORROBORATION_CAP)


def noise_factor(principal_class: str) -> float:
    """0.25 for automation and AWS services (expected noise), 1 otherwise."""
    return NOISE_FACTOR if principal_class in EXPECTED_NOISE else 1.0


def score(
    confidence: str, severity: str, principal_class: str, other_tactics: int, expected: str | None = None
) -> float:
    """The documented score of one finding (its own confidence: a failed attempt is one lower)."""
    points = SEVERITY_POINTS[severity] * CONFIDENCE_POINTS[confidence]
    noise = NOISE_FACTOR if expected else noise_factor(principal_class)
    return round(points * corroboration_factor(other_tactics) * noise, 2)


def candidate_score(story_points: float, evidence: float, held_down: bool) -> float:
    """What the actor achieved (weighted first), plus the evidence, lowered for expected activity."""
    value = STORY_WEIGHT * story_points + evidence
    return round(value * (NOISE_FACTOR if held_down else 1.0), 2)


def at_least(severity: str, threshold: str) -> bool:
    """True when ``severity`` is ``threshold`` or worse (for ``--fail-on``)."""
    return SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(threshold)
