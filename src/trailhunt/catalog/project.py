"""Where a trailhunt project's detections, templates and fixtures live."""

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

    @classmethod
    def locate(cls, explicit: Path | None = None) -> Project:
        """``explicit``, else ``$TRAILHUNT_HOME``, else the working folder if it has detections,
        else the checkout trailhunt runs from, else the catalogue bundled in the wheel."""
        if explicit is not None:
            return cls(explicit.resolve())
        if env := os.environ.get("TRAILHUNT_HOME"):
            return cls(Path(env).resolve())
        cwd = Path.cwd()
        if (cwd / "detections").is_dir() and (cwd / "templates").is_dir():
            return cls(cwd)
        if (CHECKOUT_ROOT / "detections").is_dir():
            return cls(CHECKOUT_ROOT)
        return cls(BUNDLED_ROOT)
