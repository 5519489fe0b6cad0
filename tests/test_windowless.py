"""Translate once: a translation made for the sentinel window, with the real bounds put in, is the
translation of the concrete SQL, byte for byte, for every detection and any window; anything the
checks cannot prove falls back to translating the concrete SQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlglot.tokens import TokenType

from tests.conftest import CATALOG, PROJECT
from trailhunt.baseline import baseline_sql
from trailhunt.fidelity import transpile, windowless
from trailhunt.fidelity.transpile import TrinoSource
from trailhunt.fidelity.windowless import (
    SENTINEL_START,
    string_spans,
    translate_rendered,
)
from trailhunt.hunt import hunt
from trailhunt.ingest.cachedir import bypassed
from trailhunt.problems import ProblemError
from trailhunt.render.context import AccountContext, load_context
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Window, format_time, parse_time
from trailhunt.validate.fixtures import translate_detection

RENDERER = Renderer(PROJECT)
LOOKBACK_PARAMETERS = ("lookback_days", "history_days")
# Leap day, month, year and decade boundaries inside the look-backs; odd seconds in the bounds.
WINDOWS = [
    Window(datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 1, 6, 30, 15, tzinfo=UTC)),
    Window(datetime(2025, 1, 1, 0, 0, 7, tzinfo=UTC), datetime(2025, 1, 9, 23, 59, 59, tzinfo=UTC)),
    Window(datetime(2019, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(2020, 1, 1, 0, 0, 1, tzinfo=UTC)),
]
CONTEXTS = [AccountContext(), load_context(PROJECT.fixtures / "contexts" / "exfil_org.yaml")]
STOP_LOGGING = PROJECT.fixtures / "cloudtrail" / "defense_evasion" / "stop_logging.json"
SELECT = "SELECT eventname FROM cloudtrail WHERE eventtime >= '{start}' AND eventtime < '{end}'"


def _options(index: int, detection_parameters: dict[str, object]) -> RenderOptions:
    """The ``index``-th window, alternating contexts; every second one overrides look-backs."""
    params = {name: 45 for name in LOOKBACK_PARAMETERS if name in detection_parameters and index % 2}
    return RenderOptions(CONTEXTS[index % 2], WINDOWS[index], "duckdb", params=params)  # type: ignore[arg-type]


def _direct(athena_sql: str) -> str:
    return transpile._translate(athena_sql, "<direct>")


@pytest.mark.parametrize("detection", CATALOG.select(None), ids=lambda d: d.id)
def test_every_detection_reuses_one_translation_byte_for_byte(detection) -> None:
    for index in range(len(WINDOWS)):
        options = _options(index, detection.meta.parameters)
        translation = translate_detection(RENDERER, detection, options)
        assert translation.fallback is None, f"{detection.id} is translated for every window"
        assert translation.athena_sql == RENDERER.render(detection, options)
        assert translation.duckdb_sql == _direct(translation.athena_sql)
        assert SENTINEL_START.strftime("%Y-") not in translation.duckdb_sql


def test_lookbacks_reach_the_translation_with_the_real_bounds() -> None:
    with_lookback = [
        d for d in CATALOG.select(None) if any(p in d.meta.parameters for p in LOOKBACK_PARAMETERS)
    ]
    assert len(with_lookback) >= 3
    window = WINDOWS[0]
    for detection in with_lookback:
        options = RenderOptions(
            window=window,
            target="duckdb",
            params={p: 3 for p in LOOKBACK_PARAMETERS if p in detection.meta.parameters},
        )
        duckdb_sql = translate_detection(RENDERER, detection, options).duckdb_sql
        assert f"'{format_time(window.shifted_start(3))}'" in duckdb_sql, detection.id  # Feb 27, leap year
        assert f"'{format_time(window.end)}'" in duckdb_sql, detection.id


@pytest.mark.parametrize("context", CONTEXTS, ids=["no-context", "exfil-org"])
def test_the_baseline_query_reuses_one_translation(context: AccountContext) -> None:
    for window in WINDOWS:
        render = lambda w: baseline_sql(RENDERER, context, w, target="duckdb")  # noqa: E731
        translation = translate_rendered(render, window, "baseline")
        assert translation.fallback is None
        assert translation.duckdb_sql == _direct(render(window))


def test_the_literal_scanner_agrees_with_the_sql_tokenizer() -> None:
    sentinel = windowless.sentinel_window(WINDOWS[0])
    for detection in CATALOG.select(None):
        sql = RENDERER.render(detection, RenderOptions(CONTEXTS[1], sentinel, "duckdb"))
        plain = [
            (t.start, t.end + 1)
            for t in TrinoSource().tokenize(sql)
            if t.token_type == TokenType.STRING
            and sql[t.start : t.end + 1] == f"'{t.text}'"
            and "'" not in t.text
        ]
        assert string_spans(sql) == plain, detection.id


def test_quotes_in_comments_and_identifiers_are_not_literals() -> None:
    sql = "SELECT \"it's\" -- it's\n, '1' /* don't '2' */ FROM t WHERE x = 'a''b' AND y = X'00' AND z = '3'"
    assert [sql[a:b] for a, b in string_spans(sql)] == ["'1'", "'3'"]


def _translate_rendered(render: Callable[[Window], str]) -> windowless.Translation:
    return translate_rendered(render, WINDOWS[1], "test")


def _bounds(window: Window) -> dict[str, str]:
    return {"start": format_time(window.start), "end": format_time(window.end)}


def test_date_arithmetic_on_the_bounds_in_sql_is_substituted() -> None:
    sql = (
        "SELECT eventname FROM cloudtrail WHERE from_iso8601_timestamp(eventtime) >= "
        "date_add('day', -7, from_iso8601_timestamp('{start}')) AND eventtime < '{end}' "
        "-- it's a comment with a quote\n"
    )
    translation = _translate_rendered(lambda w: sql.format(**_bounds(w)))
    assert translation.fallback is None
    assert translation.duckdb_sql == _direct(translation.athena_sql)
    assert "'2025-01-01T00:00:07Z'" in translation.duckdb_sql


def test_bounds_that_are_sentinel_values_are_replaced_in_one_pass() -> None:
    window = Window(windowless.SENTINEL_END, windowless.SENTINEL_END + timedelta(days=1))
    render = lambda w: SELECT.format(**_bounds(w))  # noqa: E731
    translation = translate_rendered(render, window, "test")
    assert translation.fallback is None
    assert translation.duckdb_sql == _direct(render(window))


@pytest.mark.parametrize(
    ("render", "reason"),
    [
        (  # the window decides the SQL's shape
            lambda w: SELECT.format(**_bounds(w)) + (" AND errorcode IS NULL" if w.start.year < 2100 else ""),
            "more than the digits",
        ),
        (  # a bound in a comment: SQL outside literals changes
            lambda w: SELECT.format(**_bounds(w)) + f" -- from {format_time(w.start)}",
            "outside string literals",
        ),
        (  # the sentinel value is also a constant of the detection
            lambda w: SELECT.format(**_bounds(w)) + f" OR eventtime = '{format_time(SENTINEL_START)}'",
            "more than one value",
        ),
        (  # a constant that looks like the sentinel survives in a comment
            lambda w: SELECT.format(**_bounds(w)) + f" -- sentinel was {format_time(SENTINEL_START)}",
            "occurs 2 time(s)",
        ),
        (  # a bound inside a literal with an escaped quote
            lambda w: SELECT.format(**_bounds(w)) + f" OR eventname = 'it''s {w.start.year}'",
            "outside string literals",
        ),
    ],
    ids=["shape", "comment", "constant", "lookalike", "escaped"],
)
def test_what_the_checks_cannot_prove_falls_back_to_the_concrete_sql(render, reason: str) -> None:
    translation = _translate_rendered(render)
    assert translation.fallback is not None and reason in translation.fallback
    assert translation.duckdb_sql == _direct(render(WINDOWS[1]))


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda sql, value: sql.replace(f"'{value}'", f"'{value}' AND eventtime >= '{value}'", 1),
        lambda sql, value: sql.replace(f"'{value}'", f"CAST('{value.replace('T', ' ')}' AS TIMESTAMP)"),
        lambda sql, value: sql.replace(f"'{value}'", f"'{value}''' || 'x'"),
        lambda sql, value: sql.replace(f"'{value}'", f"/* {value} */ '{value}'"),
    ],
    ids=["duplicated", "rewritten", "next-to-a-quote", "also-in-a-comment"],
)
def test_a_translation_that_moves_the_sentinel_falls_back(monkeypatch, rewrite) -> None:
    value = format_time(SENTINEL_START)
    real = windowless.to_duckdb
    monkeypatch.setattr(windowless, "to_duckdb", lambda sql, origin: rewrite(real(sql, origin), value))
    render = lambda w: SELECT.format(**_bounds(w))  # noqa: E731
    translation = _translate_rendered(render)
    assert translation.fallback is not None and "occurs" in translation.fallback
    assert translation.duckdb_sql == _direct(render(WINDOWS[1]))


def test_a_sentinel_that_does_not_render_or_translate_falls_back() -> None:
    def render(window: Window) -> str:
        if window.start == SENTINEL_START:
            raise ProblemError([])
        return SELECT.format(**_bounds(window))

    assert _translate_rendered(render).duckdb_sql == _direct(render(WINDOWS[1]))
    broken = lambda w: SELECT.format(**_bounds(w)) + (" AND (" if w.start == SENTINEL_START else "")  # noqa: E731
    assert _translate_rendered(broken).fallback is not None
    with pytest.raises(ProblemError, match="SQL003"):
        _translate_rendered(lambda w: "SELECT (")


def test_without_the_cache_the_concrete_sql_is_translated(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path))
    with bypassed():
        translation = _translate_rendered(lambda w: SELECT.format(**_bounds(w)))
    assert translation.fallback == "the translation cache is off"
    assert not tmp_path.exists() or not any(tmp_path.rglob("*.json"))


def test_a_hunt_over_a_new_window_translates_nothing(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRAILHUNT_CACHE", str(tmp_path / "cache"))
    detections = [CATALOG.get("cloudtrail_logging_stopped"), CATALOG.get("cloudtrail_trail_weakened")]

    def run(since: str, until: str = "2024-04-01", use_cache: bool = True) -> list[tuple[str, str]]:
        bounds = {"since": parse_time(since), "until": parse_time(until)}
        result = hunt([STOP_LOGGING], RENDERER, detections, AccountContext(), use_cache=use_cache, **bounds)
        assert not result.errors and result.baseline is not None
        return sorted((f.detection.id, f.event_time) for f in result.findings)

    stop_logging = [("cloudtrail_logging_stopped", "2024-03-13T14:21:07Z")]
    assert run("2024-03-01") == stop_logging  # fills the cache
    assert run("2024-03-13T14:21:08", use_cache=False) == []

    def no_translation(sql: str, origin: str) -> str:
        raise AssertionError(f"{origin} translated again for a new window")

    monkeypatch.setattr(transpile, "_translate", no_translation)
    assert run("2024-03-13T14:21:07") == stop_logging  # the start is in the window
    assert run("2024-03-13T14:21:08") == []
    assert run("2024-03-01", until="2024-03-13T14:21:07") == []  # the end is not
    assert run("2030-01-01", until="2030-01-02") == []
