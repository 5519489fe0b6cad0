"""Command line: ``python -m tools.synth demo OUT_DIR`` or ``... bench OUT_DIR --events N``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.synth import DEMO_SEED, DEMO_START, generate_bench, generate_demo


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.synth", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="three days of an account with the intrusion on day 3")
    demo.add_argument("out", type=Path)
    demo.add_argument("--seed", type=int, default=DEMO_SEED)
    demo.add_argument("--start", default=DEMO_START, help="first instant, ISO 8601 UTC (default %(default)s)")
    bench = commands.add_parser("bench", help="N events in thousands of files, written in parallel")
    bench.add_argument("out", type=Path)
    bench.add_argument("--events", type=int, required=True)
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument(
        "--start", default=DEMO_START, help="first instant, ISO 8601 UTC (default %(default)s)"
    )
    bench.add_argument("--workers", type=int, default=None, help="processes (default: one per CPU)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Generate the requested dataset and print what was written."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            summary = generate_demo(args.out, args.seed, args.start)
        else:
            summary = generate_bench(args.out, args.events, args.seed, args.start, args.workers)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: {summary.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
