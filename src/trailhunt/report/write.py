"""Writing a report in the chosen format to stdout or a file, and a remote hunt's query log."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import IO, Literal

from trailhunt.escape import for_terminal
from trailhunt.problems import UsageError
from trailhunt.report.build import Report
from trailhunt.report.render_html import render_html
from trailhunt.report.render_json import render_json, render_jsonl
from trailhunt.report.render_markdown import render_markdown
from trailhunt.report.render_terminal import make_console, render_terminal
from trailhunt.result import HuntResult

Format = Literal["terminal", "md", "json", "jsonl", "html"]
FORMATS: tuple[Format, ...] = ("terminal", "md", "json", "jsonl", "html")
SUFFIX_FORMATS: dict[str, Format] = {
    ".md": "md",
    ".json": "json",
    ".jsonl": "jsonl",
    ".html": "html",
    ".htm": "html",
}
FILE_WIDTH = 140


def check_output(output: Path | None) -> None:
    """Raise ``UsageError`` before any work when ``output``'s folder does not exist."""
    if output is not None and not output.parent.is_dir():
        raise UsageError(f"--output {output}: folder {output.parent} does not exist")


def format_for(output: Path | None, explicit: Format | None) -> Format:
    """The explicit format, else the one the output file's suffix names, else the terminal."""
    if explicit:
        return explicit
    return SUFFIX_FORMATS.get(output.suffix.lower(), "terminal") if output else "terminal"


def render_text(report: Report, fmt: Format, drafts: bool = False) -> str:
    """The report as text (the terminal format without colour, at a fixed width)."""
    if fmt == "md":
        return render_markdown(report)
    if fmt == "json":
        return render_json(report)
    if fmt == "jsonl":
        return render_jsonl(report)
    if fmt == "html":
        return render_html(report)
    buffer = io.StringIO()
    render_terminal(report, make_console(file=buffer, width=FILE_WIDTH), drafts=drafts)
    return buffer.getvalue()


def write_report(report: Report, fmt: Format, output: Path | None = None, drafts: bool = False) -> None:
    """Print the report (rich on a terminal) or write it to ``output``; problems also go to stderr
    for the formats that do not list them (JSON). ``drafts`` prints the drafts' SQL in the terminal."""
    if output is not None:
        output.write_text(render_text(report, fmt, drafts), encoding="utf-8")
    elif fmt == "terminal":
        render_terminal(report, make_console(), drafts=drafts)
    else:
        sys.stdout.write(render_text(report, fmt, drafts))
    if fmt in ("json", "jsonl") or output is not None:
        for path, reason in report.result.load.rejected:
            print(f"rejected {for_terminal(path)}: {for_terminal(reason)}", file=sys.stderr)
        for detection_id, reason in report.result.errors:
            print(f"detection {detection_id} failed: {for_terminal(reason)}", file=sys.stderr)


def write_query_log(result: HuntResult, file: IO[str] | None = None) -> None:
    """One line per statement a remote hunt sent (state, MB, seconds, $, query id, reason), then the
    totals; to stderr unless ``file`` is given."""
    out = file or sys.stderr
    for q in result.queries:
        reason = f"  {for_terminal(q.reason, 200)}" if q.reason else ""
        print(f"{q.label:45} {q.state:10} {q.bytes_scanned / 1024**2:10.1f} MB {q.elapsed_ms / 1000:7.1f} s ${q.cost_usd:8.4f}  {q.query_id or '-'}{reason}", file=out)  # fmt: skip
    print(f"{len(result.queries)} queries, {result.bytes_scanned / 1024**2:.1f} MB scanned, estimated ${result.cost_usd:.4f}", file=out)  # fmt: skip
