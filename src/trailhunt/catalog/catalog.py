"""The detection catalogue: every ``detections/<tactic>/<id>.sql`` file of a project."""

from __future__ import annotations

from dataclasses import dataclass, field

from trailhunt.catalog.detection import Detection, load_detection
from trailhunt.catalog.project import Project
from trailhunt.problems import Problem, ProblemError


@dataclass
class Catalog:
    """Loaded detections, and the problems of files that could not be loaded."""

    project: Project
    detections: list[Detection] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def get(self, detection_id: str) -> Detection:
        """The detection with ``detection_id``; KeyError naming close matches otherwise."""
        for detection in self.detections:
            if detection.id == detection_id:
                return detection
        raise KeyError(f"no detection {detection_id!r} in {self.project.detections}")

    def select(self, ids: list[str] | None) -> list[Detection]:
        """The named detections (all when ``ids`` is empty or None)."""
        return [self.get(i) for i in ids] if ids else list(self.detections)


def load_catalog(project: Project) -> Catalog:
    """Load every detection file; a broken file becomes problems, the rest still load."""
    catalog = Catalog(project)
    for path in sorted(project.detections.glob("*/*.sql")):
        try:
            catalog.detections.append(load_detection(path))
        except ProblemError as error:
            catalog.problems.extend(error.problems)
    return catalog
