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
# ``:`` and ``@`` too: GitHub links bare ``scheme://`` URLs and e-mail addresses by itself.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:@])")
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


def for_markdown(text: object) -> str:
    """Safe in a Markdown table cell: no links, emphasis, HTML or cell breaks."""
    value = neutralize(text).replace("\n", " ")
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    return html.escape(value, quote=False).replace("\\&lt;", "&lt;").replace("\\&gt;", "&gt;")


def for_html(text: object) -> str:
    """Safe as HTML text or a quoted attribute value."""
    return html.escape(neutralize(text), quote=True)
