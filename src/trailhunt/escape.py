"""Escaping attacker-controlled log text (userAgent, ARNs, parameters) for each output medium."""

from __future__ import annotations

import html
import re
import unicodedata

# C0/C1 controls and DEL, plus bidi overrides/isolates and zero-width characters that can
# reorder or hide text on a terminal or page.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


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
    """Safe inside rich console markup as well as a terminal (``[`` cannot open a style tag)."""
    return for_terminal(text, limit).replace("[", "\\[")


def for_markdown(text: object) -> str:
    """Safe in a Markdown table cell: no links, emphasis, HTML or cell breaks."""
    value = neutralize(text).replace("\n", " ")
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    return html.escape(value, quote=False).replace("\\&lt;", "&lt;").replace("\\&gt;", "&gt;")


def for_html(text: object) -> str:
    """Safe as HTML text or a quoted attribute value."""
    return html.escape(neutralize(text), quote=True)
