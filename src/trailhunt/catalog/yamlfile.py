"""YAML loading that rejects duplicate keys and remembers the line of each top-level key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from trailhunt.problems import Problem, ProblemError

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class _UniqueKeyLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """SafeLoader that refuses a mapping with the same key twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def top_level_lines(text: str) -> dict[str, int]:
    """Line (0-based within ``text``) of each top-level key of a YAML mapping."""
    try:
        node = yaml.compose(text, Loader=_BASE_LOADER)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line for k, _ in node.value}


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse ``text`` (found at ``first_line`` of ``path``); errors name the file and line."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(error, "problem", None) or getattr(error, "context", None) or str(error)
        raise ProblemError([Problem("YAML001", f"invalid YAML: {problem}", path, line)]) from error


def load_yaml_file(path: Path) -> Any:
    """Read and parse a YAML file, naming the file in any error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProblemError([Problem("YAML002", f"cannot read: {error.strerror}", path)]) from error
    return parse_yaml(text, path)
