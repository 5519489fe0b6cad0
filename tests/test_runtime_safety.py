"""SELECT-only at run time and a locked-down DuckDB: a detection that writes, drops, copies, sets or
attaches is refused for itself while the others (a real StopLogging finding) still come out."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT
from trailhunt.catalog.catalog import load_catalog
from trailhunt.catalog.project import Project
from trailhunt.cli import main
from trailhunt.engines.duckdb import DuckDBEngine
from trailhunt.hunt import hunt
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer

REAL = PROJECT.detections / "defense-evasion" / "cloudtrail_logging_stopped.sql"
LOGS = PROJECT.fixtures / "cloudtrail/defense_evasion/stop_logging.json"
BODIES = {
    "delete": "DELETE FROM {{ cloudtrail }}",
    "drop": "DROP TABLE cloudtrail",
    "cte_insert": "WITH x AS (SELECT * FROM {{ cloudtrail }}) INSERT INTO cloudtrail SELECT * FROM x",
    "copy": "COPY cloudtrail TO '{target}'",
    "set": "SET enable_external_access = true",
    "attach": "ATTACH '{target}' AS other",
    "two": "SELECT 1 AS x; DROP TABLE cloudtrail",
}


def _project(tmp_path: Path, name: str, body: str) -> Project:
    root = tmp_path / "project"
    shutil.copytree(PROJECT.templates, root / "templates")
    shutil.copytree(PROJECT.fixtures, root / "fixtures")
    (root / "detections" / "defense-evasion").mkdir(parents=True)
    shutil.copy(REAL, root / "detections" / "defense-evasion" / REAL.name)
    header = REAL.read_text().split("-#}", 1)[0].replace("id: cloudtrail_logging_stopped", f"id: evil_{name}")
    (root / "detections" / "defense-evasion" / f"evil_{name}.sql").write_text(f"{header}-#}}\n{body}\n")
    return Project(root)


@pytest.mark.parametrize("name", sorted(BODIES))
def test_a_statement_that_is_not_one_select_is_refused_and_the_real_finding_still_comes_out(
    tmp_path: Path, name: str
) -> None:
    target = tmp_path / "written.out"
    project = _project(tmp_path, name, BODIES[name].replace("{target}", str(target)))
    detections = load_catalog(project).detections
    result = hunt([LOGS], Renderer(project), detections, AccountContext(), use_cache=False)
    errors = dict(result.errors)
    assert set(errors) == {f"evil_{name}"}
    assert errors[f"evil_{name}"].startswith("REFUSED: refused: ")
    assert [f.event_name for f in result.findings] == ["StopLogging"]
    assert not target.exists()
    assert result.baseline is not None and result.baseline.total_events == 2  # the evidence is intact


def test_refused_statements_never_reach_athena_text_checks() -> None:
    from trailhunt.engines.base import NotSelectError, ensure_select

    ensure_select("WITH a AS (SELECT 1 AS x) SELECT x FROM a UNION ALL SELECT 2", "athena")
    for text in [
        "DELETE FROM cloudtrail",
        "DROP TABLE cloudtrail",
        "COPY cloudtrail TO 's3://x'",
        "SELECT 1; SELECT 2",
    ]:
        with pytest.raises(NotSelectError):
            ensure_select(text, "athena")


def test_the_duckdb_connection_cannot_read_or_write_files_once_loaded(tmp_path: Path) -> None:
    engine, _ = DuckDBEngine.load([LOGS], use_cache=False)
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    try:
        with pytest.raises(duckdb.Error, match=r"disabled|locked|[Pp]ermission"):
            engine.con.execute(f"SELECT * FROM read_csv('{secret}')")
        with pytest.raises(duckdb.Error):
            engine.con.execute(f"COPY cloudtrail TO '{tmp_path / 'out.csv'}'")
        with pytest.raises(duckdb.Error, match="lock"):
            engine.con.execute("SET enable_external_access = true")
        # a file-reading SELECT (what a translation bug could produce) fails as a query, never reads,
        # on every cursor detections run on (each run takes the one idle longest)
        assert engine.concurrency == 2
        for n in range(engine.concurrency):
            outcome = engine.run(f"SELECT * FROM read_csv('{secret}')", f"reader{n}")
            assert outcome.state in ("FAILED", "ERROR") and outcome.rows == []
            assert engine.run("SELECT count(*) AS n FROM cloudtrail", "count").rows == [{"n": 2}]
            outcome = engine.run("SET enable_external_access = true", f"set{n}")
            assert outcome.state == "REFUSED"
    finally:
        engine.close()
    assert not (tmp_path / "out.csv").exists()


def test_a_cached_hunt_reads_its_own_segments_and_no_other_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path / "cache"))
    DuckDBEngine.load([LOGS])[0].close()  # fills the cache
    engine, report = DuckDBEngine.load([LOGS])
    [segment] = (tmp_path / "cache" / "parquet").glob("seg-*.parquet")
    assert report.from_cache and engine.links
    [link] = engine.links.paths
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    try:
        assert engine.run("SELECT count(*) AS n FROM cloudtrail", "count").rows == [{"n": 2}]
        for reader in (
            f"read_csv('{secret}')",
            f"read_parquet('{segment}')",
            f"read_text('{segment.with_suffix('.json')}')",
        ):
            with pytest.raises(duckdb.Error, match=r"disabled|[Pp]ermission"):
                engine.con.execute(f"SELECT * FROM {reader}")
        with pytest.raises(duckdb.Error):
            engine.con.execute(f"COPY cloudtrail TO '{tmp_path / 'out.csv'}'")
        # the one file it may read is read-only; as root it is writable, but the next hunt checks it
        with contextlib.suppress(duckdb.Error):
            engine.con.execute(f"COPY (SELECT 1 AS a) TO '{link}' (FORMAT parquet, USE_TMP_FILE false)")
    finally:
        engine.close()
    assert not link.parent.exists() and not (tmp_path / "out.csv").exists()
    engine, report = DuckDBEngine.load([LOGS])
    try:
        assert engine.run("SELECT count(*) AS n FROM cloudtrail", "count").rows == [{"n": 2}]
    finally:
        engine.close()
    assert report.from_cache is (os.getuid() != 0)  # a written segment is discarded and parsed again


def test_trailhunt_test_refuses_a_non_select_detection_in_one_line(tmp_path: Path, capsys) -> None:
    project = _project(tmp_path, "drop", BODIES["drop"])
    assert main(["test", "--project", str(project.root), "evil_drop"]) == 1
    out = capsys.readouterr().out
    assert "refused" in out and "Traceback" not in out


def test_a_tampered_translation_is_checked_again_before_it_runs(tmp_path: Path, monkeypatch) -> None:
    """A translation cache entry replaced by a COPY (issue 13) is refused, not run."""
    import trailhunt.engines.duckdb as duckdb_module

    target = tmp_path / "copied.csv"
    monkeypatch.setattr(duckdb_module, "to_duckdb", lambda sql, origin: f"COPY cloudtrail TO '{target}'")
    engine, _ = DuckDBEngine.load([LOGS], use_cache=False)
    try:
        outcome = engine.run("SELECT eventname FROM cloudtrail", "tampered")
    finally:
        engine.close()
    assert outcome.state == "REFUSED" and "COPY" in (outcome.reason or "")
    assert not target.exists()


@pytest.mark.parametrize(
    "text",
    [
        "WITH gone AS (DELETE FROM cloudtrail RETURNING *) SELECT * FROM gone",
        "SELECT * FROM (WITH x AS (UPDATE cloudtrail SET eventname = 'x' RETURNING 1) SELECT * FROM x)",
        "WITH x AS (INSERT INTO cloudtrail BY NAME SELECT * FROM cloudtrail RETURNING 1) SELECT 1",
    ],
)
def test_a_write_inside_a_select_is_refused_and_the_table_is_intact(
    tmp_path: Path, monkeypatch, text
) -> None:
    """DuckDB runs data-modifying CTEs inside a SELECT statement: the check looks at every query node."""
    import trailhunt.engines.duckdb as duckdb_module

    monkeypatch.setattr(duckdb_module, "to_duckdb", lambda sql, origin: text)
    engine, _ = DuckDBEngine.load([LOGS], use_cache=False)
    try:
        outcome = engine.run("SELECT eventname FROM cloudtrail", "tampered")
        (count,) = engine.con.execute("SELECT count(*) FROM cloudtrail").fetchone() or (0,)
    finally:
        engine.close()
    assert outcome.state == "REFUSED" and "inside the query" in (outcome.reason or "")
    assert count == 2


def test_the_duckdb_check_passes_every_catalogue_query_shape() -> None:
    from trailhunt.engines.duckdb import connect, ensure_duckdb_select

    con = connect()
    ensure_duckdb_select(con, "WITH a AS (SELECT 1 AS x) SELECT x FROM a UNION ALL SELECT 2")
    ensure_duckdb_select(
        con, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r"
    )
