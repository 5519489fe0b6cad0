"""The tolerant reader: every value that parses is kept, every one that does not is named by line."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from trailhunt.ingest.rawjson import MAX_PROBLEMS, FileError, salvage_file


def _salvage(path: Path, data: bytes) -> tuple[list[object], list[str], int]:
    path.write_bytes(data)
    out = io.StringIO()
    salvage = salvage_file(path, out)
    return [json.loads(line) for line in out.getvalue().splitlines()], salvage.problems, salvage.bad_values


def test_json_lines_name_each_bad_line(tmp_path: Path) -> None:
    lines = [b'{"eventID": "a"}', b"", b"{oops", b'{"eventID": "b"} {"eventID": "c"}', b'["unterminated']
    values, problems, bad = _salvage(tmp_path / "x.jsonl", b"\n".join(lines))
    assert values == [{"eventID": "a"}, {"eventID": "b"}, {"eventID": "c"}]
    assert bad == 2
    assert [p.split(":")[0] for p in problems] == ["invalid JSON at line 3", "invalid JSON at line 5"]


def test_a_pretty_log_object_keeps_the_records_before_a_break(tmp_path: Path) -> None:
    text = json.dumps({"Records": [{"eventID": "a"}, {"eventID": "b"}]}, indent=2)
    cut = text.index('"b"') + 3
    values, problems, bad = _salvage(tmp_path / "x.json.gz", gzip.compress(text[:cut].encode()))
    assert (values, bad) == ([{"eventID": "a"}], 1)
    assert problems[0].startswith("invalid JSON at line 1:") and "lines 1-" in problems[0]


def test_arrays_of_records_and_of_log_objects(tmp_path: Path) -> None:
    data = json.dumps([{"eventID": "a"}, {"Records": [{"eventID": "b"}]}, 3]).encode()
    values, problems, _ = _salvage(tmp_path / "x.json", b"\xef\xbb\xbf" + data)
    assert (values, problems) == ([{"eventID": "a"}, {"eventID": "b"}, 3], [])


def test_problems_are_capped_and_counted(tmp_path: Path) -> None:
    lines = b"\n".join([b'{"eventID": "a"}'] + [b"{"] * (MAX_PROBLEMS + 5))
    values, problems, bad = _salvage(tmp_path / "x.jsonl", lines)
    assert (len(values), bad, len(problems)) == (1, MAX_PROBLEMS + 5, MAX_PROBLEMS + 1)
    assert problems[-1] == "5 more problems of the same kinds, not listed"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x1f\x8b\x08\x00garbage", "corrupt or truncated gzip"),
        (b"{{{", "invalid JSON at line 1"),
    ],
)
def test_nothing_readable_is_a_file_error(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(FileError, match=reason):
        _salvage(tmp_path / "x.json", data)
