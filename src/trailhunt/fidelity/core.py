"""Engine fidelity: keep DuckDB's answers equal to Athena's (Trino) for the same detection SQL.

sqlglot translates Athena SQL for DuckDB, but some translations change answers (``date_diff``
counts boundaries, ``5 / 2`` is 2.5, ``json_extract_scalar`` returns objects, ...). Each known
trap is a ``Rule``: it rewrites one construct into DuckDB SQL with Trino's semantics, or flags
it (``FID`` codes) when no faithful rewrite exists. Rules run on the parsed Athena tree before
DuckDB SQL is generated, children before parents; the Athena text itself is never regenerated.
``docs/engine-fidelity.md`` lists every trap, its handling and its test.
"""

from __future__ import annotations

from sqlglot import exp

from trailhunt.fidelity.base import Adapted, Context
from trailhunt.fidelity.rules import RULES
from trailhunt.fidelity.typemap import TYPE, TypeMap


def adapt(statement: exp.Expr) -> Adapted:
    """``statement`` with every rule applied, children before their parents.

    The statement is rewritten in place (pass a copy to keep the original).
    """
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
