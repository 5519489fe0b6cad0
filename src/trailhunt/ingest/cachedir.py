"""Where trailhunt keeps caches: ``$TRAILHUNT_CACHE`` or ``~/.cache/trailhunt``, one folder per kind."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    """The cache folder for ``kind`` (``parquet``, ``duckdb-sql``), not created."""
    base = os.environ.get("TRAILHUNT_CACHE") or Path.home() / ".cache" / "trailhunt"
    return Path(base) / kind
