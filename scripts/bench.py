"""Benchmark: hunt 100k / 300k / 1M synthetic CloudTrail events and print one table.

Every figure is a whole process, timed with its peak RSS (os.wait4); each is the median of --runs
runs, all measured in one run of this script:
- parse floor: DuckDB merely parsing the files with the schema (``read_json_objects`` +
  ``json_transform``, the loader's own method);
- cold hunt: `trailhunt hunt` with an empty parquet cache (it gets filled) and a warm translation
  cache (translations are paid once per catalogue version);
- cached hunt: the same files again, every file from the parquet cache;
- +1% hunt: the cached set plus 1% new files (new content, new eventIDs): only they are parsed;
- peak MB: the cold hunt's peak RSS under the default 1 GB DuckDB memory limit.
Each hunt runs as ``scripts/bench_profile.py``: the CLI's own ``main`` in a fresh process, with the
phases timed from inside, so the same runs give the whole-process figures and the per-phase profile
(medians per phase, printed after the table, with the slowest detections).
Usage: python scripts/bench.py [--sizes 100000,300000,1000000] [--runs 3] [--data DIR] [--python]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TRAILHUNT = [PYTHON, "-m", "trailhunt"]
ATTACKER_IP = "185.220.101.47"


@dataclass
class Run:
    """One measured process."""

    seconds: float
    peak_rss_mb: float
    stdout: str
    report: str = ""  # the hunt's JSON report (profiled hunts)


def measure(command: list[str], env: dict[str, str]) -> Run:
    """Run ``command`` to completion; wall time and the child's peak RSS."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode()
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: findings at or above --fail-on
        raise SystemExit(f"benchmark step failed ({status}): {' '.join(command)}")
    return Run(seconds, usage.ru_maxrss / 1024, text)


def median_of(runs: int, step: Callable[[], Run], before: Callable[[], None] = lambda: None) -> list[Run]:
    """``runs`` runs (``before`` resets state before each), the one with the median time first."""
    results = []
    for _ in range(runs):
        before()
        results.append(step())
    middle = statistics.median_low(r.seconds for r in results)
    return sorted(results, key=lambda r: r.seconds != middle)


def hunt_run(folders: list[Path], env: dict[str, str], work: Path) -> Run:
    """One profiled hunt (``bench_profile.py``) over ``folders``: its figures, profile and report."""
    report = work / "report.json"
    report.unlink(missing_ok=True)
    command = [PYTHON, str(HERE / "bench_profile.py"), "--out", str(report), *map(str, folders)]
    run = measure(command, env)
    if not report.is_file():  # exit 1 is also a crash's code: only a report proves the hunt ran
        raise SystemExit(f"benchmark step wrote no report: {' '.join(command)}")
    run.report = report.read_text()
    return run


def phase_medians(runs: list[Run]) -> dict[str, dict[str, float]]:
    """Median seconds of every phase and every query, and median peak MB per phase, over ``runs``."""
    profiles = [json.loads(r.stdout) for r in runs]
    medians: dict[str, dict[str, float]] = {}
    for part in ("phases", "peak_mb", "queries"):
        names = dict.fromkeys(n for p in profiles for n in p[part])
        medians[part] = {n: statistics.median(p[part].get(n, 0.0) for p in profiles) for n in names}
    return medians


FLOOR = """
import sys, duckdb
from trailhunt.engines.duckdb_schema import transform_structure
con = duckdb.connect()
con.execute('SET enable_progress_bar = false')
sql = ("SELECT sum(len(json_transform(json, " + repr(transform_structure()) + ").Records)) "
       "FROM read_json_objects(?, format = 'auto')")
print(con.execute(sql, [sys.argv[1] + '/**/*.json.gz']).fetchone()[0])
"""


def dataset(root: Path, events: int) -> Path:
    """Generate (or reuse) the benchmark dataset of ``events`` events."""
    folder = root / f"events-{events}"
    if not (folder / "done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [PYTHON, "-m", "tools.synth", "bench", str(folder), "--events", str(events)],
            check=True,
            cwd=HERE.parent,  # tools/ is importable from the checkout root
        )
        (folder / "done").write_text("ok")
    return folder


def new_files(folder: Path, target: Path) -> int:
    """Write 1% of the dataset's files again as new files (eventIDs changed); their count."""
    files = sorted(folder.rglob("*.json.gz"))
    chosen = files[:: max(1, len(files) // max(1, len(files) // 100))][: max(1, len(files) // 100)]
    target.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(chosen):
        text = gzip.decompress(path.read_bytes()).replace(b'"eventID": "', b'"eventID": "new-')
        (target / f"new-{n}.json.gz").write_bytes(gzip.compress(text))
    return len(chosen)


def findings_of(jsonl: str) -> list[str]:
    """The finding lines of a JSON-lines report (the summary object excluded)."""
    return [line for line in jsonl.splitlines() if '"trailhunt.finding/' in line]


Row = dict[str, Any]


def bench_one(folder: Path, work: Path, runs: int, with_python: bool) -> Row:
    """Every measurement for one dataset."""
    cache, snapshot, extra = work / "cache", work / "cache-snapshot", work / "plus-one-percent"
    env = {**os.environ, "TRAILHUNT_CACHE": str(cache)}
    hunt = [*TRAILHUNT, "hunt", "--format", "json"]

    def clear_parquet() -> None:
        shutil.rmtree(cache / "parquet", ignore_errors=True)

    def restore_snapshot() -> None:
        clear_parquet()
        shutil.copytree(snapshot, cache / "parquet")

    shutil.rmtree(work, ignore_errors=True)
    added = new_files(folder, extra)
    measure([*hunt, str(folder)], env)  # warm the translation cache (paid once per catalogue)
    floor = median_of(runs, lambda: measure([PYTHON, "-c", FLOOR, str(folder)], env))[0]
    colds = median_of(runs, lambda: hunt_run([folder], env, work), clear_parquet)
    cacheds = median_of(runs, lambda: hunt_run([folder], env, work))
    shutil.copytree(cache / "parquet", snapshot)
    plus = median_of(runs, lambda: hunt_run([folder, extra], env, work), restore_snapshot)[0]
    cold, cached = colds[0], cacheds[0]
    row: Row = {
        "events": int(floor.stdout.strip() or 0),
        "files": len(list(folder.rglob("*.json.gz"))),
        "added_files": added,
        "floor_s": floor.seconds,
        "cold_s": cold.seconds,
        "cold_rss": statistics.median(r.peak_rss_mb for r in colds),
        "cached_s": cached.seconds,
        "cached_rss": statistics.median(r.peak_rss_mb for r in cacheds),
        "plus_s": plus.seconds,
        "findings": len(findings_of(cold.report)),
        "attacker_found": ATTACKER_IP in cold.report,
        "same_findings_cached": all(
            findings_of(r.report) == findings_of(cold.report) for r in colds + cacheds
        ),
        "profile_cold": phase_medians(colds),
        "profile_cached": phase_medians(cacheds),
    }
    if with_python:
        row["python_s"] = measure([PYTHON, str(HERE / "python_baseline.py"), str(folder)], env).seconds
    return row


def table(rows: list[Row]) -> str:
    """The results as a fixed-width table with the target ratios."""
    header = (
        f"{'events':>9} {'files':>6} {'floor s':>8} {'cold s':>7} {'cold/floor':>10} {'cached s':>9} "
        f"{'cached/cold':>11} {'+1% s':>7} {'+1%/cached':>10} {'peak MB':>8} {'cached MB':>9} "
        f"{'findings':>8} {'attacker':>8} {'same rows':>9}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['events']:>9} {r['files']:>6} {r['floor_s']:>8.2f} {r['cold_s']:>7.2f} "
            f"{r['cold_s'] / r['floor_s']:>10.2f} {r['cached_s']:>9.2f} {r['cached_s'] / r['cold_s']:>11.2f} "
            f"{r['plus_s']:>7.2f} {r['plus_s'] / r['cached_s']:>10.2f} {r['cold_rss']:>8.0f} "
            f"{r['cached_rss']:>9.0f} {r['findings']:>8} {'yes' if r['attacker_found'] else 'NO':>8} "
            f"{'yes' if r['same_findings_cached'] else 'NO':>9}"
        )
        if "python_s" in r:
            lines.append(f"{'':>9} python baseline: {r['python_s']:.2f} s")
    lines.append(
        "medians; cold = empty parquet cache, warm translation cache; +1% = cached set plus 1% new files; "
        "targets: cold/floor <= 1.5, cached/cold <= 0.10, +1%/cached <= 1.5, peak MB <= 1024 (300 at 100k)"
    )
    return "\n".join(lines)


def profile_table(rows: list[Row], slowest: int = 5) -> str:
    """Median seconds per phase (and peak MB when the phase ended) of the cold and cached hunts."""
    columns = [(r, kind) for r in rows for kind in ("cold", "cached")]
    names = list(dict.fromkeys(n for r, k in columns for n in r[f"profile_{k}"]["phases"]))
    labels = [f"{r['events']} {kind}" for r, kind in columns]
    head = f"{'phase (median s / peak MB at its end)':<38}" + "".join(f"{label:>20}" for label in labels)
    lines = [head, "-" * len(head)]
    for name in names:
        cells = []
        for r, k in columns:
            profile = r[f"profile_{k}"]
            seconds, peak = profile["phases"].get(name), profile["peak_mb"].get(name)
            cell = "" if seconds is None else f"{seconds:.2f}" + (f" / {peak:.0f}" if peak else "")
            cells.append(f"{cell:>20}")
        lines.append(f"{name:<38}" + "".join(cells))
    for r in rows:
        queries = sorted(r["profile_cold"]["queries"].items(), key=lambda q: -q[1])[:slowest]
        listed = ", ".join(f"{name} {seconds:.2f}" for name, seconds in queries)
        lines.append(f"slowest detections, {r['events']} cold (median s): {listed}")
    return "\n".join(lines)


def main() -> None:
    """Parse options, run every size, print the table (and JSON with --json)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path.home() / ".cache" / "trailhunt" / "bench")
    parser.add_argument("--python", action="store_true", help="also time the plain-Python baseline once")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = dataset(args.data, size)
        rows.append(bench_one(folder, args.data / f"work-{size}", args.runs, args.python))
        print(f"measured {size} events", file=sys.stderr)
    print(table(rows))
    print()
    print(profile_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
