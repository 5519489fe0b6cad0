"""The one rule for names that reach SQL text or IAM policies: catalog, schema, database, table and
workgroup names.

Such names cannot be quoted as literals, so they are checked instead: lower-case letters, digits
and ``_``, starting with a letter or ``_``, at most 128 characters. Workgroups never reach SQL text
(only API calls and IAM resource ARNs), so they get Athena's own rule: letters, digits, ``.``, ``-``
and ``_``, which admits no IAM wildcard. Both patterns are anchored with ``\\Z`` (``$`` would
accept a trailing newline). The CLI checks at argument parsing (``argument``);
the library checks again where each name enters (``identifier``).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,127}\Z")
RULE = "1-128 lower-case letters, digits and _, not starting with a digit"
WORKGROUP = re.compile(r"[A-Za-z0-9._-]{1,128}\Z")
WORKGROUP_RULE = "1-128 letters, digits, '.', '-' and '_'"


def _checked(value: object, what: str, pattern: re.Pattern[str], rule: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError(f"{what} {value!r} is not allowed: use {rule}")
    return value


def identifier(value: object, what: str = "name") -> str:
    """``value`` when it is a safe SQL/IAM name; ValueError naming ``what`` and the rule otherwise."""
    return _checked(value, what, IDENTIFIER, RULE)


def workgroup(value: object, what: str = "workgroup") -> str:
    """``value`` when it is a valid Athena workgroup name (no IAM wildcard, no newline)."""
    return _checked(value, what, WORKGROUP, WORKGROUP_RULE)


def argument(what: str, check: Callable[[object, str], str] = identifier) -> Callable[[str], str]:
    """An argparse ``type=`` that applies ``check`` and reports a bad value in one line."""

    def parse(text: str) -> str:
        try:
            return check(text, what)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from error

    parse.__name__ = what
    return parse
