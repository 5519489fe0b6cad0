"""The package's shape: no import circle, few modules at the root, small modules, arrows point down."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "trailhunt"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """Every trailhunt module ``path`` imports, at any depth (functions and TYPE_CHECKING included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found.update(n for n in names if n in MODULES)
    return found


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _package_edges(name: str) -> set[str]:
    """A package's ``__init__`` runs before its modules: importing ``a.b.c`` imports ``a.b``."""
    return {p for p in (name.rsplit(".", i)[0] for i in range(1, name.count("."))) if p in MODULES}


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        own = _package_edges(node + ".x")  # a module's own packages are already importing
        for nxt in sorted((GRAPH[node] | {e for t in GRAPH[node] for e in _package_edges(t)}) - own - {node}):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for name in sorted(GRAPH):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_no_import_circle_between_trailhunt_modules() -> None:
    assert _cycle() is None, " -> ".join(_cycle() or [])


def test_the_cycle_finder_finds_a_planted_circle(monkeypatch: pytest.MonkeyPatch) -> None:
    planted = {**GRAPH, "trailhunt.problems": GRAPH["trailhunt.problems"] | {"trailhunt.hunt"}}
    monkeypatch.setattr(f"{__name__}.GRAPH", planted)
    assert _cycle() is not None


def test_at_most_fifteen_modules_at_the_package_root() -> None:
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= 15, root


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_400_lines(name: str) -> None:
    assert len(MODULES[name].read_text(encoding="utf-8").splitlines()) <= 400


def test_the_cli_is_thin() -> None:
    """Parsing and dispatch only: about 30 lines a verb for the 11 verbs (list, render, hunt, validate,
    test, coverage, new, ddl, export sql/eventbridge/cloudformation), none of its modules over 130."""
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (PACKAGE / "cli").glob("*.py")}
    assert sum(sizes.values()) <= 350 and max(sizes.values()) <= 130, sizes


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("trailhunt.engines", "trailhunt.hunt"),
        ("trailhunt.engines", "trailhunt.report"),
        ("trailhunt.hunt", "trailhunt.report"),
        ("trailhunt.baseline", "trailhunt.report"),
        ("trailhunt.render", "trailhunt.engines"),
        ("trailhunt", "trailhunt.cli"),
    ],
)
def test_arrows_point_down(lower: str, upper: str) -> None:
    """Nothing in ``lower`` imports ``upper`` (the CLI is imported by nothing but itself)."""
    offenders = [
        (name, target)
        for name, targets in GRAPH.items()
        if (name == lower or name.startswith(lower + "."))
        and not (name == upper or name.startswith(upper + "."))
        and name != "trailhunt.__main__"
        for target in targets
        if target == upper or target.startswith(upper + ".")
    ]
    assert offenders == []


def test_tooling_is_not_in_the_installed_package() -> None:
    assert not (PACKAGE / "synth").exists()
    assert not (PACKAGE / "trino_server.py").exists()
