"""The types every fidelity rule shares: ``Issue``, ``Context``, ``Rule`` and ``Adapted``.

Rule modules (``json_rules``, ``text_rules``, ...) and the composer (``core``) both import these,
so no rule module needs the composer and there is no import circle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlglot import exp

from trailhunt.fidelity.typemap import TypeMap
from trailhunt.problems import Severity


@dataclass(frozen=True)
class Issue:
    """A construct whose DuckDB answer could differ from Athena's."""

    code: str
    message: str
    severity: Severity = "error"
    near: str = ""  # text of the construct, to find its line in the detection (``locate``)


@dataclass
class Context:
    """What rules share while adapting one statement: operand types and the issues found."""

    types: TypeMap
    issues: list[Issue] = field(default_factory=list)

    def flag(
        self, code: str, message: str, node: exp.Expr, severity: Severity = "error", near: str = ""
    ) -> None:
        """Record an issue about ``node``; ``near`` is text to find its line by (default: its name)."""
        self.issues.append(Issue(code, message, severity, near or _near(node)))


def _near(node: exp.Expr) -> str:
    """Text that locates ``node`` in the source: a function's name, else its first string literal."""
    if isinstance(node, exp.Func):
        return node.sql("athena").split("(", 1)[0].lower()
    literal = next((n for n in node.walk() if isinstance(n, exp.Literal) and n.is_string), None)
    return literal.this if literal is not None else ""


def locate(near: str, text: str) -> int:
    """The 0-based line of ``text`` where ``near`` first appears (any case), else 0."""
    needle = near.lower()
    lines = text.lower().splitlines()
    return next((i for i, line in enumerate(lines) if needle and needle in line), 0)


Rewrite = Callable[[exp.Expr, Context], exp.Expr | None]
ANY_FUNCTION = "*"  # the name of a rule for every function sqlglot does not know


@dataclass(frozen=True)
class Rule:
    """One trap: the nodes it looks at, and a rewrite (None when it only flags or passes).

    For functions sqlglot does not know (``exp.Anonymous``) the rule's name is the function's.
    """

    name: str
    reason: str
    applies: tuple[type[exp.Expr], ...]
    rewrite: Rewrite

    def matches(self, node: exp.Expr) -> bool:
        """Whether ``node`` is one this rule handles."""
        if not isinstance(node, self.applies):
            return False
        if isinstance(node, exp.Anonymous):
            return self.name in (node.name.lower(), ANY_FUNCTION)
        return True


@dataclass
class Adapted:
    """A statement ready for DuckDB, with the rules that rewrote it and the issues found."""

    tree: exp.Expr
    rewrites: list[str]
    issues: list[Issue]
