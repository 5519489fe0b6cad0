"""The fidelity rules, one per Trino construct, composed in order (like sqlglot's optimizer).

Each rule's reason is what the dispatch report prints for a detection it rewrote. Functions that
sqlglot does not know reach DuckDB under their Trino name; unless a rule below handles them they
are refused, since a same-named DuckDB function may mean something else.
"""

from __future__ import annotations

from sqlglot import exp

from trailhunt.fidelity import array_rules as arrays
from trailhunt.fidelity import json_rules as json
from trailhunt.fidelity import number_rules as numbers
from trailhunt.fidelity import text_rules as text
from trailhunt.fidelity import time_rules as time
from trailhunt.fidelity.base import ANY_FUNCTION, Context, Rule

ANONYMOUS = (exp.Anonymous,)


def unknown_function(node: exp.Expr, context: Context) -> exp.Expr | None:
    """A Trino function with no vetted DuckDB translation."""
    name = node.name.lower()
    message = (
        f"{name}() has no DuckDB translation with Athena's semantics; rewrite it with portable functions"
    )
    context.flag("FID001", message, node)
    return None


RULES: tuple[Rule, ...] = (
    Rule("date_diff", "Trino counts whole units elapsed, DuckDB boundaries crossed", (exp.DateDiff,), time.date_diff),
    Rule("at_time_zone", "zoned on Trino, local on DuckDB", (exp.AtTimeZone,), time.at_time_zone),
    Rule("to_iso8601", "no DuckDB function; strftime with Trino's layout", ANONYMOUS, time.to_iso8601),
    Rule("format_datetime", "no DuckDB function; Joda pattern as strftime", ANONYMOUS, time.format_datetime),
    Rule("division", "integer division truncates on Trino, is exact on DuckDB", (exp.Div,), numbers.division),
    Rule("json_cast", "JSON to varchar unquotes strings on Trino", (exp.Cast,), json.json_cast),
    Rule("cast", "double to integer rounds half up, text to integer is strict on Trino", (exp.Cast,), numbers.cast),
    Rule("approx_distinct", "DuckDB's estimate differs on small sets; count(DISTINCT)", (exp.ApproxDistinct,), numbers.approx_distinct),
    Rule("approx_percentile", "different sketches", (exp.ApproxQuantile,), numbers.approx_percentile),
    Rule("concat", "Trino concatenates strings only", (exp.Concat, exp.DPipe), numbers.concat),
    Rule("comparison", "Trino refuses varchar = number", (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE), numbers.comparison),
    Rule("json_extract_scalar", "NULL for objects/arrays on Trino, JSON text on DuckDB", (exp.JSONExtractScalar,), json.json_extract_scalar),
    Rule("json_extract", "Trino JSON path read as Trino reads it", (exp.JSONExtract,), json.json_extract),
    Rule("json_array_length", "NULL for non-arrays on Trino, 0 on DuckDB", ANONYMOUS, json.json_array_length),
    Rule("json_array_contains", "no DuckDB function", (exp.JSONArrayContains,), json.json_array_contains),
    Rule("json_format", "json_parse sorts keys on Trino", (exp.JSONFormat,), json.json_format),
    Rule("regexp_extract", "NULL on no match on Trino, '' on DuckDB", (exp.RegexpExtract,), text.regexp_extract),
    Rule("regexp_replace", "$1 group references on Trino, \\1 on DuckDB", (exp.RegexpReplace,), text.regexp_replace),
    Rule("split_part", "NULL past the last field on Trino, '' on DuckDB", (exp.SplitPart,), text.split_part),
    Rule("substr", "'' for start 0 or length <= 0 on Trino", (exp.Substring,), text.substr),
    Rule("url_extract_host", "no DuckDB function; java.net.URI host rules as a regex", ANONYMOUS, text.url_extract_host),
    Rule("format", "Java Formatter on Trino, fmt on DuckDB", (exp.Format,), text.format_),
    Rule("any_match", "no DuckDB function; three-valued OR over the array", ANONYMOUS, arrays.any_match),
    Rule("all_match", "no DuckDB function; three-valued AND over the array", ANONYMOUS, arrays.all_match),
    Rule("none_match", "no DuckDB function; NOT of the three-valued OR", ANONYMOUS, arrays.none_match),
    Rule("reduce", "sqlglot cannot write Trino's output function", (exp.Reduce,), arrays.reduce),
    Rule("contains", "NULL when absent from an array holding NULL on Trino", (exp.ArrayContains,), arrays.contains),
    Rule("array_distinct", "order and NULL kept on Trino, not on DuckDB", (exp.ArrayDistinct,), arrays.array_distinct),
)  # fmt: skip
RULES = (*RULES, Rule(ANY_FUNCTION, "no vetted DuckDB translation", ANONYMOUS, unknown_function))
