"""Finding log files: what is taken, and every left-out thing named with its reason."""

from __future__ import annotations

import os
from pathlib import Path

from trailhunt.ingest.discover import discover


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    return path


def test_only_the_file_name_decides_and_case_does_not_matter(tmp_path: Path) -> None:
    taken = [
        _touch(tmp_path / "CloudTrail-Insight-copies" / "a.JSON"),
        _touch(tmp_path / "b.Json.Gz"),
        _touch(tmp_path / "c.NDJSON"),
    ]
    digest = _touch(tmp_path / "1_CloudTrail-Digest_us-east-1_x.json.gz")
    notes = _touch(tmp_path / "notes.txt")
    _touch(tmp_path / ".DS_Store")
    found = discover([tmp_path])
    assert sorted(found.files) == sorted(taken)
    assert dict(found.skipped) == {
        digest: "digest file (integrity hashes, not events)",
        notes: "not a .json/.json.gz/.jsonl/.ndjson log file",
    }


def test_special_files_and_missing_paths_are_named(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "dangling.json").symlink_to(tmp_path / "gone.json")
    hidden = _touch(tmp_path / ".hidden.txt")
    found = discover([tmp_path, tmp_path / "absent", hidden])
    assert dict(found.skipped) == {
        tmp_path / "pipe.json": "not a regular file",
        tmp_path / "dangling.json": "broken symbolic link",
        tmp_path / "absent": "no such file or folder",
        hidden: "not a .json/.json.gz/.jsonl/.ndjson log file",  # named: the user gave it
    }
    assert found.files == []
