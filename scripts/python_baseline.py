"""Plain-Python baseline for the benchmark: a json loop checking the detections' simplest predicates.

For every detection it takes the ``eventsource = ...`` and ``eventname IN (...)`` filters of the
rendered SQL and counts the records matching any of them: the least a hand-written hunt does.
Usage: python scripts/python_baseline.py LOG_DIR
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import sqlglot
from sqlglot import exp

from trailhunt.catalog.catalog import load_catalog
from trailhunt.catalog.project import Project
from trailhunt.render.renderer import Renderer


def _literals(node: exp.Expression) -> set[str]:
    return {lit.this for lit in node.find_all(exp.Literal) if lit.is_string}


def simple_predicates() -> list[tuple[set[str], set[str]]]:
    """(eventsources, eventnames) pairs, one per detection, from the rendered SQL."""
    project = Project.locate()
    renderer = Renderer(project)
    pairs = []
    for detection in load_catalog(project).detections:
        query = sqlglot.parse_one(renderer.render(detection), read="athena")
        sources: set[str] = set()
        names: set[str] = set()
        for predicate in query.find_all(exp.EQ, exp.In):
            column = predicate.this
            if isinstance(column, exp.Column) and column.name.lower() == "eventsource":
                sources |= _literals(predicate)
            if isinstance(column, exp.Column) and column.name.lower() == "eventname":
                names |= _literals(predicate)
        pairs.append((sources, names))
    return pairs


def main(folder: Path) -> None:
    """Count matching records over every ``.json.gz`` file under ``folder``."""
    pairs = simple_predicates()
    events = matches = 0
    for path in sorted(folder.rglob("*.json.gz")):
        with gzip.open(path, "rb") as stream:
            records = json.load(stream)["Records"]
        for record in records:
            events += 1
            source, name = record.get("eventSource"), record.get("eventName")
            if any((not s or source in s) and (not n or name in n) for s, n in pairs):
                matches += 1
    print(json.dumps({"events": events, "matches": matches}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
