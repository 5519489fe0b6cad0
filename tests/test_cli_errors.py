"""Every user error is one line on stderr with exit 2, never a traceback (``--debug`` shows it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from trailhunt import __version__
from trailhunt.cli import main

LOGS = PROJECT.fixtures / "cloudtrail/defense_evasion/stop_logging.json"


def _one_line_error(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err and all(w in err for w in words), err
    return err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["hunt", "/does-not-exist"], ["/does-not-exist", "no such file"]),
        (["validate", "--project", "/nowhere"], ["/nowhere", "detections/"]),
        (
            ["hunt", str(LOGS), "--since", "2025-01-01T00:00:00Z", "--until", "2024-01-01T00:00:00Z"],
            ["not before"],
        ),
        (["hunt", str(LOGS), "--output", "/no/such/folder/report.md"], ["/no/such/folder", "does not exist"]),
        (["hunt", str(LOGS), "--memory-limit", "abc"], ["--memory-limit abc"]),
        (["hunt", str(LOGS), "--detection", "no_such_detection"], ["no_such_detection"]),
        (["render", "no_such_detection"], ["no_such_detection", "trailhunt list"]),
        (["hunt", str(LOGS), "--context", "/no/context.yaml"], ["/no/context.yaml"]),
    ],
)
def test_user_errors_exit_2_with_one_line(argv: list[str], words: list[str], capsys) -> None:
    assert main(argv) == 2
    _one_line_error(capsys, "trailhunt:", *words)


def test_a_folder_without_logs_is_an_input_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    assert main(["hunt", str(tmp_path)]) == 2
    _one_line_error(capsys, "no CloudTrail logs found", str(tmp_path))


def test_output_into_a_missing_folder_is_refused_before_the_hunt(monkeypatch, capsys) -> None:
    import trailhunt.workspace

    def no_hunt(*_args, **_kwargs):
        raise AssertionError("the hunt ran")

    monkeypatch.setattr(trailhunt.workspace, "hunt", no_hunt)
    assert main(["hunt", str(LOGS), "--output", "/missing/r.md"]) == 2
    _one_line_error(capsys, "/missing")


def test_nothing_to_test_is_an_input_error(tmp_path: Path, capsys) -> None:
    shutil.copytree(PROJECT.templates, tmp_path / "templates")
    (tmp_path / "detections").mkdir()
    assert main(["test", "--project", str(tmp_path)]) == 2
    _one_line_error(capsys, "nothing to test")


def test_a_misspelt_column_fails_its_test_case_in_one_line(tmp_path: Path, capsys) -> None:
    for folder in ("templates", "fixtures"):
        shutil.copytree(getattr(PROJECT, folder), tmp_path / folder)
    real = PROJECT.detections / "defense-evasion" / "cloudtrail_logging_stopped.sql"
    (tmp_path / "detections" / "defense-evasion").mkdir(parents=True)
    broken = real.read_text().replace("AND eventsource = ", "AND eventsourc = ")
    assert broken != real.read_text()
    (tmp_path / "detections" / "defense-evasion" / real.name).write_text(broken)
    assert main(["test", "--project", str(tmp_path), "cloudtrail_logging_stopped"]) == 1
    out = capsys.readouterr().out
    failures = [line for line in out.splitlines() if "query failed" in line]
    assert failures and all("eventsourc" in line for line in failures) and "Traceback" not in out


def test_argparse_messages_name_no_internals(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "COMMAND" in err and "verb" not in err
    with pytest.raises(SystemExit):
        main(["hunt", str(LOGS), "--since", "yesterday"])
    err = capsys.readouterr().err
    assert "argument --since: 'yesterday' is neither a duration" in err and "since_value" not in err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and capsys.readouterr().out.strip() == f"trailhunt {__version__}"


def test_debug_shows_the_traceback(capsys) -> None:
    assert main(["--debug", "hunt", "/does-not-exist"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_an_internal_error_exits_3_in_one_line(monkeypatch, capsys) -> None:
    import trailhunt.cli.commands as cli_main

    def boom(_args):
        raise RuntimeError("unexpected")

    monkeypatch.setitem(cli_main.COMMANDS, "list", boom)
    assert main(["list"]) == 3
    _one_line_error(capsys, "internal error", "--debug")


@pytest.mark.parametrize(("engine", "module", "extra"), [("athena", "pyathena", "trailhunt[athena]"), ("trino", "trino", "trailhunt[trino]")])  # fmt: skip
def test_a_missing_engine_extra_names_what_to_install(engine, module, extra, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` raise ImportError
    assert main(["hunt", "--engine", engine, "--database", "security", "--since", "1h"]) == 2
    _one_line_error(capsys, f"pip install '{extra}'")


def test_list_into_a_closed_pipe_is_not_an_error() -> None:
    command = f"{sys.executable} -m trailhunt list | head -1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, check=False
    )
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cached", "no-cache"])
def test_running_out_of_memory_while_loading_blames_the_limit_not_the_files(cache, tmp_path, monkeypatch, capsys) -> None:  # fmt: skip
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path))
    assert main(["hunt", str(PROJECT.fixtures / "demo"), "--memory-limit", "20MB", *cache]) == 2
    _one_line_error(capsys, "LOAD001", "out of memory", "20MB", "raise --memory-limit")
