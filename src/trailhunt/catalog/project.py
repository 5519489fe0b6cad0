"""Where a trailhunt project's detections, templates and fixtures live.

The packaged catalogue runs unless a project is named (``--project DIR`` or ``$TRAILHUNT_HOME``): a
folder's detections and templates are code, so they never run just because the working directory
holds them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CHECKOUT_ROOT = Path(__file__).resolve().parents[3]
BUNDLED_ROOT = Path(__file__).resolve().parents[1] / "_project"  # detections/templates in a wheel


@dataclass(frozen=True)
class Project:
    """A folder holding ``detections/``, ``templates/`` and ``fixtures/``."""

    root: Path
    origin: str = "named"  # "packaged", "--project", "TRAILHUNT_HOME", or "named" (built in code)

    @property
    def detections(self) -> Path:
        """Detection files, one folder per ATT&CK tactic."""
        return self.root / "detections"

    @property
    def templates(self) -> Path:
        """Jinja macros shared by every detection."""
        return self.root / "templates"

    @property
    def fixtures(self) -> Path:
        """CloudTrail fixtures and account contexts used by detection tests."""
        return self.root / "fixtures"

    @property
    def description(self) -> str:
        """Which catalogue this is, for report headers: ``packaged (<root>)`` or the named folder."""
        if self.origin == "packaged":
            return f"packaged ({self.root})"
        if self.origin == "named":
            return f"project {self.root}"
        return f"project {self.root} (named by {self.origin})"

    @classmethod
    def locate(cls, explicit: Path | None = None) -> Project:
        """``explicit`` (``--project``), else ``$TRAILHUNT_HOME``, else the packaged catalogue: the
        checkout trailhunt runs from in a development install, else the one bundled in the wheel.
        Never the working directory."""
        if explicit is not None:
            return cls(explicit.resolve(), "--project")
        if env := os.environ.get("TRAILHUNT_HOME"):
            return cls(Path(env).resolve(), "TRAILHUNT_HOME")
        return cls(packaged_root(), "packaged")


def packaged_root() -> Path:
    """The catalogue trailhunt ships: the source checkout's in a development install, else the wheel's."""
    return CHECKOUT_ROOT if (CHECKOUT_ROOT / "detections").is_dir() else BUNDLED_ROOT
