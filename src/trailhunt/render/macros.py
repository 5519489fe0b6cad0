"""Template conventions checked without rendering: namespaces, one definition per name, one accessor.

A detection or template calls a template's macros through an import,
``{%- import 'context.sql' as context with context %}`` then ``context.is_automation()``, so a
reader sees where every name comes from. ``namespace_problems`` flags a macro called without its
import and any other name the file never defines (TPL003, in every branch, rendered or not), and
an import that would not hand the render variables on (TPL004). A macro name still means one
thing across ``templates/``: ``duplicate_macros`` names both definitions (TPL001). Parameters are
read only with ``param('x')``: ``other_accessors`` flags ``parameters.x`` and ``parameters['x']``.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from trailhunt.problems import Problem
from trailhunt.render.renderer import RENDER_VARIABLES
from trailhunt.render.sandbox import REFUSED_NAMES


def macro_definitions(env: jinja2.Environment, path: Path) -> list[tuple[str, int]]:
    """The top-level macros of template ``path`` as (name, line); none when it does not parse."""
    try:
        tree = env.parse(path.read_text(encoding="utf-8"))
    except jinja2.TemplateSyntaxError:
        return []
    return [(node.name, node.lineno) for node in tree.body if isinstance(node, nodes.Macro)]


def template_names(env: jinja2.Environment, paths: list[Path]) -> dict[str, str]:
    """Each macro and top-level variable of the template files, mapped to its file's name."""
    names: dict[str, str] = {}
    for path in paths:
        try:
            tree = env.parse(path.read_text(encoding="utf-8"))
        except jinja2.TemplateSyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, nodes.Macro):
                names.setdefault(node.name, path.name)
            elif isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
                names.setdefault(node.target.name, path.name)
    return names


def namespace_problems(
    env: jinja2.Environment, source: str, path: Path, templates: dict[str, str]
) -> list[Problem]:
    """TPL003 for each name ``source`` reads but never defines or imports (a template macro called
    without its import, or a typo); TPL004 for an import without ``with context``."""
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return []
    # Names the sandbox refuses are SEC001 problems already.
    undeclared = meta.find_undeclared_variables(tree) - RENDER_VARIABLES - set(env.globals) - REFUSED_NAMES
    problems = []
    for name in sorted(undeclared):
        line = next(n.lineno for n in tree.find_all(nodes.Name) if n.name == name and n.ctx == "load")
        if name in templates:
            file = templates[name]
            message = (
                f"{name!r} is defined in templates/{file}, which this file does not import: add "
                f"{{%- import '{file}' as <alias> with context %}} and write <alias>.{name}"
            )
        else:
            known = ", ".join(sorted(RENDER_VARIABLES))
            message = f"undefined name {name!r} (a file sees {known}, its own macros and what it imports)"
        problems.append(Problem("TPL003", message, path, line))
    for from_import in tree.find_all(nodes.FromImport):
        message = "call template macros through a namespace: {%- import 'x.sql' as x with context %}"
        problems.append(Problem("TPL004", message, path, from_import.lineno))
    for plain in tree.find_all(nodes.Import):
        if not plain.with_context:
            message = "import templates `with context`, else their macros cannot see window, ctx, param..."
            problems.append(Problem("TPL004", message, path, plain.lineno))
    return problems


def duplicate_macros(env: jinja2.Environment, paths: list[Path]) -> list[Problem]:
    """TPL001 for every macro defined again in another (or the same) template file: a name means
    one thing wherever a reader meets it."""
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
