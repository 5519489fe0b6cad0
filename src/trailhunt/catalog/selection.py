"""Choosing detections on the command line: by file or folder path, or by id."""

from __future__ import annotations

from pathlib import Path

from trailhunt.catalog.catalog import Catalog
from trailhunt.catalog.detection import Detection
from trailhunt.problems import Problem, ProblemError


def select(catalog: Catalog, targets: list[str] | None) -> list[Detection]:
    """The detections ``targets`` name (all when there are none), in catalogue order.

    A target that exists on disk selects the detections in that file or under that folder; any
    other target is a detection id. A target that selects nothing is a user error that says so.
    """
    if not targets:
        return list(catalog.detections)
    chosen: dict[str, Detection] = {}
    problems = []
    for target in targets:
        path = Path(target)
        if path.exists():
            root = path.resolve()
            found = [
                d for d in catalog.detections if d.path.resolve() == root or root in d.path.resolve().parents
            ]
            if not found and not _has_problems_under(catalog, root):
                problems.append(Problem("CLI020", f"{target}: no detection files there"))
        else:
            found = [d for d in catalog.detections if d.id == target]
            if not found:
                hint = "a detection id or a path to a .sql file or folder"
                problems.append(Problem("CLI021", f"{target!r} is not {hint} (see `trailhunt list`)"))
        for detection in found:
            chosen.setdefault(detection.id, detection)
    if problems:
        raise ProblemError(problems)
    return [d for d in catalog.detections if d.id in chosen]


def _has_problems_under(catalog: Catalog, root: Path) -> bool:
    return any(p.path is not None and (p.path.resolve() == root or root in p.path.resolve().parents)
               for p in catalog.problems)  # fmt: skip


def problems_under(catalog: Catalog, targets: list[str] | None) -> list[Problem]:
    """The catalogue's load problems (files that did not load) within ``targets`` (all without)."""
    if not targets:
        return list(catalog.problems)
    roots = [Path(t).resolve() for t in targets if Path(t).exists()]
    return [
        p for p in catalog.problems
        if p.path is not None and any(p.path.resolve() == r or r in p.path.resolve().parents for r in roots)
    ]  # fmt: skip
