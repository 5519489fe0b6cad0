"""Engine fidelity: Athena SQL run on DuckDB (through ``to_duckdb``) gives Trino's answers.

Each trap of docs/engine-fidelity.md has a test here that executes the transpiled SQL on
``duckdb_engine.connect()`` and asserts the value Trino returns, so the wrong DuckDB answer is no
longer possible. The expected values were run on Trino 476 (the conformance lane's server); where
the behaviour is an algorithm (Joda's date difference, ``substr``, ``split_part``, the JSON path
walk) a small Python port of Trino's code is the oracle over many inputs.
"""

from __future__ import annotations

import calendar
import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot

from trailhunt.catalog.catalog import load_catalog
from trailhunt.catalog.project import Project
from trailhunt.engines.duckdb import connect
from trailhunt.fidelity.check import issues_for, rewrites_for
from trailhunt.fidelity.transpile import to_duckdb
from trailhunt.problems import ProblemError
from trailhunt.render.renderer import Renderer
from trailhunt.validate.validator import Validator


def rows(athena_sql: str) -> list[tuple[Any, ...]]:
    """An Athena query transpiled and executed on trailhunt's DuckDB connection."""
    con = connect()
    try:
        return con.execute(to_duckdb(athena_sql)).fetchall()
    finally:
        con.close()


def run(athena_sql: str) -> tuple[Any, ...]:
    """The first row."""
    return rows(athena_sql)[0]


def column(athena_sql: str) -> list[Any]:
    """The first column of every row."""
    return [row[0] for row in rows(athena_sql)]


def codes(athena_sql: str) -> set[str]:
    return {i.code for i in issues_for(athena_sql)}


def refused(athena_sql: str) -> set[str]:
    with pytest.raises(ProblemError) as caught:
        to_duckdb(athena_sql)
    return {p.code for p in caught.value.problems}


def ts(text: str) -> str:
    return f"from_iso8601_timestamp('{text}')"


# --- date_diff: Joda's getDifferenceAsLong, ported (Trino DateDiff -> getTimestampField) ------

DAY_MS = 86_400_000
FIXED_MS = {"second": 1000, "minute": 60_000, "hour": 3_600_000, "day": DAY_MS, "week": 7 * DAY_MS}


def _ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


def _month_forward(minuend: datetime, subtrahend: datetime) -> int:
    difference = (minuend.year - subtrahend.year) * 12 + minuend.month - subtrahend.month
    last_day = calendar.monthrange(minuend.year, minuend.month)[1]
    if minuend.day == last_day and subtrahend.day > last_day:
        subtrahend = subtrahend.replace(day=last_day)
    start = minuend.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    other_start = subtrahend.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return difference - (_ms(minuend) - _ms(start) < _ms(subtrahend) - _ms(other_start))


def _year_forward(minuend: datetime, subtrahend: datetime) -> int:
    minuend_rem = _ms(minuend) - _ms(datetime(minuend.year, 1, 1, tzinfo=UTC))
    subtrahend_rem = _ms(subtrahend) - _ms(datetime(subtrahend.year, 1, 1, tzinfo=UTC))
    feb_29 = 59 * DAY_MS
    if subtrahend_rem >= feb_29:
        if calendar.isleap(subtrahend.year):
            if not calendar.isleap(minuend.year):
                subtrahend_rem -= DAY_MS
        elif minuend_rem >= feb_29 and calendar.isleap(minuend.year):
            minuend_rem -= DAY_MS
    return minuend.year - subtrahend.year - (minuend_rem < subtrahend_rem)


def joda_date_diff(unit: str, start: datetime, end: datetime) -> int:
    """Trino's date_diff(unit, start, end) for UTC timestamps."""
    if unit in FIXED_MS:
        elapsed = _ms(end) - _ms(start)
        return int(elapsed / FIXED_MS[unit]) if abs(elapsed) < 2**52 else elapsed // FIXED_MS[unit]
    forward = {"month": _month_forward, "quarter": _month_forward, "year": _year_forward}[unit]
    sign, (late, early) = (1, (end, start)) if end >= start else (-1, (start, end))
    value = forward(late, early)
    return sign * (value // 3 if unit == "quarter" else value)


def test_date_diff_counts_whole_units_elapsed_not_boundaries_crossed() -> None:
    # sqlglot alone gives 1 (a minute boundary is crossed) and 0 for the backwards month.
    got = run(
        f"SELECT date_diff('minute', {ts('2024-01-01T00:00:59Z')}, {ts('2024-01-01T00:01:01Z')}),"
        f" date_diff('hour', {ts('2024-01-01T00:59:00Z')}, {ts('2024-01-01T01:00:00Z')}),"
        f" date_diff('month', {ts('2024-01-31T00:00:00Z')}, {ts('2024-02-29T00:00:00Z')}),"
        f" date_diff('month', {ts('2024-02-29T00:00:00Z')}, {ts('2024-01-31T00:00:00Z')})"
    )
    assert got == (0, 0, 1, -1)


@pytest.mark.parametrize("unit", ["second", "minute", "hour", "day", "week", "month", "quarter", "year"])
def test_date_diff_agrees_with_joda_on_random_pairs(unit: str) -> None:
    chooser = random.Random(f"date_diff-{unit}")
    base = datetime(2023, 1, 1, tzinfo=UTC)
    pairs = []
    for _ in range(300):
        start = base + timedelta(seconds=chooser.randrange(3 * 366 * 86400))
        span = chooser.choice([90, 4000, 90_000, 800_000, 5_000_000, 40_000_000, 100_000_000])
        end = start + timedelta(seconds=chooser.randrange(-span, span))
        pairs.append((start, end))
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    values = ", ".join(
        f"({i}, '{a.strftime(stamp)}', '{b.strftime(stamp)}')" for i, (a, b) in enumerate(pairs)
    )
    got = column(
        f"SELECT date_diff('{unit}', from_iso8601_timestamp(a), from_iso8601_timestamp(b)) "
        f"FROM (VALUES {values}) AS t(i, a, b) ORDER BY i"
    )
    assert got == [joda_date_diff(unit, a, b) for a, b in pairs]


def test_date_diff_with_a_unit_that_is_not_a_literal_is_refused() -> None:
    assert refused("SELECT date_diff(u, current_timestamp, current_timestamp) FROM (SELECT 'day' AS u)") == {
        "FID010"
    }


# --- integer division ---------------------------------------------------------------------


def test_integer_division_truncates_toward_zero() -> None:
    got = run(
        "SELECT 5 / 2, -7 / 2, 7 / -2, -7 / -2, CAST('9' AS integer) / 2, cardinality(ARRAY[1, 2, 3]) / 2,"
        " length('abcde') / 2, 5e0 / 2"
    )
    assert got == (2, -3, -3, 3, 4, 1, 2, 2.5)


def test_integer_division_of_aggregates_and_cte_columns() -> None:
    got = run(
        "WITH c AS (SELECT count(*) AS n, sum(x) AS s FROM (VALUES 1, 2, 3, 4, 5) AS t(x)) "
        "SELECT n / 2, s / n, n / 2 * 2 FROM c"
    )
    assert got == (2, 3, 4)


def test_integer_division_by_zero_fails_as_on_athena() -> None:
    with pytest.raises(duckdb.Error, match="Division by zero"):
        run("SELECT count(*) / 0 FROM (VALUES 1) AS t(x)")


def test_decimal_division_is_refused_and_unknown_operands_warn() -> None:
    assert refused("SELECT count(*) * 1.0 / 3 FROM (VALUES 1) AS t(x)") == {"FID020"}
    lambda_division = "SELECT transform(ARRAY[4, 6], x -> x / 2)"
    assert [(i.code, i.severity) for i in issues_for(lambda_division)] == [("FID021", "warning")]


# --- JSON -------------------------------------------------------------------------------------


def test_json_extract_scalar_is_null_for_objects_and_arrays_and_unquotes_strings() -> None:
    doc = '{"o": {"b": 1}, "a": [1], "s": "x\\"y", "n": 42, "f": 1.5, "t": true, "z": null}'
    paths = ["$.o", "$.a", "$.s", "$.n", "$.f", "$.t", "$.z", "$.missing", "$.a[0]", '$["s"]']
    select = ", ".join(f"json_extract_scalar('{doc}', '{p}')" for p in paths)
    assert run(f"SELECT {select}") == (None, None, 'x"y', "42", "1.5", "true", None, None, "1", 'x"y')


class _Number(str):
    """A JSON number kept as its text, as Jackson's getText() returns it."""


def _first_key_wins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        result.setdefault(key, value)
    return result


def trino_json_extract_scalar(document: str, tokens: list[str]) -> str | None:
    """Port of Trino's JsonExtract with ScalarValueJsonExtractor (first duplicate key wins)."""
    value: Any = json.loads(
        document, object_pairs_hook=_first_key_wins, parse_int=_Number, parse_float=_Number
    )
    for token in tokens:
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list):
            index = int(token) if token.isdigit() else -1
            value = value[index] if 0 <= index < len(value) else None
        else:
            return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else None


def test_json_extract_scalar_walks_paths_like_trino() -> None:
    documents = [
        '{"aws:SourceIp": "203.0.113.9", "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}}}',
        '{"a": {"b": [{"c": "d"}, {"c": 7}]}, "a b": "space", "a.b": "dot", "1": "one"}',
        '{"a": 1, "a": 2, "list": [[1, 2], [3]], "e": "", "u": "\\u00e9"}',
        '[{"x": "first"}, "second", 3, false]',
    ]
    paths = {
        "$.aws:SourceIp": ["aws:SourceIp"],
        "$.Condition.IpAddress.aws:SourceIp[0]": ["Condition", "IpAddress", "aws:SourceIp", "0"],
        "$.a.b[0].c": ["a", "b", "0", "c"],
        "$.a.b[1].c": ["a", "b", "1", "c"],
        "$.a.b[5].c": ["a", "b", "5", "c"],
        '$["a b"]': ["a b"],
        '$["a.b"]': ["a.b"],
        "$.a": ["a"],
        "$.list[0][1]": ["list", "0", "1"],
        "$.e": ["e"],
        "$.u": ["u"],
        "$[0].x": ["0", "x"],
        "$[1]": ["1"],
        "$[2]": ["2"],
        "$[3]": ["3"],
    }
    cases = [(d, p) for d in documents for p in paths]
    select = " UNION ALL ".join(
        f"SELECT {i} AS i, json_extract_scalar({sqlglot.exp.Literal.string(d).sql('athena')}, "
        f"{sqlglot.exp.Literal.string(p).sql('athena')}) AS v"
        for i, (d, p) in enumerate(cases)
    )
    got = column(f"SELECT v FROM ({select}) ORDER BY i")
    assert got == [trino_json_extract_scalar(d, paths[p]) for d, p in cases]


@pytest.mark.parametrize(
    "path",
    ["$.a[*].b", "$..a", "$.a[0:2]", "$.a[-1]", "$.a.0", "$.a-b", "$['a']", "a.b", '$["a\\"b"]'],
)
def test_json_paths_trino_rejects_or_reads_differently_are_refused(path: str) -> None:
    literal = sqlglot.exp.Literal.string(path).sql("athena")
    assert refused(f"SELECT json_extract_scalar('{{}}', {literal})") == {"FID041"}


def test_json_path_must_be_a_literal() -> None:
    assert refused("SELECT json_extract_scalar('{}', p) FROM (SELECT '$.a' AS p)") == {"FID040"}


def test_sqlglot_would_change_paths_so_athena_text_is_never_regenerated(renderer, catalog) -> None:
    # Regenerated by sqlglot, the colon key becomes two keys and a slice disappears: Athena
    # must receive the rendered template text itself, which render() returns untouched.
    regenerated = sqlglot.transpile(
        "SELECT json_extract_scalar(x, '$.aws:SourceIp'), json_extract(x, '$.a[0:2]')",
        read="athena",
        write="athena",
    )[0]
    assert "aws:SourceIp" not in regenerated and "0:2" not in regenerated
    detection = catalog.get("cloudtrail_logging_stopped")
    assert "json_extract_scalar(requestparameters, '$.name')" in renderer.render(detection)


def test_untranslatable_constructs_raise_instead_of_passing_silently() -> None:
    assert refused("SELECT strpos('abcabc', 'c', 2)") == {"SQL003"}


def test_json_array_contains_compares_elements_of_the_values_type() -> None:
    got = run(
        'SELECT json_array_contains(\'[1, "x", 2.5, true, {"x": 1}, ["x"]]\', \'x\'),'
        " json_array_contains('[1, \"2\"]', 2), json_array_contains('[1, \"2\"]', 3),"
        " json_array_contains('[1.5, 2]', 2e0), json_array_contains('[1, 2.0]', 2e0),"
        " json_array_contains('[true]', true), json_array_contains('{\"x\": 1}', 'x'),"
        " json_array_contains('[\"y\", null]', 'x')"
    )
    assert got == (True, False, False, False, True, True, None, False)


def test_json_array_length_is_null_for_non_arrays() -> None:
    assert run("SELECT json_array_length('[1, [2, 3]]'), json_array_length('{\"a\": 1}')") == (2, None)


def test_cast_of_json_to_varchar_unquotes_strings_and_refuses_containers() -> None:
    doc = '{"s": "x", "n": 7, "f": 2.5, "a": ["x", 1, false], "m": ["x", {"o": 1}], "o": {"k": 1}}'
    got = run(
        f"SELECT CAST(json_extract('{doc}', '$.s') AS varchar), CAST(json_extract('{doc}', '$.n') AS varchar),"
        f" CAST(json_extract('{doc}', '$.a') AS ARRAY(varchar)), try_cast(json_extract('{doc}', '$.m') AS ARRAY(varchar)),"
        f" try_cast(json_extract('{doc}', '$.s') AS ARRAY(varchar)), try_cast(json_extract('{doc}', '$.o') AS varchar)"
    )
    assert got == ("x", "7", ["x", "1", "false"], None, None, None)
    with pytest.raises(duckdb.Error, match="Cannot cast JSON object or array"):
        run(f"SELECT CAST(json_extract('{doc}', '$.o') AS varchar)")
    with pytest.raises(duckdb.Error, match=r"2\.5E0"):  # what Trino 476 prints for the JSON float 2.5
        run(f"SELECT CAST(json_extract('{doc}', '$.f') AS varchar)")


def test_json_format_of_json_parse_is_refused() -> None:
    assert refused('SELECT json_format(json_parse(\'{"b": 1, "a": 2}\'))') == {"FID044"}


# --- regular expressions and strings -----------------------------------------------------------


def test_regexp_extract_is_null_without_a_match_or_a_participating_group() -> None:
    got = run(
        "SELECT regexp_extract('abc', 'x'), regexp_extract('abc', 'a(x)?', 1), regexp_extract('abc', '(b)(c)', 2),"
        " regexp_extract('abc', 'b'), regexp_extract('abc', 'x*')"
    )
    assert got == (None, None, "c", "b", "")


def test_regexp_replace_group_references_use_trinos_dollar_syntax() -> None:
    got = run(
        "SELECT regexp_replace('abc', '(b)', '$1$1'), regexp_replace('a.c', '\\.', '\\$'),"
        " regexp_replace('a.c', '\\.', '\\\\'), regexp_replace('abcb', 'b')"
    )
    assert got == ("abbc", "a$c", "a\\c", "ac")
    assert refused("SELECT regexp_replace('abc', '(?<x>b)', '${x}')") == {"FID050"}


def trino_split_part(text: str, delimiter: str, index: int) -> str | None:
    """Port of Trino StringFunctions.splitPart for index > 0."""
    if delimiter == "":
        return text[index - 1] if index <= len(text) else None
    parts = text.split(delimiter)
    return parts[index - 1] if index <= len(parts) else None


def test_split_part_is_null_past_the_last_field() -> None:
    cases = [
        (t, d, i)
        for t in ["a.b", "a..b.", "", "abc", "a::b::c"]
        for d in [".", "::", ""]
        for i in range(1, 5)
    ]
    select = " UNION ALL ".join(
        f"SELECT {n} AS n, split_part('{t}', '{d}', {i}) AS v" for n, (t, d, i) in enumerate(cases)
    )
    assert column(f"SELECT v FROM ({select}) ORDER BY n") == [trino_split_part(*c) for c in cases]
    assert refused("SELECT split_part('a.b', '.', 0)") == {"FID051"}
    with pytest.raises(duckdb.Error, match="Index must be greater than zero"):
        run("SELECT split_part('a.b', '.', i) FROM (SELECT 0 AS i)")


def trino_substr(text: str, start: int, length: int | None = None) -> str:
    """Port of Trino StringFunctions.substr."""
    length = len(text) if length is None else length
    if start == 0 or length <= 0 or not text:
        return ""
    if start > 0:
        start -= 1
    else:
        start += len(text)
        if start < 0:
            return ""
    length = min(length, len(text) - start)
    return "" if start >= len(text) else text[start : start + length]


def test_substr_follows_trino_for_every_start_and_length() -> None:
    cases = [(s, n) for s in range(-8, 9) for n in [None, -2, 0, 1, 3, 10]]
    select = " UNION ALL ".join(
        f"SELECT {i} AS i, substr('abcdef', {s}{'' if n is None else f', {n}'}) AS v"
        for i, (s, n) in enumerate(cases)
    )
    assert column(f"SELECT v FROM ({select}) ORDER BY i") == [trino_substr("abcdef", s, n) for s, n in cases]


# url_extract_host on Trino 476: NULL when java.net.URI rejects the text, '' without a
# server-based host.
URL_HOSTS = {
    "https://user@Example.com:8443/p?q=1#f": "Example.com",
    "example.com/path": "",
    "http://[2001:db8::1]:80/": "[2001:db8::1]",
    "http://10.0.0.1/x": "10.0.0.1",
    "http://under_score.example.com/": "",
    "mailto:a@example.com": "",
    "https://a.example.com/has space": None,
    "1http://x/": None,
    "http://x/a#b#c": None,
    "http://x/%zz": None,
    "http://a.123/": "",
    "http://x/{a}": None,
    "http://999.1.1.1/": "",
    "": "",
    "http:///path": "",
    "http://host:80x/": "",
    "HTTP://HOST.com": "HOST.com",
    "http://host.com.": "host.com.",
    "http://-a.com/": "",
    "http://a.com/ü": "a.com",
    "http://a.com/a|b": None,
    "http://user:pw@a.com:/": "a.com",
    "ftp://[::1]/": "[::1]",
    "http://[zz]/": None,
    "//a.com/x": "a.com",
    "http://a.com?x": "a.com",
    "a:b": "",
    "mailto:[x]": "",
    "a/b:c": "",
    "/x:y": "",
    "?a:b": "",
    "x y": None,
    "http://a.com/x?y#z?w": "a.com",
    "http://[::1": None,
    "http://a.com/[x]": None,
    "http://a_b.com:8080/": "",
    "http://a.com:-1/": "",
    "s3://my-bucket/key": "my-bucket",
    "https://sts.amazonaws.com": "sts.amazonaws.com",
    "http://0x7f.1/": "",
    "http://a..b/": "",
    "http://1.2.3/": "",
    "http://1.2.3.4.5/": "",
    "http://010.001.0.1/": "010.001.0.1",
    "http://a.b-/": "",
    "http://a.1b/": "",
    "http://1a.b/": "1a.b",
    "http://a%41.com/": "",
    "http://a.com#": "a.com",
    "http:": None,
    "http://": None,
    ":x": None,
}


def test_url_extract_host_follows_java_uri() -> None:
    urls = list(URL_HOSTS)
    select = " UNION ALL ".join(
        f"SELECT {i} AS i, url_extract_host({sqlglot.exp.Literal.string(u).sql('athena')}) AS h"
        for i, u in enumerate(urls)
    )
    assert column(f"SELECT h FROM ({select}) ORDER BY i") == [URL_HOSTS[u] for u in urls]


def test_format_prints_like_javas_formatter_for_s_and_d() -> None:
    assert run("SELECT format('%s has %d keys (%%d)', 'alice', 3), format('%s', CAST(NULL AS varchar))") == (
        "alice has 3 keys (%d)",
        "null",
    )
    assert refused("SELECT format('%.2f', 1e0)") == {"FID052"}


# --- arrays and lambdas --------------------------------------------------------------------------


def test_any_all_none_match_follow_three_valued_logic() -> None:
    got = run(
        "SELECT any_match(ARRAY[1, 2], x -> x > 1), any_match(ARRAY[1, NULL], x -> x > 1),"
        " any_match(ARRAY[NULL, 5], x -> x > 1), any_match(CAST(ARRAY[] AS ARRAY(integer)), x -> x > 1),"
        " all_match(ARRAY[1, NULL], x -> x > 0), all_match(ARRAY[1, NULL], x -> x > 1),"
        " all_match(CAST(ARRAY[] AS ARRAY(integer)), x -> x > 1), none_match(ARRAY[1, 2], x -> x > 5),"
        " none_match(ARRAY[1, NULL], x -> x > 5), any_match(CAST(NULL AS ARRAY(integer)), x -> x > 1)"
    )
    assert got == (True, None, True, False, None, False, True, True, None, None)


def test_reduce_applies_the_output_function() -> None:
    # Examples from Trino's documentation of reduce().
    got = run(
        "SELECT reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s),"
        " reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + coalesce(x, 0), s -> s),"
        " reduce(ARRAY[2e0, 4e0], CAST(ROW(0.0e0, 0) AS ROW(sum DOUBLE, count INTEGER)),"
        "   (s, x) -> CAST(ROW(x + s.sum, s.count + 1) AS ROW(sum DOUBLE, count INTEGER)),"
        "   s -> IF(s.count = 0, NULL, s.sum / s.count)),"
        " reduce(CAST(NULL AS ARRAY(integer)), 0, (s, x) -> s + x, s -> coalesce(s, 7))"
    )
    assert got == (75, 75, 3.0, None)


def test_contains_is_null_when_absent_from_an_array_holding_null() -> None:
    got = run(
        "SELECT contains(ARRAY['a', NULL], 'b'), contains(ARRAY['a', NULL], 'a'), contains(ARRAY['a'], 'b'),"
        " NOT contains(ARRAY['a', NULL], 'b'), contains(ARRAY['a'], CAST(NULL AS varchar))"
    )
    assert got == (None, True, False, None, None)


def test_array_distinct_keeps_first_occurrences_in_order_and_one_null() -> None:
    assert run("SELECT array_distinct(ARRAY[3, 1, 3, NULL, 1, NULL, 2])") == ([3, 1, None, 2],)


# --- casts, time, approximations ---------------------------------------------------------------


def test_cast_of_double_to_integer_rounds_half_away_from_zero() -> None:
    got = run(
        "SELECT CAST(2.5e0 AS bigint), CAST(-2.5e0 AS integer), CAST(0.5e0 AS bigint), CAST(1.4e0 AS bigint)"
    )
    assert got == (3, -3, 1, 1)


def test_text_to_integer_accepts_only_what_javas_parselong_accepts() -> None:
    got = run(
        "SELECT try_cast('5.5' AS integer), try_cast(' 5 ' AS bigint), try_cast('1e2' AS bigint),"
        " try_cast('0x10' AS integer), try_cast('1_000' AS integer), try_cast('+5' AS integer),"
        " try_cast('-12' AS bigint), CAST('12' AS integer), try_cast('99999999999' AS integer),"
        " try_cast(chr(1) || '5' || chr(31) AS bigint), try_cast('+ 5' AS integer)"
    )
    assert got == (None, 5, None, None, None, 5, -12, 12, None, 5, None)
    with pytest.raises(duckdb.Error, match="Cannot cast"):
        run("SELECT CAST('5.5' AS integer)")


def test_cast_of_double_to_varchar_is_refused() -> None:
    assert refused("SELECT CAST(to_unixtime(current_timestamp) AS varchar)") == {"FID022"}


def test_hour_and_date_use_utc_on_trailhunts_connection() -> None:
    athena = f"SELECT hour({ts('2024-03-11T23:30:00Z')}), date({ts('2024-03-11T23:30:00Z')})"
    assert run(athena) == (23, datetime(2024, 3, 11).date())
    other = duckdb.connect()
    other.execute("SET TimeZone = 'America/New_York'")
    assert other.execute(to_duckdb(athena)).fetchone() == (19, datetime(2024, 3, 11).date())


def test_at_time_zone_is_allowed_only_for_field_extraction() -> None:
    local_hour = f"SELECT hour({ts('2024-03-11T23:30:00Z')} AT TIME ZONE 'America/New_York')"
    assert run(local_hour) == (19,)
    assert refused(f"SELECT to_unixtime({ts('2024-03-11T23:30:00Z')} AT TIME ZONE 'America/New_York')") == {
        "FID011"
    }


def test_to_iso8601_and_format_datetime_print_like_trino() -> None:
    got = run(
        f"SELECT to_iso8601({ts('2024-03-11T23:30:05Z')}), to_iso8601(date('2024-03-11')),"
        f" format_datetime({ts('2024-03-01T07:08:09.012Z')}, 'yyyy-MM-dd''T''HH:mm:ss.SSS EEE MMM d H a')"
    )
    assert got == ("2024-03-11T23:30:05.000Z", "2024-03-11", "2024-03-01T07:08:09.012 Fri Mar 1 7 AM")
    assert refused(f"SELECT format_datetime({ts('2024-03-01T07:08:09Z')}, 'ww')") == {"FID013"}
    assert refused("SELECT to_iso8601(x) FROM (SELECT 'text' AS x)") == {"FID012"}


def test_approx_distinct_is_exact_on_duckdb_and_warns() -> None:
    # DuckDB's own estimate is 51 for these 50 values; Trino's sparse HyperLogLog counts 50.
    athena = "SELECT approx_distinct(concat('v', CAST(x AS varchar))) FROM UNNEST(sequence(1, 50)) AS t(x)"
    assert run(athena) == (50,)
    assert [(i.code, i.severity) for i in issues_for(athena)] == [("FID023", "warning")]


def test_athena_type_errors_are_refused_before_they_reach_athena() -> None:
    assert refused("SELECT concat('n=', count(*)) FROM (VALUES 1) AS t(x)") == {"FID030"}
    assert refused("SELECT 1 FROM (VALUES '1.08') AS t(v) WHERE v > 1") == {"FID031"}


def test_functions_without_a_vetted_translation_are_refused() -> None:
    assert refused("SELECT codepoint('a')") == {"FID001"}
    assert refused("SELECT url_extract_path('https://a.example.com/x')") == {"FID001"}


# --- constructs checked and found equal (see docs/engine-fidelity.md) ------------------------------

AGREEING = {
    "concat with NULL is NULL": ("SELECT concat('a', NULL), 'a' || NULL", (None, None)),
    "LIKE has no default escape": (
        "SELECT 'a_b' LIKE 'a\\_b' ESCAPE '\\', 'axb' LIKE 'a\\_b' ESCAPE '\\', 'a\\b' LIKE 'a\\b'",
        (True, False, True),
    ),
    "element_at past the end is NULL": (
        "SELECT element_at(ARRAY[1, 2], 3), element_at(ARRAY[1, 2], -1)",
        (None, 2),
    ),
    "cardinality of NULL is NULL": ("SELECT cardinality(CAST(NULL AS ARRAY(integer)))", (None,)),
    "array_join skips NULL": (
        "SELECT array_join(ARRAY['a', NULL, 'b'], ','), array_join(ARRAY['a', NULL], ',', 'N')",
        ("a,b", "a,N"),
    ),
    "CAST of boolean and bigint to varchar": (
        "SELECT CAST(true AS varchar), CAST(count(*) AS varchar) FROM (VALUES 1) AS t(x)",
        ("true", "1"),
    ),
    "from_iso8601_timestamp with Z": (f"SELECT to_unixtime({ts('2024-03-11T23:30:00Z')})", (1710199800.0,)),
    "regexp_like matches anywhere": (
        "SELECT regexp_like('abc', 'b'), regexp_like('abc', '^b')",
        (True, False),
    ),
    "strpos is 1-based, 0 when absent": ("SELECT strpos('abc', 'c'), strpos('abc', 'z')", (3, 0)),
    "count(DISTINCT) ignores NULL": ("SELECT count(DISTINCT x) FROM (VALUES 1, NULL, 1, 2) AS t(x)", (2,)),
    "lower/upper of ASCII": ("SELECT lower('AbC'), upper('arn:aws')", ("abc", "ARN:AWS")),
    "greatest with NULL is NULL": ("SELECT greatest(1, NULL), least(1, 2)", (None, 1)),
    "day_of_week is ISO": (f"SELECT day_of_week({ts('2024-03-10T12:00:00Z')})", (7,)),
    "json_extract keeps JSON null": ("SELECT json_format(json_extract('{\"a\": null}', '$.a'))", ("null",)),
    "ORDER BY puts NULL last": (
        "SELECT array_agg(x ORDER BY x) FROM (VALUES 'b', NULL, 'a') AS t(x)",
        (["a", "b", None],),
    ),
}


@pytest.mark.parametrize("case", AGREEING)
def test_constructs_that_agree(case: str) -> None:
    athena, expected = AGREEING[case]
    assert run(athena) == expected


# --- the dispatch report and the validator --------------------------------------------------------


def test_rewrites_for_names_each_rule_that_fired_once_with_its_reason() -> None:
    sql = "SELECT 7 / 2, 9 / 2, regexp_extract('a', 'b'), json_extract_scalar('{}', '$.a')"
    assert [r.split(":")[0] for r in rewrites_for(sql)] == [
        "division",
        "json_extract_scalar",
        "regexp_extract",
    ]
    assert all(": " in r for r in rewrites_for(sql))
    assert rewrites_for("SELECT 1") == []


HEADER = """{#-
id: fid
title: t
attack: [T1087.004]
confidence: low
severity: low
description: d
tuning: t
corroborate: [c]
response: [r]
tests:
  - {fixture: cloudtrail/x.json, expect: 1}
  - {fixture: cloudtrail/x.json, expect: 0}
-#}
"""


def test_validator_reports_fidelity_problems_on_their_lines(tmp_path: Path, project: Project) -> None:
    sql = """{%- import 'cloudtrail.sql' as trail with context %}{%- import 'findings.sql' as findings with context %}
SELECT {{ findings.finding_columns("'e'") }},
  json_extract_scalar(requestparameters, '$.items[*].name') AS names,
  approx_distinct(eventname) AS kinds
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
"""
    shutil.copytree(project.templates, tmp_path / "templates")
    (tmp_path / "fixtures" / "cloudtrail").mkdir(parents=True)
    (tmp_path / "fixtures" / "cloudtrail" / "x.json").write_text('{"Records": []}')
    (tmp_path / "detections" / "discovery").mkdir(parents=True)
    (tmp_path / "detections" / "discovery" / "fid.sql").write_text(HEADER + sql)
    test_project = Project(tmp_path)
    problems = Validator(load_catalog(test_project), Renderer(test_project)).validate_all()
    found = {(p.code, p.line, p.severity) for p in problems}
    first = HEADER.count("\n") + 2
    assert found == {("FID041", first + 1, "error"), ("FID023", first + 2, "warning")}
