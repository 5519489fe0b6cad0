"""Loading CloudTrail files: shapes, layouts, and bad input that must not stop a hunt."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from trailhunt.engines.duckdb import connect
from trailhunt.ingest.cache import load_cached

RECORD = {
    "eventVersion": "1.09",
    "userIdentity": {
        "type": "AssumedRole",
        "arn": "arn:aws:sts::111122223333:assumed-role/r/s",
        "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111122223333:role/r"}},
    },
    "eventTime": "2024-03-11T00:00:01Z",
    "eventSource": "s3.amazonaws.com",
    "eventName": "GetObject",
    "sourceIPAddress": "198.51.100.1",
    "requestParameters": {"bucketName": "b", "key": "o'k\u00e9"},
    "readOnly": True,
    "resources": [{"ARN": "arn:aws:s3:::b/o", "accountId": "111122223333", "type": "AWS::S3::Object"}],
    "eventID": "e1",
}


def _write(path: Path, payload: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(payload) if path.name.endswith(".gz") else payload)
    return path


def test_s3_layout_digest_skipped_and_athena_shape(tmp_path) -> None:
    base = tmp_path / "AWSLogs" / "111122223333"
    day = base / "CloudTrail" / "us-east-1" / "2024" / "03" / "11"
    _write(
        day / "111122223333_CloudTrail_us-east-1_20240311T0000Z_abc.json.gz",
        json.dumps({"Records": [RECORD]}).encode(),
    )
    digest = "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240311T000000Z.json.gz"
    _write(base / "CloudTrail-Digest" / "us-east-1" / digest, b'{"digestStartTime": "x"}')
    con = connect()
    report = load_cached(con, [tmp_path], None)
    assert (report.files_read, report.events, len(report.skipped), report.rejected) == (1, 1, 1, [])
    row = con.execute(
        "SELECT useridentity.sessioncontext.sessionissuer.arn, readonly, requestparameters, resources[1].arn "
        "FROM cloudtrail"
    ).fetchone()
    assert row[0] == "arn:aws:iam::111122223333:role/r"
    assert row[1] == "true"
    assert json.loads(row[2]) == {"bucketName": "b", "key": "o'k\u00e9"}
    assert row[3] == "arn:aws:s3:::b/o"


def test_json_lines_of_bare_records(tmp_path) -> None:
    lines = "\n".join(json.dumps({**RECORD, "eventID": f"e{i}"}) for i in range(3))
    _write(tmp_path / "export.jsonl", lines.encode())
    con = connect()
    report = load_cached(con, [tmp_path], None)
    assert report.events == 3
    assert con.execute("SELECT count(DISTINCT eventid) FROM cloudtrail").fetchone() == (3,)


def test_every_file_shape_in_one_load_reads_the_fast_way(tmp_path, monkeypatch) -> None:
    """Log objects, pretty-printed objects, JSON lines and top-level arrays (plain and gzip, with
    leading whitespace and a byte-order mark), under names with glob characters or a wrong
    extension, load together, each by the fast reader."""
    from trailhunt.ingest import load

    shapes = {
        "log.json.gz": json.dumps({"Records": [{**RECORD, "eventID": "a1"}, {**RECORD, "eventID": "a2"}]}),
        "pretty.json": json.dumps({"Records": [{**RECORD, "eventID": "b1"}]}, indent=2),
        "lines.jsonl": "\n".join(json.dumps({**RECORD, "eventID": f"c{i}"}) for i in range(2)),
        "export.json": "\ufeff \n" + json.dumps([{**RECORD, "eventID": "d1"}, {**RECORD, "eventID": "d2"}]),
        "export.json.gz": "\n\n  " + json.dumps([{**RECORD, "eventID": "e1"}]),
    }
    for name, text in shapes.items():
        _write(tmp_path / name, text.encode())
    # Names DuckDB would read as globs, and names that lie about the compression.
    # As globs, "a*" would also read ab.json and "c[1]" would read c1.json instead of itself.
    for name, event_id in {"a*.json": "f1", "ab.json": "f2", "c[1].json": "f3", "c1.json": "f4"}.items():
        _write(tmp_path / name, json.dumps({"Records": [{**RECORD, "eventID": event_id}]}).encode())
    (tmp_path / "gzip-named.json").write_bytes(
        gzip.compress(json.dumps({**RECORD, "eventID": "g1"}).encode())
    )
    (tmp_path / "plain-named.json.gz").write_bytes(json.dumps({**RECORD, "eventID": "h1"}).encode())
    salvaged: list[Path] = []
    monkeypatch.setattr(load, "salvage_file", lambda path, out: salvaged.append(path))
    con = connect()
    report = load_cached(con, [tmp_path], None)
    ids = {row[0] for row in con.execute("SELECT eventid FROM cloudtrail").fetchall()}
    assert ids == {"a1", "a2", "b1", "c0", "c1", "d1", "d2", "e1", "f1", "f2", "f3", "f4", "g1", "h1"}
    assert (report.events, report.duplicates, report.rejected, salvaged) == (14, 0, [], [])


def test_corrupt_and_foreign_files_are_reported_and_the_rest_loads(tmp_path) -> None:
    for i in range(5):
        good = json.dumps(
            {"Records": [{**RECORD, "eventID": f"{i}a"}, {**RECORD, "eventID": f"{i}b"}]}
        ).encode()
        _write(tmp_path / f"good{i}.json.gz", good)
    (tmp_path / "truncated.json.gz").write_bytes(gzip.compress(good)[:30])
    _write(tmp_path / "broken.json", b'{"Records": [{"eventTime": ')
    _write(tmp_path / "other.json", b'{"hello": "world"}')
    con = connect()
    report = load_cached(con, [tmp_path], None)
    rejected = {p.name: reason for p, reason in report.rejected}
    assert set(rejected) == {"truncated.json.gz", "broken.json", "other.json"}
    assert "GZIP" in rejected["truncated.json.gz"] or "gzip" in rejected["truncated.json.gz"].lower()
    assert "not CloudTrail" in rejected["other.json"]
    assert (report.files_read, report.events) == (5, 10)
    assert con.execute("SELECT count(*) FROM cloudtrail").fetchone() == (10,)


def test_event_time_is_normalised_for_athena_sql_and_typed_once(tmp_path) -> None:
    spellings = {
        "z": "2024-03-11T00:00:01Z",
        "offset": "2024-03-11T02:00:01+02:00",
        "fraction": "2024-03-11T00:00:01.999Z",
        "space": "2024-03-11 00:00:01",
        "lower": "2024-03-11t00:00:01z",
        "word": "yesterday",
        "far-future": "99999-01-01T00:00:00Z",
    }
    records = [{**RECORD, "eventID": key, "eventTime": value} for key, value in spellings.items()]
    _write(tmp_path / "times.json", json.dumps({"Records": records}).encode())
    con = connect()
    report = load_cached(con, [tmp_path], None)
    rows = dict(con.execute("SELECT eventid, eventtime FROM cloudtrail").fetchall())
    assert {k: v for k, v in rows.items() if v} == dict.fromkeys(
        ["z", "offset", "fraction", "space", "lower"], "2024-03-11T00:00:01Z"
    )
    assert (rows["word"], rows["far-future"], report.untimed) == (None, None, 2)
    typed = con.execute("SELECT event_ts FROM cloudtrail WHERE eventid = 'fraction'").fetchone()[0]
    assert (typed.utcoffset().total_seconds(), typed.microsecond) == (0, 999000)


def test_a_log_file_duckdb_rejects_streams_through_the_tolerant_reader(tmp_path, monkeypatch) -> None:
    """The path a log object larger than the fast reader's buffer takes (measured in performance.md)."""
    import trailhunt.ingest.load

    streamed: list[str] = []
    real_salvage = trailhunt.ingest.load.salvage_file
    monkeypatch.setattr(
        trailhunt.ingest.load,
        "salvage_file",
        lambda path, out: streamed.append(path.name) or real_salvage(path, out),
    )
    records = [{**RECORD, "eventID": f"big-{i}"} for i in range(200)]
    text = json.dumps({"Records": records, "trailing": 1}, indent=2) + "\n}"  # one stray brace at the end
    _write(tmp_path / "big.json.gz", text.encode())
    _write(tmp_path / "small.json", json.dumps({"Records": [{**RECORD, "eventID": "small"}]}).encode())
    con = connect()
    report = load_cached(con, [tmp_path], None)
    assert (report.events, report.rejected, streamed) == (201, [], ["big.json.gz"])
    assert [why for _, why in report.problems] == [
        f"invalid JSON at line {text.count(chr(10)) + 1}: Expecting value (line skipped)"
    ]
    assert con.execute("SELECT count(DISTINCT eventid) FROM cloudtrail").fetchone() == (201,)
