"""``hunt --engine trino`` against the real server: the same findings as the local DuckDB hunt."""

from __future__ import annotations

import json

from tests.conftest import CATALOG, PROJECT
from trailhunt.cli.main import main
from trailhunt.engines import trino as trino_engine
from trailhunt.hunt import hunt
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer
from trailhunt.render.window import Window, parse_time
from trailhunt.trino_hunt import run_on_trino

FIXTURE = PROJECT.fixtures / "cloudtrail/defense_evasion/stop_logging.json"
WINDOW = Window(parse_time("2024-03-13T00:00:00Z"), parse_time("2024-03-14T00:00:00Z"))


def test_trino_engine_finds_what_duckdb_finds(trino_conn, table) -> None:
    trino_engine.load_records(trino_conn, table, json.loads(FIXTURE.read_text())["Records"])
    renderer = Renderer(PROJECT)
    remote = run_on_trino(renderer, CATALOG.detections, AccountContext(), WINDOW, trino_conn, table)
    local = hunt([FIXTURE], renderer, CATALOG.detections, AccountContext(), WINDOW.start, WINDOW.end)
    assert remote.errors == [] and remote.detections_run == len(CATALOG.detections)
    assert sorted((f.detection.id, f.event_id) for f in remote.findings) == sorted(
        (f.detection.id, f.event_id) for f in local.findings
    )
    assert any(f.detection.id == "cloudtrail_logging_stopped" for f in remote.findings)


def test_cli_trino_engine_reports_and_exits_on_severity(trino_conn, table, trino_address, capsys) -> None:
    trino_engine.load_records(trino_conn, table, json.loads(FIXTURE.read_text())["Records"])
    host, port = trino_address
    args = ["hunt", "--engine", "trino", "--trino-host", host, "--trino-port", str(port), "--trino-catalog",
            "memory", "--table", table, "--layout", "flat", "--since", "2024-03-13T00:00:00Z", "--until",
            "2024-03-14T00:00:00Z", "--format", "json", "--fail-on", "high"]  # fmt: skip
    assert main(args) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "cloudtrail_logging_stopped" in {line["detection_id"] for line in lines}
