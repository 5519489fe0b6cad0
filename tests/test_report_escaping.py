"""Attacker-controlled log text through a real detection into every report format.

tests/data/report/payloads.json carries ANSI and OSC 8 escapes, rich markup, Markdown table and
link syntax, HTML/JS, a bidi override and newlines in userAgent, principal ARNs and the trail
name of StopLogging calls that ``cloudtrail_logging_stopped`` reports.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shlex
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from rich.console import Console

from tests.report_support import DATA
from trailhunt.escape import for_markdown, for_markup
from trailhunt.hunt import hunt
from trailhunt.render.context import AccountContext
from trailhunt.report.build import build_report
from trailhunt.report.render_html import render_html
from trailhunt.report.render_json import render_json, render_jsonl
from trailhunt.report.render_markdown import render_markdown
from trailhunt.report.render_terminal import make_console, render_terminal
from trailhunt.report.runbook import runbook

PAYLOADS = DATA / "payloads.json"
RECORDS = {r["eventID"]: r for r in json.loads(PAYLOADS.read_text(encoding="utf-8"))["Records"]}
SGR = re.compile(r"\x1b\[[0-9;]*m")
INVISIBLE = ("\x1b", "\x07", "\u202e", "\u202c")


@pytest.fixture(scope="module")
def report(catalog, renderer):
    result = hunt([PAYLOADS], renderer, [catalog.get("cloudtrail_logging_stopped")], AccountContext())
    assert len(result.findings) == 3
    return build_report(result, renderer)


def _terminal(report, console: Console) -> str:
    render_terminal(report, console)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_terminal_plain_has_no_control_characters_and_shows_markup_literally(report):
    out = _terminal(report, make_console(file=io.StringIO(), width=220))
    assert not [c for c in INVISIBLE if c in out]
    assert "[bold red]pwned[/bold red]|x|[x](http://evil.example)" in out
    assert "\\x1b[31mRED" in out  # the ESC byte is shown, not sent
    assert "back\\slash\\[link=http://evil.example]x\\" in out
    assert "line1\\x0aline2" in out


def test_terminal_in_colour_emits_only_its_own_colour_codes(report):
    console = Console(
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        width=220,
        highlight=False,
        emoji=False,
    )
    out = _terminal(report, console)
    assert SGR.search(out)  # the report is coloured...
    plain = SGR.sub("", out)
    assert not [c for c in INVISIBLE if c in plain]  # ...and nothing else: no OSC 8 link, no payload colour
    assert "[bold red]pwned[/bold red]" in plain
    assert "[link=http://evil.example]" in plain


def _tables(tokens):
    tables, current = [], None
    for token in tokens:
        if token.type == "table_open":
            current = []
        elif token.type == "tr_open" and current is not None:
            current.append(0)
        elif token.type in ("td_open", "th_open") and current is not None:
            current[-1] += 1
        elif token.type == "table_close":
            tables.append(current)
            current = None
    return tables


def test_markdown_keeps_its_tables_and_makes_no_links_or_markup(report):
    text = render_markdown(report)
    parser = MarkdownIt("commonmark").enable("table")
    findings_table = _tables(parser.parse(text))[0]
    assert findings_table == [10, 10, 10, 10]  # header + three findings, ten cells each
    html = parser.render(text)
    assert "<a " not in html and "<script" not in html and "<img" not in html and "<strong>pwned" not in html
    prose = re.sub(r"^ *(`{3,}).*?^ *\1$", "", text, flags=re.DOTALL | re.MULTILINE)  # outside code fences
    assert not re.search(r"[a-z]://|www\.|[a-z]@[a-z]", prose)  # nothing GitHub would autolink
    assert not [c for c in INVISIBLE if c in text]
    assert not any(line.startswith("line2") for line in text.splitlines())


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "section", "article", "table",
    "thead", "tbody", "tr", "th", "td", "span", "b", "a", "ul", "ol", "li", "pre", "code", "div", "br", "details",
    "summary", "figure", "figcaption", "svg", "g", "circle", "line", "rect", "text", "defs", "marker", "path",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "lang", "charset", "http-equiv", "content", "name", "class", "id", "title", "href", "viewbox", "width",
    "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "role", "aria-label", "tabindex",
    "text-anchor", "marker-end", "refx", "refy", "markerwidth", "markerheight", "orient", "d",
}  # fmt: skip


def test_html_has_only_our_own_markup_and_a_strict_csp(report):
    page = render_html(report)
    tags = _Tags()
    tags.feed(page)
    assert {tag for tag, _ in tags.tags} <= ALLOWED_TAGS
    attributes = {name for _, attrs in tags.tags for name, _ in attrs}
    assert attributes <= ALLOWED_ATTRIBUTES  # no onerror=, no src=
    assert all(
        value.startswith("#")
        for tag, attrs in tags.tags
        if tag == "a"
        for name, value in attrs
        if name == "href"
    )
    markers = [value for _, attrs in tags.tags for name, value in attrs if name == "marker-end"]
    assert markers and all(re.fullmatch(r"url\(#arrow-C\d+\)", value or "") for value in markers)
    (csp,) = [dict(a)["content"] for t, a in tags.tags if t == "meta" and dict(a).get("http-equiv")]
    digest = base64.b64encode(hashlib.sha256(tags.style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not [c for c in INVISIBLE if c in page]


def test_json_lines_keep_every_string_exactly(report):
    lines = render_jsonl(report).splitlines()
    assert len(lines) == 3
    for line in lines:
        record = json.loads(line)
        raw = RECORDS[record["event_id"]]
        assert record["principal_arn"] == raw["userIdentity"]["arn"]
        assert record["user_agent"] == raw["userAgent"]
        assert record["extra"]["trail"] == raw["requestParameters"]["name"]
        assert line.isascii()  # U+2028 and friends are \u-escaped, so no reader splits a line


def test_the_json_document_is_one_ascii_document_keeping_every_string(report):
    text = render_json(report)
    assert text.isascii()
    document = json.loads(text)
    for record in document["findings"]:
        raw = RECORDS[record["event_id"]]
        assert (record["principal_arn"], record["user_agent"]) == (
            raw["userIdentity"]["arn"],
            raw["userAgent"],
        )
    principals = {p for c in document["candidates"] for p in c["principals"]}
    assert principals == {
        r["userIdentity"]["arn"] for r in RECORDS.values() if r["eventName"] == "StopLogging"
    }


def test_runbook_commands_carry_each_trail_name_as_one_word(report):
    trails = {r["requestParameters"]["name"] for r in RECORDS.values() if r["eventName"] == "StopLogging"}
    filled = set()
    for candidate in report.candidates:
        for step in runbook(candidate).containment:
            if step.command and "start-logging" in step.command:
                filled.add(shlex.split(step.command)[-1])
    assert filled == trails


@pytest.mark.parametrize("value", ["tail\\", "a\\[link=http://evil.example]x", "a\\\\[bold]b", "\\", "[/]"])
def test_for_markup_backslashes_cannot_open_or_swallow_a_tag(value):
    console = Console(
        file=io.StringIO(), force_terminal=True, color_system="truecolor", highlight=False, emoji=False
    )
    console.print(for_markup(value) + "[green]ok[/green]")
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert SGR.sub("", out) == f"{value}ok\n"
    assert "\x1b]8" not in out


@pytest.mark.parametrize(
    "text",
    ["http://evil.example/x", "mail@evil.example", "www.evil.example", "WWW.evil.example", "a\u2028b",
     "HTTPS://evil.example", "x <img src=x onerror=alert(1)> y", "a | b", "[t](javascript:alert(1))",
     "![i](http://evil.example/i.png)", "&lt;script&gt;", "**bold** _em_ ~~gone~~", "# heading", "1. item",
     "- item", "`code`", "\\[x](y)"],
)  # fmt: skip
def test_for_markdown_leaves_nothing_to_autolink_or_break(text):
    value = for_markdown(text)
    assert not re.search(r"(?i)[a-z]://|www\.|[a-z]@[a-z]|\u2028", value)
    html = (
        MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(f"| a |\n| --- |\n| {value} |\n")
    )
    assert "<a " not in html and "<img" not in html and "<strong>" not in html and "<em>" not in html
    assert "<s>" not in html and "<code>" not in html and "<script" not in html and html.count("<td>") == 1
    paragraph = MarkdownIt("commonmark").render(value)
    assert paragraph.startswith("<p>") and "<h1>" not in paragraph and "<li>" not in paragraph


@pytest.mark.parametrize(
    ("text", "shown"), [("us-east-1", "us-east-1"), ("iam_admin_policy_attached", "iam_admin_policy_attached"),
                        ("185.220.101.47", "185.220.101.47"), ("a.b-c:d", "a.b-c:d")],
)  # fmt: skip
def test_for_markdown_leaves_harmless_text_readable(text, shown):
    assert for_markdown(text) == shown
