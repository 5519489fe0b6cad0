"""Benchmark: translating the catalogue to DuckDB for successive hunt windows, and print one table.

Two ways, each from an empty translation cache, over the same three windows:
- per window: the concrete SQL of each window translated (``to_duckdb(render(window))``), as
  hunts did before issue 17: every new window misses the cache;
- window-independent: ``validate.fixtures.translate_detection`` (sentinel translation reused).
Figures are wall-clock seconds for all detections of the project, rendering included.
Usage: python scripts/bench_translate.py [--project DIR]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from trailhunt.catalog.catalog import load_catalog
from trailhunt.catalog.project import CHECKOUT_ROOT, Project
from trailhunt.fidelity.transpile import adapted, to_duckdb
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Window
from trailhunt.validate.fixtures import translate_detection

START = datetime(2024, 3, 11, tzinfo=UTC)
WINDOWS = [Window(START + timedelta(hours=h), START + timedelta(days=3)) for h in (0, 24, 30)]


def timed(step: Callable[[], object]) -> float:
    """Seconds ``step`` takes."""
    began = time.perf_counter()
    step()
    return time.perf_counter() - began


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=CHECKOUT_ROOT)
    args = parser.parse_args()
    project = Project(args.project)
    renderer, detections = Renderer(project), load_catalog(project).select(None)

    def per_window(window: Window) -> None:
        options = RenderOptions(window=window, target="duckdb")
        for detection in detections:
            to_duckdb(renderer.render(detection, options), detection.id)

    def window_independent(window: Window) -> None:
        options = RenderOptions(window=window, target="duckdb")
        for detection in detections:
            translate_detection(renderer, detection, options)

    rows = []
    for name, translate in (("per window", per_window), ("window-independent", window_independent)):
        with tempfile.TemporaryDirectory() as cache:
            os.environ["TRAILHUNT_CACHE"] = cache
            adapted.cache_clear()  # nothing kept in memory from the other way
            rows.append((name, [timed(partial(translate, w)) for w in WINDOWS]))
    print(f"{len(detections)} detections; seconds per hunt window, empty cache at window 1")
    print(f"{'translation':<20}" + "".join(f"{'window ' + str(i + 1):>10}" for i in range(len(WINDOWS))))
    for name, seconds in rows:
        print(f"{name:<20}" + "".join(f"{s:>10.2f}" for s in seconds))


if __name__ == "__main__":
    main()
