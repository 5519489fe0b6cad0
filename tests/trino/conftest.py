"""The Trino lane (``pytest tests/trino``): one real Trino server for the whole session.

A server already named by ``TRAILHUNT_TRINO_HOST``/``TRAILHUNT_TRINO_PORT`` (as
``python -m tools.trino_server run -- ...`` sets them) is used as is; otherwise one is started
here and stopped at the end. A server that cannot start fails the lane: nothing is skipped.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tools import trino_server

from trailhunt.engines import trino as trino_engine

if TYPE_CHECKING:
    from trino.dbapi import Connection

_TABLES = itertools.count(1)
# Pinned now, before the suite's ``isolated_cache`` fixture points TRAILHUNT_CACHE at a temporary
# folder: the Trino download (200 MB) and its AOT cache are reused from run to run.
os.environ.setdefault("TRAILHUNT_TRINO_CACHE", str(trino_server.cache_dir()))


@pytest.fixture(scope="session")
def trino_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """Host and port of a running Trino server."""
    if port := os.environ.get("TRAILHUNT_TRINO_PORT"):
        yield os.environ.get("TRAILHUNT_TRINO_HOST", trino_server.HOST), int(port)
        return
    with trino_server.running(tmp_path_factory.mktemp("trino")) as server:
        yield server.host, server.port


@pytest.fixture(scope="session")
def trino_conn(trino_address: tuple[str, int]) -> Connection:
    """A connection to the server's ``memory.default`` schema."""
    return trino_engine.connect(*trino_address)


@pytest.fixture
def table() -> str:
    """A fresh table name for one test."""
    return f"cloudtrail_{next(_TABLES)}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many detection cases gave identical rows on Trino and DuckDB."""
    from tests.trino.test_conformance import OUTCOMES

    if OUTCOMES:
        same = sum(OUTCOMES.values())
        terminalreporter.write_line(f"Trino conformance: {same}/{len(OUTCOMES)} detection cases identical")
        _write_rewrites(terminalreporter)


def _write_rewrites(terminalreporter: pytest.TerminalReporter) -> None:
    """Which detections needed a DuckDB rewrite (fidelity rule) to give Trino's answer, and why."""
    from tests.conftest import CATALOG, PROJECT
    from trailhunt.fidelity.check import rewrites_for
    from trailhunt.render.renderer import Renderer

    renderer = Renderer(PROJECT)
    by_rule: dict[str, list[str]] = {}
    for detection in CATALOG.detections:
        for rewrite in rewrites_for(renderer.render(detection)):
            by_rule.setdefault(rewrite, []).append(detection.id)
    terminalreporter.write_line("DuckDB rewrites needed to match Trino (rule: reason -> detections):")
    for rule, ids in sorted(by_rule.items(), key=lambda item: -len(item[1])):
        terminalreporter.write_line(f"  {rule} -> {len(ids)}: {', '.join(sorted(set(ids)))}")
