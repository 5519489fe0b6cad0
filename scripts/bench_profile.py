"""Phase profile of one `trailhunt hunt FOLDER --format json`, run in this process.

Times each phase by wrapping the functions that do it (nothing in trailhunt knows it is
measured) and prints one JSON object: seconds per phase, the peak RSS when each phase ended, and seconds per
query; the hunt's own JSON report goes to ``--out``.
Phases: start-up (interpreter and imports), catalogue, discovery, hashing, cache lookup (manifests,
links and segment digests), parse/load (fresh files parsed straight into a segment, the parquet
write included), cache write (segments written from a table, merges), accounting, dedupe (the view
over the segments and its repeated eventIDs, or the table's), data window, baseline, translation
(render + translate), SELECT check, detection queries, report, total.
``scripts/bench.py`` runs it in a fresh process per run and takes medians.
Usage: python scripts/bench_profile.py [--out REPORT.json] FOLDER [FOLDER ...]
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from trailhunt import hunt as hunt_module  # noqa: E402
from trailhunt.cli import commands  # noqa: E402
from trailhunt.cli import hunt as hunt_command  # noqa: E402
from trailhunt.engines import duckdb as engine  # noqa: E402
from trailhunt.ingest import cache, load, segments  # noqa: E402
from trailhunt.workspace import Workspace  # noqa: E402

IMPORTED = time.perf_counter()
SPENT: defaultdict[str, float] = defaultdict(float)
PEAK_MB: dict[str, float] = {}  # the process's peak RSS when each phase last ended
QUERIES: dict[str, float] = {}
_running = threading.local()  # the label of the statement each thread runs (detections run two at a time)
# Phases inside run_hunt: with two detections in flight their times are summed over both threads,
# so they are shown, but the hunt's own wall time is "detections and baseline (wall)".
IN_FLIGHT = ("translation", "SELECT check", "baseline query", "detection queries")


def timed(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, its time added to ``phase``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[phase] += time.perf_counter() - began
            PEAK_MB[phase] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    return wrapper


def patch(owner: Any, name: str, phase: str) -> None:
    """Replace ``owner.name`` by its timed self."""
    setattr(owner, name, timed(phase, getattr(owner, name)))


def labelled_run(run: Callable[..., Any]) -> Callable[..., Any]:
    """``DuckDBEngine.run`` remembering which statement is running (for per-query times)."""

    def wrapper(self: Any, sql: str, label: str) -> Any:
        _running.label = label
        try:
            return run(self, sql, label)
        finally:
            _running.label = "?"

    return wrapper


def execute(original: Callable[..., Any]) -> Callable[..., Any]:
    """``_execute`` timed per statement label."""

    def wrapper(*args: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args)
        finally:
            label = getattr(_running, "label", "?")
            QUERIES[label] = QUERIES.get(label, 0.0) + time.perf_counter() - began

    return wrapper


def main() -> None:
    """Wrap the phases, run the hunt with its output discarded, print the profile."""
    for name, phase in [
        ("discover", "discovery"),
        ("hash_all", "hashing"),
        ("existing", "cache lookup"),
        ("usable", "cache lookup"),
        ("parse_segment", "parse/load"),
        ("load_sources", "parse/load"),
        ("write_segment", "cache write"),
        ("compact", "cache write"),
        ("account_files", "accounting"),
        ("finish", "dedupe"),
        ("segment_view", "dedupe"),
    ]:
        patch(cache, name, phase)
    patch(load, "_insert", "of which: DuckDB insert")
    patch(segments, "_copy_sorted", "of which: COPY to parquet")
    Workspace.open = classmethod(timed("catalogue", Workspace.open.__func__))  # type: ignore[method-assign]
    patch(hunt_command, "hunt_report", "report")
    patch(hunt_module, "run_hunt", "detections and baseline (wall)")
    patch(engine.DuckDBEngine, "data_window", "data window")
    patch(engine.DuckDBEngine, "statement", "translation")
    patch(engine, "checked", "SELECT check")
    engine.DuckDBEngine.run = labelled_run(engine.DuckDBEngine.run)  # type: ignore[method-assign]
    engine._execute = execute(engine._execute)
    args = sys.argv[1:]
    out = Path(args.pop(args.index("--out") + 1)) if "--out" in args else None
    args = [a for a in args if a != "--out"]
    report = io.StringIO()
    with contextlib.redirect_stdout(report), contextlib.redirect_stderr(io.StringIO()):
        code = commands.main(["hunt", "--format", "json", *args])
    ended = time.perf_counter()
    if out is not None:
        out.write_text(report.getvalue())
    if code not in (0, 1):
        raise SystemExit(f"hunt failed with exit code {code}")
    phases = {"start-up": IMPORTED - STARTED, **SPENT}
    phases["baseline query"] = QUERIES.pop("baseline", 0.0)
    phases["detection queries"] = sum(QUERIES.values())
    phases["total"] = ended - STARTED
    skipped = ("total", *IN_FLIGHT)
    measured = sum(v for k, v in phases.items() if k not in skipped and not k.startswith("of which"))
    phases["other"] = phases["total"] - measured
    print(json.dumps({"phases": phases, "peak_mb": PEAK_MB, "queries": QUERIES}))


if __name__ == "__main__":
    main()
