"""The one rule for names that reach SQL text or IAM policies: catalog, schema, database, table and
workgroup names.

Such names cannot be quoted as literals, so they are checked instead: lower-case letters, digits
and ``_``, starting with a letter or ``_``, at most 128 characters. The pattern is anchored with
``\\Z`` (``$`` would accept a trailing newline). The CLI checks at argument parsing (``argument``);
the library checks again where each name enters (``identifier``).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,127}\Z")
RULE = "1-128 lower-case letters, digits and _, not starting with a digit"


def identifier(value: object, what: str = "name") -> str:
    """``value`` when it is a safe SQL/IAM name; ValueError naming ``what`` and the rule otherwise."""
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise ValueError(f"{what} {value!r} is not allowed: use {RULE}")
    return value


def argument(what: str) -> Callable[[str], str]:
    """An argparse ``type=`` that applies ``identifier`` and reports a bad value in one line."""

    def parse(text: str) -> str:
        try:
            return identifier(text, what)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from error

    parse.__name__ = what
    return parse
