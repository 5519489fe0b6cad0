"""Engine fidelity: keep DuckDB's answers equal to Athena's (Trino) for the same detection SQL.

sqlglot translates Athena SQL for DuckDB, but some translations change answers (``date_diff``
counts boundaries, ``5 / 2`` is 2.5, ``json_extract_scalar`` returns objects, ...). Each known
trap is a ``Rule``: it rewrites one construct into DuckDB SQL with Trino's semantics, or flags
it (``FID`` codes) when no faithful rewrite exists. Rules run on the parsed Athena tree before
DuckDB SQL is generated, children before parents; the Athena text itself is never regenerated.
``docs/engine-fidelity.md`` lists every trap, its handling and its test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlglot import exp

from trailhunt.fidelity.types import TYPE, TypeMap
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


def adapt(statement: exp.Expr) -> Adapted:
    """``statement`` with every rule applied, children before their parents.

    The statement is rewritten in place (pass a copy to keep the original).
    """
    from trailhunt.fidelity.rules import RULES

    tree = statement
    context = Context(TypeMap(tree))
    fired: set[str] = set()
    for node in reversed(list(tree.walk())):
        for rule in RULES:
            if not rule.matches(node):
                continue
            replacement = rule.rewrite(node, context)
            if replacement is None or replacement is node:
                if isinstance(node, exp.Anonymous):
                    break  # a function has one rule: its own, else the catch-all
                continue
            replacement.meta[TYPE] = context.types.of(node)
            if node is tree:
                tree = replacement
            else:
                node.replace(replacement)
            fired.add(rule.name)
            break
    rewrites = [f"{r.name}: {r.reason}" for r in RULES if r.name in fired]
    return Adapted(tree, rewrites, list(dict.fromkeys(context.issues)))


def rewrites_for(sql: str) -> list[str]:
    """``rule: why`` for every fidelity rewrite one Athena statement needs on DuckDB."""
    from trailhunt.fidelity.transpile import adapted

    return list(adapted(sql).rewrites)


def issues_for(sql: str) -> list[Issue]:
    """Constructs of one Athena statement whose DuckDB answer could differ (FID codes)."""
    from trailhunt.fidelity.transpile import adapted

    return list(adapted(sql).issues)
