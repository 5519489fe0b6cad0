"""Options several verbs share, declared once, the argparse types they parse with, and output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

from trailhunt.engines.base import parse_size
from trailhunt.identifiers import argument


def arg_type(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type whose error is the parser's own message (no function names)."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def split_list(text: str) -> tuple[str, ...]:
    """``a,b, c`` as a tuple (``deploy.export.split_list``, imported only when an option uses it)."""
    from trailhunt.deploy.export import split_list as split

    return split(text)


def fields_of(cls: type, args: argparse.Namespace) -> dict[str, Any]:
    """The parsed options named like the fields of the dataclass ``cls``."""
    return {f.name: getattr(args, f.name) for f in fields(cls) if hasattr(args, f.name)}


def write(text: str, output: Path | None) -> None:
    """``text`` to ``output``, or to stdout without one."""
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


SIZE = arg_type(parse_size)
PROJECT, CONTEXT, SELECT, OUTPUT, TABLE, READS, TRAIL, PRICE = (argparse.ArgumentParser(add_help=False) for _ in range(8))  # fmt: skip
PROJECT.add_argument("--project", type=Path, help="folder with detections/ and templates/")
CONTEXT.add_argument("--context", type=Path, help="account context YAML (its account_ids and globs shape the SQL)")  # fmt: skip
SELECT.add_argument("--detection", action="append", dest="detections", help="only these detection ids")
OUTPUT.add_argument("--output", type=Path, help="write to this file instead of stdout")
TABLE.add_argument("--table", type=argument("table"), default="cloudtrail", help="the CloudTrail table (the one `trailhunt ddl` creates)")  # fmt: skip
# READS: which partitions a query reads; TRAIL: where the trail writes
READS.add_argument("--layout", choices=["projection", "manual", "flat"], default="projection")
READS.add_argument("--regions", type=split_list, default=(), help="comma-separated region partitions to read (default: all projected)")  # fmt: skip
TRAIL.add_argument("--prefix", default="", help="key prefix before AWSLogs/")
TRAIL.add_argument("--org-id", help="organization trail: the o-... folder after AWSLogs/")
PRICE.add_argument("--price-per-tb", type=float, default=5.0, help="Athena $ per TB scanned, for the estimate")  # fmt: skip
QUERYING = [PROJECT, CONTEXT, SELECT, OUTPUT, TABLE, READS]  # hunt and export: detections run on the table
