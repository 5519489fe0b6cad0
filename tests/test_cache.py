"""The parquet cache: reused for identical input, invalidated by any change."""

from __future__ import annotations

import gzip
import json

from tests.test_ingest import RECORD
from trailhunt.engines.duckdb import connect
from trailhunt.ingest.cache import content_key, load_cached


def _folder(tmp_path, events: int):
    folder = tmp_path / "logs"
    folder.mkdir(exist_ok=True)
    records = [{**RECORD, "eventID": f"e{i}"} for i in range(events)]
    (folder / "a.json.gz").write_bytes(gzip.compress(json.dumps({"Records": records}).encode()))
    (folder / "broken.json").write_text("{")
    return folder


def test_second_load_comes_from_cache_with_the_same_report(tmp_path) -> None:
    folder = _folder(tmp_path, 3)
    first = load_cached(connect(), [folder])
    con = connect()
    second = load_cached(con, [folder])
    assert (first.from_cache, second.from_cache) == (False, True)
    assert (second.files_read, second.events) == (1, 3)
    assert [p.name for p, _ in second.rejected] == ["broken.json"]
    assert con.execute(
        "SELECT count(*), min(useridentity.sessioncontext.sessionissuer.arn) FROM cloudtrail"
    ).fetchone() == (
        3,
        "arn:aws:iam::111122223333:role/r",
    )


def test_changed_content_gives_a_new_key_and_a_fresh_load(tmp_path) -> None:
    folder = _folder(tmp_path, 3)
    key = content_key(sorted(folder.iterdir()))
    load_cached(connect(), [folder])
    _folder(tmp_path, 4)
    assert content_key(sorted(folder.iterdir())) != key
    report = load_cached(connect(), [folder])
    assert (report.from_cache, report.events) == (False, 4)


def test_no_cache_reads_json_every_time(tmp_path) -> None:
    folder = _folder(tmp_path, 2)
    load_cached(connect(), [folder])
    assert load_cached(connect(), [folder], use_cache=False).from_cache is False
