"""``param('x')``: the one way detections and templates read a detection parameter.

``{{ param('x') }}`` writes the value as a SQL literal (``param_list`` writes a list parameter as
an IN list), so a configured value is quoted, never spliced. ``param('x').value`` is the plain value, for Jinja logic
and for macros that compute with it (``time_bucket(param('window_minutes').value)``). An unknown
name raises, naming the parameter and the ones that exist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from trailhunt.catalog.detection import ParameterValue
from trailhunt.render import sqltext


@dataclass(frozen=True)
class Parameter:
    """One detection parameter; prints as its SQL literal."""

    name: str
    value: ParameterValue

    def __str__(self) -> str:
        return sqltext.literal(self.value)


def accessor(parameters: Mapping[str, ParameterValue]) -> Callable[[str], Parameter]:
    """The ``param`` function templates see for one render's merged ``parameters``."""

    def param(name: str) -> Parameter:
        if name not in parameters:
            known = ", ".join(sorted(parameters)) or "none"
            raise KeyError(f"unknown parameter {name!r} (this detection has: {known})")
        return Parameter(name, parameters[name])

    return param
