"""A bad-input corpus, generated at test time: one bad file beside good ones must not cost anything.

Each case writes its files beside good events and a real StopLogging (Stratus Red Team's
``cloudtrail-stop`` recording, tests/data/stratus). Every case asserts: the hunt ends without an
exception or a failed detection, the bad file is named with a reason, the good events beside it are
all loaded, every event is accounted for (in = loaded + duplicates + rejected) and the real
detection finds the StopLogging exactly once.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from tests.conftest import CATALOG
from tests.test_ingest import RECORD
from trailhunt.engines.duckdb import connect
from trailhunt.hunt import hunt
from trailhunt.ingest.cache import load_cached, open_links
from trailhunt.ingest.load_report import LoadReport
from trailhunt.render.context import load_context
from trailhunt.render.renderer import Renderer

STRATUS = Path(__file__).parent / "data" / "stratus"
STOP = STRATUS / "aws.defense-evasion.cloudtrail-stop.json"
GOOD_IDS = {"good-1", "good-2", "good-3"}


def rec(event_id: str, **fields: object) -> dict:
    """A good record with its own eventID (and any field overridden)."""
    return {**RECORD, "eventID": event_id, **fields}


def log(*records: object) -> bytes:
    return json.dumps({"Records": list(records)}).encode()


@dataclass
class Case:
    """Files to write (name -> bytes), what must be named, and the events that must load."""

    files: dict[str, bytes]
    named: set[str] = field(default_factory=set)  # file names the report must name
    loaded: set[str] = field(default_factory=set)  # eventIDs (beyond the good ones) that must load
    check: Callable[[LoadReport], None] | None = None


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


CASES: dict[str, Case] = {
    "record without readOnly (eventVersion 1.04)": Case(
        {"old.json": log({k: v for k, v in rec("old-1", eventVersion="1.04").items() if k != "readOnly"})},
        loaded={"old-1"},
    ),
    "every eventTime spelling": Case(
        {
            "times.json": log(
                rec("t-z", eventTime="2024-03-11T00:00:05Z"),
                rec("t-offset", eventTime="2024-03-11T00:00:06+00:00"),
                rec("t-fraction", eventTime="2024-03-11T00:00:07.123Z"),
                rec("t-space", eventTime="2024-03-11 00:00:08"),
                rec("t-lower", eventTime="2024-03-11t00:00:09z"),
                rec("t-word", eventTime="yesterday"),
                rec("t-epoch", eventTime=1710115201),
                rec("t-dots", eventTime="..."),
            )
        },
        loaded={"t-z", "t-offset", "t-fraction", "t-space", "t-lower", "t-word", "t-epoch", "t-dots"},
        check=lambda report: _untimed(report, 3),
    ),
    "non-object records": Case(
        {"phantoms.json": log(1, "a", None, rec("real-1"))}, {"phantoms.json"}, {"real-1"}
    ),
    "JSON lines with a bad line": Case(
        {
            "export.jsonl": b"\n".join(
                [json.dumps(rec("l-1")).encode(), b'{"eventID": ', json.dumps(rec("l-3")).encode()]
            )
        },
        {"export.jsonl"},
        {"l-1", "l-3"},
    ),
    "invalid UTF-8": Case(
        {"bytes.json": log(rec("u-1")).replace(b'"b"', b'"b\xff\xfe"')}, {"bytes.json"}, {"u-1"}
    ),
    "gzip named .json": Case({"zipped.json": gzip.compress(log(rec("gz-1")))}, loaded={"gz-1"}),
    "glob characters in names": Case(
        {
            "x[ab].json": log(rec("glob-brackets")),
            "xa.json": log(rec("glob-xa")),
            "a*.json": log(rec("glob-star")),
            "ab.json": log(rec("glob-ab")),
            "?.json": log(rec("glob-question")),
        },
        loaded={"glob-brackets", "glob-xa", "glob-star", "glob-ab", "glob-question"},
        check=lambda report: _no_duplicates(report),
    ),
    "upper-case extension": Case(
        {"LOUD.JSON": log(rec("upper-1")), "B.Json.GZ": gzip.compress(log(rec("upper-2")))},
        loaded={"upper-1", "upper-2"},
    ),
    "digest and Insights files": Case(
        {
            "111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240311T000000Z.json.gz": gzip.compress(
                b'{"digestStartTime": "x"}'
            ),
            "111122223333_CloudTrail-Insight_us-east-1_20240311T0000Z_x.json.gz": gzip.compress(
                b'{"Records": []}'
            ),
            "CloudTrail-Insight-exports/real.json": log(rec("under-insight-folder")),
        },
        {
            "111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240311T000000Z.json.gz",
            "111122223333_CloudTrail-Insight_us-east-1_20240311T0000Z_x.json.gz",
        },
        {"under-insight-folder"},
    ),
    "corrupt gzip": Case({"corrupt.json.gz": b"\x1f\x8b\x08\x00" + b"\x00garbage" * 20}, {"corrupt.json.gz"}),
    "truncated gzip": Case({"cut.json.gz": gzip.compress(log(rec("lost-1")))[:25]}, {"cut.json.gz"}),
    "truncated JSON": Case({"cut.json": log(rec("lost-2"))[:-20]}, {"cut.json"}),
    "zero-byte file": Case({"empty.json": b""}, {"empty.json"}),
    "non-CloudTrail JSON": Case(
        {"package.json": b'{"name": "left-pad", "version": "1.3.0"}'}, {"package.json"}
    ),
    "10k-deep nesting": Case(
        {
            "deep.json": (
                '{"Records": ['
                + json.dumps(rec("deep-1"))[:-1]
                + ', "requestParameters": '
                + _deep(10_000)
                + "}]}"
            ).encode()
        },
        loaded={"deep-1"},
    ),
    "10k-deep nesting in a broken JSON lines file": Case(
        {
            "deep.jsonl": b"\n".join(
                [
                    json.dumps(rec("dl-1")).encode(),
                    _deep(10_000).encode(),
                    b"{",
                    json.dumps(rec("dl-2")).encode(),
                ]
            )
        },
        {"deep.jsonl"},
        {"dl-1", "dl-2"},
    ),
    "5 MB strings": Case(
        {"big.json": log(rec("big-1", userAgent="A" * 5_000_000, requestParameters={"k": "é" * 2_500_000}))},
        loaded={"big-1"},
    ),
    "byte order mark": Case({"bom.json": b"\xef\xbb\xbf" + log(rec("bom-1"))}, loaded={"bom-1"}),
    "NaN and Infinity": Case(
        {
            "nan.json": b'{"Records": ['
            + json.dumps(rec("nan-1"))[:-1].encode()
            + b', "eventTime": NaN, "apiVersion": Infinity}]}'
        },
        loaded={"nan-1"},
    ),
    "concatenated documents": Case(
        {"two.json": log(rec("cat-1")) + log(rec("cat-2")) + b"\n" + log(rec("cat-3"))},
        loaded={"cat-1", "cat-2", "cat-3"},
    ),
    "duplicates across files": Case(
        {"copy-of-stop.json": STOP.read_bytes(), "again.json": log(rec("good-1"), rec("dup-new"))},
        loaded={"dup-new"},
        check=lambda report: _duplicates(report, 2),
    ),
}


def _untimed(report: LoadReport, expected: int) -> None:
    assert report.untimed == expected


def _no_duplicates(report: LoadReport) -> None:
    assert report.duplicates == 0


def _duplicates(report: LoadReport, expected: int) -> None:
    assert report.duplicates == expected


def _write_case(folder: Path, case: Case) -> None:
    (folder / "good.json.gz").write_bytes(gzip.compress(log(*(rec(i) for i in sorted(GOOD_IDS)))))
    shutil.copy(STOP, folder / "stratus-stop.json")
    for name, data in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def assert_invariants(folder: Path, named: set[str], loaded: set[str], *, good: bool = True) -> LoadReport:
    """Load ``folder``, check the accounting and the events, then hunt it for the StopLogging."""
    con = connect()
    report = load_cached(con, [folder], None)
    assert report.balanced(), report.summary()
    named_now = {Path(what).name for what, _ in report.named_problems(skipped_per_reason=1000)}
    assert named <= named_now, report.summary()
    ids = {row[0] for row in con.execute("SELECT eventid FROM cloudtrail").fetchall()}
    assert (GOOD_IDS if good else set()) | loaded <= ids
    assert con.execute("SELECT count(*) FROM cloudtrail").fetchone() == (report.events,)
    _same_through_the_cache(folder, report, _rows(con))
    result = hunt(
        [folder], Renderer(CATALOG.project), [CATALOG.get("cloudtrail_logging_stopped")], load_context(None)
    )
    assert result.errors == []
    assert [f.event_name for f in result.findings] == ["StopLogging"]
    return report


def _rows(con: duckdb.DuckDBPyConnection) -> list[str]:
    return sorted(str(row) for row in con.execute("SELECT * FROM cloudtrail").fetchall())


def _accounting(report: LoadReport) -> tuple[object, ...]:
    return (report.events_in, report.events, report.duplicates, report.rejected_events, report.untimed,
            sorted(report.rejected), sorted(report.problems), sorted(report.skipped))  # fmt: skip


def _same_through_the_cache(folder: Path, report: LoadReport, rows: list[str]) -> None:
    """A cold load through an empty cache (fresh files parsed straight into segments, or through
    the table when one needs the tolerant reader), then a load from it, give what the table gave."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setenv("TRAILHUNT_CACHE", str(folder.parent / f"{folder.name}-cache"))
        for _ in ("cold", "cached"):
            con, links = connect(), open_links()
            try:
                cached = load_cached(con, [folder], links)
                assert _accounting(cached) == _accounting(report)
                assert _rows(con) == rows
            finally:
                con.close()
                links.close()
        assert not list((folder.parent / f"{folder.name}-cache").rglob(".part-*"))  # no partial file left


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_costs_nothing_else(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    _write_case(tmp_path, case)
    report = assert_invariants(tmp_path, case.named, case.loaded)
    if case.check:
        case.check(report)


def test_a_symlinked_folder_is_followed_once_and_a_loop_ends(tmp_path: Path) -> None:
    _write_case(tmp_path, Case({"sub/inner.json": log(rec("inner-1"))}))
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.json").write_bytes(log(rec("linked-1")))
    (tmp_path / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
    report = assert_invariants(tmp_path, {"loop"}, {"inner-1", "linked-1"})
    assert report.duplicates == 0


def test_unreadable_files_and_folders_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_case(tmp_path, Case({"secret/a.json": log(rec("hidden-1")), "locked.json": log(rec("hidden-2"))}))
    real_open, real_scandir = Path.open, __import__("os").scandir

    def deny_open(self: Path, *args: object, **kwargs: object):  # chmod 000 does not stop root
        if self.name == "locked.json":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def deny_scandir(path: object):
        if Path(str(path)).name == "secret":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "open", deny_open)
    monkeypatch.setattr("trailhunt.ingest.discover.os.scandir", deny_scandir)
    report = assert_invariants(tmp_path, {"locked.json", "secret"}, set())
    reasons = dict(report.named_problems())
    assert "Permission denied" in reasons[str(tmp_path / "locked.json")]
