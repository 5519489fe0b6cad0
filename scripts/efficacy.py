"""Detection efficacy, re-runnable: what the catalogue raises on real attacks and on benign activity.

    PYTHONPATH=src python scripts/efficacy.py [--bench-events 30000] [--skip-recordings]

1. Every Stratus Red Team recording (fixtures/recordings/stratus-red-team) is hunted on its own with
   an empty context, the way a first hunt on an unknown account runs; findings are counted by
   confidence (attempts included, at their lowered confidence).
2. Benign activity: the demo dataset (fixtures/demo) and a synthetic benchmark set written by
   `python -m tools.synth bench`, each with the planted intrusion removed (every record from the
   attacker's address, with its new key, or naming its new user), hunted with the demo account's
   context. Every finding there is a false positive: high-confidence ones are counted, and leads
   (low confidence) per 10,000 events.

Prints Markdown tables; docs/efficacy.md records a run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tools.synth import generate_bench
from tools.synth.story import ATTACKER_IP, NEW_KEY, NEW_USER

from trailhunt.catalog.catalog import load_catalog
from trailhunt.catalog.project import CHECKOUT_ROOT, Project
from trailhunt.hunt import hunt
from trailhunt.render.context import AccountContext, load_context
from trailhunt.render.renderer import Renderer

PROJECT = Project(CHECKOUT_ROOT)
RECORDINGS = PROJECT.fixtures / "recordings" / "stratus-red-team"
LEVELS = ("high", "medium", "low")


def _records(path: Path) -> list[dict]:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    data = json.loads(raw)
    return data["Records"] if isinstance(data, dict) else data


def _is_story(record: dict) -> bool:
    """A record of the planted intrusion (attacker address, its new key, or its new user)."""
    identity = record.get("userIdentity") or {}
    text = json.dumps(record.get("requestParameters") or {})
    return (
        record.get("sourceIPAddress") == ATTACKER_IP
        or identity.get("accessKeyId") == NEW_KEY
        or identity.get("userName") == NEW_USER
        or f'"{NEW_USER}"' in text
    )


def benign_copy(source: Path, out: Path) -> tuple[int, int]:
    """Copy every log file under ``source`` to ``out`` without the intrusion; (kept, removed)."""
    kept = removed = 0
    for index, path in enumerate(sorted(p for p in source.rglob("*") if p.is_file())):
        records = _records(path)
        benign = [r for r in records if not _is_story(r)]
        kept, removed = kept + len(benign), removed + len(records) - len(benign)
        (out / f"{index:05d}.json").write_text(json.dumps({"Records": benign}))
    return kept, removed


def _tally(findings: list) -> Counter:
    return Counter(f.confidence for f in findings)


def recordings_table(renderer: Renderer, detections: list) -> list[str]:
    """One row per recording: findings by confidence and the detections that fired."""
    lines = [
        "| recording | events | high | medium | low | of which attempts | detections |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    any_finding = medium_or_high = 0
    for path in sorted(RECORDINGS.glob("*.json")):
        result = hunt([path], renderer, detections, AccountContext(), use_cache=False)
        tally = _tally(result.findings)
        attempts = sum(1 for f in result.findings if f.kind == "attempt")
        fired = sorted(
            {f"{f.detection.id}{' (attempt)' if f.kind == 'attempt' else ''}" for f in result.findings}
        )
        any_finding += bool(result.findings)
        medium_or_high += bool(tally["high"] or tally["medium"])
        name = path.name.removeprefix("aws.").removesuffix(".json")
        counts = " | ".join(str(tally[level]) for level in LEVELS)
        lines.append(f"| {name} | {result.load.events} | {counts} | {attempts} | {', '.join(fired) or '-'} |")
    total = len(list(RECORDINGS.glob("*.json")))
    lines += [
        "",
        f"Recordings with at least one finding: {any_finding} of {total}; "
        f"with a medium- or high-confidence one: {medium_or_high} of {total}.",
    ]
    return lines


def benign_rows(
    name: str, folder: Path, removed: int, context: AccountContext, renderer, detections
) -> list[str]:
    """The benign hunt's false positives: totals by confidence, leads per 10k events, top detections."""
    result = hunt([folder], renderer, detections, context, use_cache=False)
    tally = _tally(result.findings)
    events = result.load.events
    per_10k = tally["low"] * 10000 / events if events else 0.0
    by_detection = Counter((f.detection.id, f.confidence) for f in result.findings)
    top = ", ".join(f"{d} ({c}) x{n}" for (d, c), n in by_detection.most_common(8)) or "-"
    errors = f"; errors: {result.errors}" if result.errors else ""
    return [
        f"| {name} | {events} | {removed} | {tally['high']} | {tally['medium']} | {tally['low']} | {per_10k:.1f} | {top}{errors} |"
    ]


def main(argv: list[str] | None = None) -> int:
    """Run both measurements and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-events", type=int, default=30000, help="size of the synthetic benign set")
    parser.add_argument("--skip-recordings", action="store_true")
    args = parser.parse_args(argv)
    catalog = load_catalog(PROJECT)
    renderer = Renderer(PROJECT)
    detections = catalog.detections
    print(f"# Efficacy of {len(detections)} detections\n")
    if not args.skip_recordings:
        print("## Stratus Red Team recordings (empty context)\n")
        print("\n".join(recordings_table(renderer, detections)))
    context = load_context(PROJECT.fixtures / "contexts" / "demo.yaml")
    print("\n## Benign activity (context fixtures/contexts/demo.yaml; every finding is a false positive)\n")
    print(
        "| dataset | events hunted | intrusion records removed | high | medium | low | low per 10k events | top detections |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        demo = root / "demo"
        demo.mkdir()
        _, removed = benign_copy(PROJECT.fixtures / "demo", demo)
        print("\n".join(benign_rows("demo (fixtures/demo)", demo, removed, context, renderer, detections)))
        generated, bench = root / "generated", root / "bench"
        bench.mkdir()
        generate_bench(generated, args.bench_events, seed=7, workers=1)
        _, removed = benign_copy(generated, bench)
        name = f"synth bench ({args.bench_events} events, seed 7)"
        print("\n".join(benign_rows(name, bench, removed, context, renderer, detections)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
