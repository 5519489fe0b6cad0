"""Escaping attacker-controlled log text (userAgent, ARNs, parameters) for each output medium."""

from __future__ import annotations

import html
import re
import unicodedata

# C0/C1 controls and DEL, bidi marks/overrides/isolates, line and paragraph separators, and
# zero-width or invisible characters that can reorder, break or hide text on a terminal or page.
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Markdown syntax anywhere in a line: code, emphasis, links and images, table cells, strikethrough.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]|~])")
# ``_`` only where it can open or close emphasis (not inside ``snake_case`` words).
_MARKDOWN_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# What GitHub links by itself: ``scheme://``, ``www.`` and e-mail addresses (and @mentions).
_MARKDOWN_AUTOLINK = re.compile(r"(?i)(:)(?=//)|\b(www)(\.)|(@)")
# Block syntax where a value starts a line: headings, quotes, list items, thematic breaks.
_MARKDOWN_LINE_START = re.compile(r"^([#>+=-])(?=[\s=-]|$)|^(\d+)([.)])(?=\s|$)")
# Backslashes before ``[``: rich reads ``\\[`` as a literal backslash followed by a live tag.
_MARKUP_OPEN = re.compile(r"(\\*)\[")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralize(text: object) -> str:
    """Text with every control, bidi and zero-width character shown as an escape sequence."""
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    return _INVISIBLE.sub(_visible, value)


def for_terminal(text: object, limit: int | None = None) -> str:
    """Safe for a terminal: no ANSI/OSC sequences, no control characters; optionally shortened."""
    value = neutralize(text)
    if limit is not None and len(value) > limit:
        value = value[: max(limit - 1, 0)] + "…"
    return value


def for_markup(text: object, limit: int | None = None) -> str:
    """Safe inside rich console markup as well as a terminal (``[`` cannot open a style tag).

    Backslashes before ``[`` are doubled so they cannot cancel the escape, and trailing backslashes
    are doubled so they cannot escape the markup that follows the value.
    """
    value = _MARKUP_OPEN.sub(lambda m: m.group(1) * 2 + "\\[", for_terminal(text, limit))
    trailing = len(value) - len(value.rstrip("\\"))
    return value + "\\" * trailing


def _autolink(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\:"
    if match.group(2):
        return match.group(2) + "\\."
    return "\\@"


def for_markdown(text: object) -> str:
    """Safe in Markdown text or a table cell: no links, emphasis, HTML, entities or cell breaks.

    Only what would change the meaning is escaped, so ``us-east-1`` and ``iam_admin_policy`` stay
    readable in a ticket.
    """
    value = neutralize(text).replace("\n", " ")
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    value = _MARKDOWN_UNDERSCORE.sub(r"\\_", value)
    value = _MARKDOWN_AUTOLINK.sub(_autolink, value)
    value = _MARKDOWN_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", value)
    return html.escape(value, quote=False)


def for_html(text: object) -> str:
    """Safe as HTML text or a quoted attribute value."""
    return html.escape(neutralize(text), quote=True)
