"""Shared fixtures: the project, its catalogue and renderer."""

from __future__ import annotations

import pytest

from trailhunt.catalog.catalog import Catalog, load_catalog
from trailhunt.catalog.project import CHECKOUT_ROOT, Project
from trailhunt.render.renderer import Renderer

PROJECT = Project(CHECKOUT_ROOT)
CATALOG = load_catalog(PROJECT)


@pytest.fixture(autouse=True, scope="session")
def isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the parquet cache of test hunts out of the user's home."""
    import os

    os.environ["TRAILHUNT_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def project() -> Project:
    return PROJECT


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return CATALOG


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer(PROJECT)


def run_athena_sql(con, sql: str) -> list[dict]:
    """Run Athena SQL on DuckDB, writes included: the production pipeline's own INSERTs (staging copy,
    history summary), checked here for their semantics. Detections go through
    ``engines.duckdb.query``, which refuses anything but one SELECT."""
    from trailhunt.fidelity.transpile import to_duckdb

    cursor = con.execute(to_duckdb(sql, "pipeline"))
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
