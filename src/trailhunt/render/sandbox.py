"""The Jinja sandbox detections and templates render in, and the lint that finds escapes statically.

A project's files are code: the sandbox (``ImmutableSandboxedEnvironment``) refuses private and
dunder attributes, calls of unsafe callables and in-place changes of lists and dicts at run time,
and offers no globals but ``namespace`` and trailhunt's own macros and helpers. ``unsafe_constructs``
finds the same escapes in every branch of a file, rendered or not, so ``validate`` names them with
their line before anything runs.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.defaults import DEFAULT_NAMESPACE
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from trailhunt.problems import Problem

ALLOWED_GLOBALS = {"namespace": Namespace}  # a detection builds lists with it (no in-place changes)
# Jinja's own globals other than ``namespace``, and ``self`` (the template's blocks and context).
REFUSED_NAMES = frozenset(DEFAULT_NAMESPACE) - set(ALLOWED_GLOBALS) | {"self"}
# Attributes that lead from an object to frames, code or globals without a leading underscore.
REFUSED_ATTRIBUTES = frozenset(
    {"mro", "func_globals", "func_code", "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame",
     "ag_code", "f_globals", "f_locals", "f_builtins", "f_back", "tb_frame", "tb_next", "co_code"}
)  # fmt: skip
MAX_POWER = 64  # ``**`` beyond this exponent is refused (an unbounded power never finishes)
MAX_REPEAT = 100_000  # ``"x" * n`` and ``[x] * n`` beyond this many items are refused


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Trailhunt's Jinja environment: sandboxed, immutable, strict about undefined names."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, templates: Path):
        super().__init__(
            loader=jinja2.FileSystemLoader(str(templates)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # renders SQL, not HTML; values are quoted by sqltext
            keep_trailing_newline=True,
        )
        self.globals.clear()
        self.globals.update(ALLOWED_GLOBALS)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's rule, plus the frame/code/globals attributes in ``REFUSED_ATTRIBUTES``."""
        return attr not in REFUSED_ATTRIBUTES and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``*`` and ``**`` with bounded results; every other operator as Jinja does it."""
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > MAX_POWER:
                raise jinja2.sandbox.SecurityError(f"exponent {right} is above {MAX_POWER}")
            return left**right
        for sequence, count in ((left, right), (right, left)):
            sized = isinstance(sequence, str | list | tuple) and isinstance(count, int)
            if sized and count * max(len(sequence), 1) > MAX_REPEAT:
                raise jinja2.sandbox.SecurityError(f"repetition makes more than {MAX_REPEAT} items")
        return left * right


def unsafe_constructs(env: jinja2.Environment, source: str | nodes.Template, path: Path) -> list[Problem]:
    """Every sandbox escape attempt in ``source`` (text or its parsed tree; any branch), as SEC001
    problems with their line.

    A file that does not parse gives no problems here; rendering reports the syntax error.
    """
    try:
        tree = env.parse(source) if isinstance(source, str) else source
    except jinja2.TemplateSyntaxError:
        return []
    problems = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name, nodes.Filter)):
        if reason := _refusal(node):
            problems.append(
                Problem("SEC001", f"refused in the template sandbox: {reason}", path, node.lineno)
            )
    return problems


def _refusal(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Getattr) and _private(node.attr):
        return f"attribute {node.attr!r}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and _private(node.arg.value):
        return f"item {node.arg.value!r}"
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in REFUSED_NAMES:
        return f"name {node.name!r} (templates see only trailhunt's macros and helpers)"
    if isinstance(node, nodes.Filter) and node.name == "attr":
        names = [a.value for a in node.args if isinstance(a, nodes.Const)]
        if any(_private(n) for n in names) or len(names) < len(node.args):
            return "the attr filter on a private or computed name"
    return None


def _private(name: object) -> bool:
    return isinstance(name, str) and (name.startswith("_") or name in REFUSED_ATTRIBUTES)


def error_location(error: BaseException, templates: Path, source_path: Path) -> tuple[Path, int] | None:
    """The innermost template frame of a render error: a ``templates/`` file or the detection itself."""
    found = None
    traceback: TracebackType | None = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename == "<template>":
            found = (source_path, traceback.tb_lineno)
        elif Path(filename).parent == templates:
            found = (Path(filename), traceback.tb_lineno)
        traceback = traceback.tb_next
    return found
