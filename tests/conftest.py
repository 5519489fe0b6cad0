"""Shared fixtures: the project, its catalogue and renderer."""

from __future__ import annotations

import pytest

from trailhunt.catalog import Catalog, load_catalog
from trailhunt.project import CHECKOUT_ROOT, Project
from trailhunt.render import Renderer

PROJECT = Project(CHECKOUT_ROOT)
CATALOG = load_catalog(PROJECT)


@pytest.fixture(scope="session")
def project() -> Project:
    return PROJECT


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return CATALOG


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer(PROJECT)
