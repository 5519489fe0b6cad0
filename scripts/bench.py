"""Benchmark: hunt 100k / 300k / 1M synthetic CloudTrail events and print one table.

Every figure is one whole process, timed with its peak RSS (os.wait4), all measured in one run:
- parse floor: DuckDB merely parsing the same files with an explicit schema, two ways: the
  ``json_transform`` path the loader uses, and ``read_json`` with ``columns`` (10x slower here);
- ingest + hunt: `trailhunt hunt --no-cache` (load JSON, run every detection);
- first / cached hunt: with the parquet cache cold (fills it) and warm;
- python: a plain json loop checking the detections' simplest predicates.
Usage: python scripts/bench.py [--sizes 100000,300000,1000000] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TRAILHUNT = [PYTHON, "-m", "trailhunt"]


@dataclass
class Run:
    """One measured process."""

    seconds: float
    peak_rss_mb: float
    stdout: str


def measure(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to completion; wall time and the child's peak RSS."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark step failed ({status}): {' '.join(command)}")
    return Run(seconds, usage.ru_maxrss / 1024, text)


FLOOR = """
import sys, duckdb
from trailhunt.engines.duckdb_schema import transform_structure
con = duckdb.connect()
con.execute('SET enable_progress_bar = false')
files = sys.argv[1] + '/**/*.json.gz'
if sys.argv[2] == 'read_json':
    from trailhunt.ingest.load import sql_string
    import json
    record = json.loads(transform_structure())['Records'][0]
    def typed(v):
        if isinstance(v, dict):
            return 'STRUCT(' + ', '.join('"%s" %s' % (k, typed(x)) for k, x in v.items()) + ')'
        if isinstance(v, list):
            return typed(v[0]) + '[]'
        return v
    cols = {'Records': typed(record) + '[]'}
    sql = "SELECT sum(len(Records)) FROM read_json(?, columns = " + repr(cols) + ", format = 'auto')"
else:
    sql = "SELECT sum(len(json_transform(json, " + repr(transform_structure()) + ").Records)) FROM read_json_objects(?, format = 'auto')"
print(con.execute(sql, [files]).fetchone()[0])
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


def sizes_of(folder: Path) -> tuple[int, float, float]:
    """Files, compressed MB and uncompressed MB of the dataset."""
    import gzip

    files = list(folder.rglob("*.json.gz"))
    compressed = sum(f.stat().st_size for f in files)
    raw = 0
    for f in files:
        with gzip.open(f, "rb") as stream:
            while block := stream.read(1 << 20):
                raw += len(block)
    return len(files), compressed / 1e6, raw / 1e6


def attacker_found(findings_jsonl: str, attacker: str) -> bool:
    """Whether any finding names the planted attacker."""
    return any(attacker in line for line in findings_jsonl.splitlines())


def bench_one(folder: Path, cache_dir: Path) -> dict[str, float | int | bool]:
    """Every measurement for one dataset."""
    env = {**os.environ, "TRAILHUNT_CACHE": str(cache_dir)}
    shutil.rmtree(cache_dir, ignore_errors=True)
    files, mb_gz, mb_raw = sizes_of(folder)
    floor = measure([PYTHON, "-c", FLOOR, str(folder), "json_transform"], env)
    read_json = measure([PYTHON, "-c", FLOOR, str(folder), "read_json"], env)
    hunt_args = [*TRAILHUNT, "hunt", str(folder), "--format", "json"]
    nocache = measure([*hunt_args, "--no-cache"], env)
    first = measure(hunt_args, env)
    cached = measure(hunt_args, env)
    python = measure([PYTHON, str(HERE / "python_baseline.py"), str(folder)], env)
    return {
        "events": int(floor.stdout.strip() or 0),
        "files": files,
        "mb_gz": mb_gz,
        "mb_raw": mb_raw,
        "floor_s": floor.seconds,
        "read_json_s": read_json.seconds,
        "hunt_s": nocache.seconds,
        "hunt_rss": nocache.peak_rss_mb,
        "first_s": first.seconds,
        "cached_s": cached.seconds,
        "cached_rss": cached.peak_rss_mb,
        "python_s": python.seconds,
        "findings": len(nocache.stdout.splitlines()),
        "attacker_found": attacker_found(nocache.stdout, "185.220.101.47"),
    }


def table(rows: list[dict[str, float | int | bool]]) -> str:
    """The results as a fixed-width table with the target ratios."""
    header = (
        f"{'events':>9} {'files':>6} {'MB gz':>7} {'MB raw':>8} {'floor s':>8} {'rj s':>6} {'hunt s':>7} "
        f"{'hunt/floor':>10} {'python s':>9} {'py/hunt':>8} {'1st s':>6} {'cached s':>9} "
        f"{'cached/1st':>10} {'peak MB':>8} {'ev/s':>9} {'findings':>8} {'attacker':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['events']:>9} {r['files']:>6} {r['mb_gz']:>7.1f} {r['mb_raw']:>8.1f} {r['floor_s']:>8.2f} "
            f"{r['read_json_s']:>6.1f} "
            f"{r['hunt_s']:>7.2f} {r['hunt_s'] / r['floor_s']:>10.2f} {r['python_s']:>9.2f} "
            f"{r['python_s'] / r['hunt_s']:>8.1f} {r['first_s']:>6.2f} {r['cached_s']:>9.2f} "
            f"{r['cached_s'] / r['first_s']:>10.2f} {r['hunt_rss']:>8.0f} {r['events'] / r['hunt_s']:>9.0f} "
            f"{r['findings']:>8} {'yes' if r['attacker_found'] else 'NO':>8}"
        )
    lines.append(
        "floor = json_transform parse, rj = read_json parse; hunt = ingest + every detection + report, "
        "no cache; targets: hunt/floor <= 1.5, py/hunt >= 10, cached/1st <= 0.10, peak MB <= MB raw"
    )
    return "\n".join(lines)


def main() -> None:
    """Parse options, run every size, print the table (and JSON with --json)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--data", type=Path, default=Path.home() / ".cache" / "trailhunt" / "bench")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = dataset(args.data, size)
        rows.append(bench_one(folder, args.data / "cache"))
        print(f"measured {size} events", file=sys.stderr)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
