"""``hunt --engine trino`` against the real server: the same loop and report as the local DuckDB hunt."""

from __future__ import annotations

import json

from tests.conftest import CATALOG, PROJECT
from trailhunt.cli import main
from trailhunt.engines import trino as trino_engine
from trailhunt.engines.trino import TrinoEngine
from trailhunt.hunt import hunt, run_hunt
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer
from trailhunt.render.window import Window, parse_time
from trailhunt.report.build import build_report
from trailhunt.report.render_markdown import render_markdown

FIXTURE = PROJECT.fixtures / "cloudtrail/defense_evasion/stop_logging.json"
WINDOW = Window(parse_time("2024-03-13T00:00:00Z"), parse_time("2024-03-14T00:00:00Z"))


def _sections(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("#")]


def test_trino_engine_gives_the_report_duckdb_gives(trino_conn, table) -> None:
    trino_engine.load_records(trino_conn, table, json.loads(FIXTURE.read_text())["Records"])
    renderer = Renderer(PROJECT)
    remote = run_hunt(TrinoEngine(trino_conn, table), renderer, CATALOG.detections, AccountContext(), WINDOW)
    local = hunt([FIXTURE], renderer, CATALOG.detections, AccountContext(), WINDOW.start, WINDOW.end)
    assert remote.errors == [] and remote.detections_run == len(CATALOG.detections)
    assert sorted((f.detection.id, f.event_id) for f in remote.findings) == sorted(
        (f.detection.id, f.event_id) for f in local.findings
    )
    assert any(f.detection.id == "cloudtrail_logging_stopped" for f in remote.findings)
    assert remote.baseline is not None and local.baseline is not None
    assert remote.baseline.classes == local.baseline.classes
    assert remote.queries[0].label == "baseline" and remote.bytes_scanned > 0
    remote_md = render_markdown(build_report(remote, renderer))
    assert _sections(remote_md) == _sections(render_markdown(build_report(local, renderer)))


def test_trino_engine_refuses_what_is_not_a_select(trino_conn, table) -> None:
    trino_engine.load_records(trino_conn, table, json.loads(FIXTURE.read_text())["Records"])
    outcome = TrinoEngine(trino_conn, table).run(f"DROP TABLE {table}", "evil")
    assert outcome.state == "REFUSED"
    assert trino_engine.query(trino_conn, f"SELECT count(*) AS n FROM {table}") == [{"n": 2}]  # still there


def test_cli_trino_engine_reports_and_exits_on_severity(trino_conn, table, trino_address, capsys) -> None:
    trino_engine.load_records(trino_conn, table, json.loads(FIXTURE.read_text())["Records"])
    host, port = trino_address
    args = ["hunt", "--engine", "trino", "--trino-host", host, "--trino-port", str(port), "--trino-catalog",
            "memory", "--table", table, "--layout", "flat", "--since", "2024-03-13T00:00:00Z", "--until",
            "2024-03-14T00:00:00Z", "--format", "json", "--fail-on", "high"]  # fmt: skip
    assert main(args) == 1
    document = json.loads(capsys.readouterr().out)
    assert "cloudtrail_logging_stopped" in {finding["detection_id"] for finding in document["findings"]}
