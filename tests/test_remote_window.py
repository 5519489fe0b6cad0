"""A remote hunt's window (``Workspace.remote_window``) and what it makes every remote engine read:
the context's ``account_ids`` and ``--regions`` partitions and the window's days, as scheduled
queries do. Athena's side, through moto, is in ``test_athena_engine``; here Trino's client is a
recording stand-in (the real cluster runs in the Trino lane), so the test sees the exact text sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import CATALOG
from trailhunt.cli import main
from trailhunt.problems import UsageError
from trailhunt.render.context import AccountContext
from trailhunt.workspace import Workspace

ORG = ["111122223333", "444455556666"]
UNTIL = datetime(2024, 3, 12, 9, 30, tzinfo=UTC)


class RecordingCursor:
    """A Trino DB-API cursor that records each statement and returns no rows."""

    def __init__(self, sent: list[str]) -> None:
        self.sent, self.stats, self.description, self.query_id = sent, {}, None, "q"

    def execute(self, sql: str) -> None:
        self.sent.append(sql)

    def fetchall(self) -> list[Any]:
        return []


class RecordingConnection:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def cursor(self) -> RecordingCursor:
        return RecordingCursor(self.sent)

    def close(self) -> None:
        pass


def workspace(accounts: list[str]) -> Workspace:
    opened = Workspace.open()
    return Workspace(opened.project, opened.catalog, opened.renderer, AccountContext(account_ids=accounts))


def test_the_remote_window_carries_the_context_accounts_and_the_regions_given() -> None:
    window = workspace(ORG).remote_window(timedelta(hours=6), UNTIL, "projection", ("eu-west-1",))
    assert (window.start, window.end) == (UNTIL - timedelta(hours=6), UNTIL)
    assert window.accounts == tuple(ORG) and window.regions == ("eu-west-1",)
    default = workspace([]).remote_window(None, None, "manual", now=UNTIL)
    assert (default.start, default.end, default.accounts, default.regions) == (UNTIL - timedelta(hours=24), UNTIL, (), ())  # fmt: skip
    with pytest.raises(UsageError, match="not before --until"):
        workspace(ORG).remote_window(UNTIL, UNTIL - timedelta(hours=1), "projection")


def test_a_trino_hunt_prunes_on_the_context_accounts_regions_and_days(monkeypatch, tmp_path, capsys) -> None:
    connection = RecordingConnection()
    monkeypatch.setattr("trailhunt.engines.trino.connect", lambda *args: connection)
    context = tmp_path / "org.yaml"
    context.write_text(f"name: org\naccount_ids: {ORG}\n", encoding="utf-8")
    args = ["hunt", "--engine", "trino", "--context", str(context), "--regions", "us-east-1,eu-west-1",
            "--since", "2024-03-11T09:30:00Z", "--until", "2024-03-12T09:30:00Z", "--detection", CATALOG.detections[0].id,
            "--output", str(tmp_path / "report.md")]  # fmt: skip
    assert main(args) == 0, capsys.readouterr().err
    assert len(connection.sent) == 2  # the baseline and the detection
    for sql in connection.sent:
        assert "account IN ('111122223333', '444455556666')" in sql
        assert "region IN ('us-east-1', 'eu-west-1')" in sql
        assert "\"timestamp\" BETWEEN '2024/03/11' AND '2024/03/12'" in sql
    assert "2 queries" in capsys.readouterr().err and (tmp_path / "report.md").is_file()
