"""Filling a detection's ``response`` template with a finding's values, shell-quoted.

Values come from logs and are attacker-controlled, so each is inserted as one ``shlex.quote``d
word. A template's own quotes around a placeholder (``'{{ finding.trail }}'``) are dropped first;
inside a longer quoted string the quote is closed around the value and reopened. The result is
checked with ``shlex.split``: if any value would not stay one intact word, the command is not
filled and the person gets placeholders instead. Templates are evaluated in Jinja's sandbox; a
name the finding lacks becomes a ``<name>`` placeholder instead of an error.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from trailhunt.escape import neutralize

_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_HUGGED = re.compile(r"""(['"])(\{\{(?:(?!\}\}).)*?\}\})\1""", re.DOTALL)
_COMMAND_START = re.compile(r"\baws\s+[a-z0-9-]+\s")
# Where prose resumes after a command: ", or revoke ...", " (or ...)", " then ...", " and consider ...".
_PROSE_RESUMES = re.compile(r",\s|\s\(|\s(?:then|and|with|or)\s")
# A hand-written placeholder in a template (``<user>``, ``<vpc-id>``): left for the person to fill.
_HAND_PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9 _.-]*)>")
_ENV = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class Filled:
    """A response step: prose, the shell command in it (if any), and what could not be filled."""

    text: str
    command: str | None
    missing: tuple[str, ...] = ()
    warning: str | None = None


def derived_values(values: dict[str, Any]) -> dict[str, str]:
    """Values a template's hand-written placeholders ask for that the finding implies: ``<user>``
    is the IAM user behind ``principal_arn``, ``<role>`` the role behind an assumed-role session."""
    arn = str(values.get("principal_arn") or "")
    out = {}
    if ":user/" in arn:
        out["user"] = arn.rsplit("/", 1)[-1]
    elif ":assumed-role/" in arn:
        out["role"] = arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
    return out


def _fill_hand_placeholders(template: str, values: dict[str, Any]) -> str:
    """``<user>`` and friends become template expressions when the finding implies their value."""
    derived = derived_values(values)

    def known(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"{{{{ derived.{name} }}}}" if name in derived else match.group(0)

    return _HAND_PLACEHOLDER.sub(known, template)


def _cut_prose(pieces: list[tuple[bool, str]]) -> tuple[list[tuple[bool, str]], list[tuple[bool, str]]]:
    """Command pieces up to where prose resumes (outside shell quotes), and the prose after it."""
    state: str | None = None
    for index, (is_expression, text) in enumerate(pieces):
        if is_expression:
            continue
        for match in _PROSE_RESUMES.finditer(text):
            if _quote_state(text[: match.start()], state) is None:
                head = [*pieces[:index], (False, text[: match.start()])]
                return head, [(False, text[match.start() :]), *pieces[index + 1 :]]
        state = _quote_state(text, state)
    return pieces, []


def _placeholder(expression: str) -> str:
    name = expression.strip().removeprefix("finding.").removeprefix("derived.")
    return f"<{re.sub(r'[^A-Za-z0-9_.]+', '_', name)}>"


def _evaluate(expression: str, values: dict[str, Any]) -> str | None:
    """The expression's value as text, or None when undefined, null or failing."""
    try:
        compiled = _ENV.compile_expression(expression, undefined_to_none=False)
        value = compiled(finding=dict(values), derived=derived_values(values))
        return None if value is None else str(value)
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, LookupError):
        return None


def _segments(template: str) -> list[tuple[bool, str]]:
    """(is_expression, text) pieces of a template."""
    pieces: list[tuple[bool, str]] = []
    position = 0
    for match in _EXPRESSION.finditer(template):
        pieces.append((False, template[position : match.start()]))
        pieces.append((True, match.group(1)))
        position = match.end()
    pieces.append((False, template[position:]))
    return pieces


def _split_at_command(
    pieces: list[tuple[bool, str]],
) -> tuple[list[tuple[bool, str]], list[tuple[bool, str]]]:
    """Prose pieces, then command pieces (from the first ``aws <service> `` in literal text). A
    command in parentheses is an aside in prose, not a command to run."""
    for index, (is_expression, text) in enumerate(pieces):
        match = None if is_expression else _COMMAND_START.search(text)
        if match and not text[: match.start()].rstrip().endswith("("):
            head = [*pieces[:index], (False, text[: match.start()])]
            return head, [(False, text[match.start() :]), *pieces[index + 1 :]]
    return pieces, []


def _quote_state(text: str, state: str | None) -> str | None:
    """The shell quote open after ``text`` when ``state`` was open before it."""
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and state != "'":
            escaped = True
        elif state is None and char in "'\"":
            state = char
        elif char == state:
            state = None
    return state


def _fill(
    pieces: list[tuple[bool, str]], values: dict[str, Any], track_quotes: bool
) -> tuple[str, list[str], list[str]]:
    out: list[str] = []
    inserted: list[str] = []
    missing: list[str] = []
    state: str | None = None
    for is_expression, text in pieces:
        if not is_expression:
            out.append(text)
            state = _quote_state(text, state) if track_quotes else None
            continue
        value = _evaluate(text, values)
        if value is None:
            missing.append(_placeholder(text))
            out.append(_placeholder(text))
            continue
        inserted.append(value)
        word = shlex.quote(value)
        out.append(f"{state}{word}{state}" if state else word)
    return "".join(out), inserted, missing


def _intact(command: str, values: list[str]) -> bool:
    """Every inserted value survives shell word-splitting as part of one word."""
    try:
        words = shlex.split(command)
    except ValueError:
        return False
    return all(any(value in word for word in words) for value in values)


def _chains(command: str) -> bool:
    """The command holds a shell operator outside quotes (values are always quoted)."""
    command = _HAND_PLACEHOLDER.sub("placeholder", command)  # <user> is not a redirection
    try:
        tokens = list(shlex.shlex(command, posix=True, punctuation_chars=True))
    except ValueError:
        return False
    return any(token and set(token) <= set("|&;<>()") for token in tokens)


def fill(template: str, values: dict[str, Any]) -> Filled:
    """Fill ``{{ finding.<column> }}`` placeholders of a response step with shell-quoted values."""
    template = _fill_hand_placeholders(template, values)
    prose_pieces, command_pieces = _split_at_command(_segments(_HUGGED.sub(r"\2", template)))
    command_pieces, tail = _cut_prose(command_pieces)
    text, prose_values, missing = _fill(prose_pieces, values, track_quotes=False)
    following = None
    rest = "".join(f"{{{{{t}}}}}" if is_expression else t for is_expression, t in tail).strip()
    if rest.startswith("then aws "):  # a second command: its own line
        following = fill(rest.removeprefix("then "), values)
    elif rest:
        after, tail_values, tail_missing = _fill(tail, values, track_quotes=False)
        head = text.strip()
        aside = after.strip().lstrip(",").strip().removeprefix("(").removesuffix(")")
        text = f"{head.removesuffix(':')} ({aside}):" if head.endswith(":") else f"{head} ({aside})"
        prose_values += tail_values
        missing += tail_missing
    command, command_values, command_missing = _fill(command_pieces, values, track_quotes=True)
    missing += command_missing
    warnings = []
    if command_pieces and not _intact(command, command_values):
        command, command_values, blanks = _fill(command_pieces, {}, track_quotes=True)
        missing += blanks
        warnings.append(
            "the finding's values could not be quoted safely into this command: fill it in by hand"
        )
    missing += [f"<{name}>" for name in _HAND_PLACEHOLDER.findall(command)]
    if command_pieces and _chains(command):
        warnings.append("the command chains or redirects (|, ;, &&, >): read it and run the parts by hand")
    if any(neutralize(v) != v for v in [*prose_values, *command_values]):
        warnings.append(
            "a value holds control or invisible characters (shown escaped): copy it from the raw record"
        )
    command = command.strip()
    if following is not None and following.command:
        command = f"{command}\n{following.command}"
        missing += following.missing
        warnings += [following.warning] if following.warning else []
    return Filled(text.strip(), command or None, tuple(dict.fromkeys(missing)), "; ".join(warnings) or None)
