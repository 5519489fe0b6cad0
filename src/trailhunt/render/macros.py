"""Template conventions checked without rendering: one definition per macro name, one accessor.

Every ``templates/*.sql`` file's macros are loaded into one namespace, so a name defined in two
files would silently resolve to whichever file loads last: ``duplicate_macros`` names both.
Parameters are read only with ``param('x')``: ``other_accessors`` flags ``parameters.x`` and
``parameters['x']`` in a detection or template.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from trailhunt.problems import Problem


def macro_definitions(env: jinja2.Environment, path: Path) -> list[tuple[str, int]]:
    """The top-level macros of template ``path`` as (name, line); none when it does not parse."""
    try:
        tree = env.parse(path.read_text(encoding="utf-8"))
    except jinja2.TemplateSyntaxError:
        return []
    return [(node.name, node.lineno) for node in tree.body if isinstance(node, nodes.Macro)]


def duplicate_macros(env: jinja2.Environment, paths: list[Path]) -> list[Problem]:
    """TPL001 for every macro defined again in another (or the same) template file."""
    first: dict[str, tuple[Path, int]] = {}
    problems = []
    for path in paths:
        for name, line in macro_definitions(env, path):
            if name in first:
                other, other_line = first[name]
                message = f"macro {name!r} is also defined at {other}:{other_line}; one name, one definition"
                problems.append(Problem("TPL001", message, path, line))
            else:
                first[name] = (path, line)
    return problems


def other_accessors(env: jinja2.Environment, source: str, path: Path) -> list[Problem]:
    """TPL002 for every read of ``parameters`` (``parameters.x``, ``parameters['x']``) in ``source``."""
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return []
    message = "read parameters with param('x') (param('x').value for the plain value), not `parameters`"
    return [
        Problem("TPL002", message, path, node.lineno)
        for node in tree.find_all(nodes.Name)
        if node.name == "parameters" and node.ctx == "load"
    ]
