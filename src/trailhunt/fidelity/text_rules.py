"""Fidelity rules for strings and regular expressions."""

from __future__ import annotations

import re

from sqlglot import exp

from trailhunt.fidelity.base import Context
from trailhunt.fidelity.sqlbuild import case, fail, fn, lit, literal_int, literal_text
from trailhunt.fidelity.typemap import INTEGER, TEXT

# java.net.URI, which Trino's url_* functions use: NULL when the text is not a URI, '' when it
# has no server-based host (a hostname whose last label starts with a letter, an IPv4 address
# with octets up to 255, or a bracketed IPv6 address).
_ESCAPED_OR_OTHER = r"%[0-9A-Fa-f]{2}|[^\x00-\x7F]"
_SEGMENT = rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|{_ESCAPED_OR_OTHER})"  # path characters
_FIRST_SEGMENT = rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|{_ESCAPED_OR_OTHER})"  # no ':' before a scheme
_QUERY = rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?\[\]]|{_ESCAPED_OR_OTHER})"
_OPAQUE_FIRST = rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@?\[\]]|{_ESCAPED_OR_OTHER})"
_SCHEME = r"[A-Za-z][A-Za-z0-9+.-]*:"
_PATH = rf"(?:{_SEGMENT}|/)*"
_AUTHORITY = rf"(?:{_SEGMENT}|\[[0-9A-Fa-f:.]*\])"
_NETWORK = rf"//(?:{_AUTHORITY}+(?:/{_PATH})?|/{_PATH})"
_TAIL = rf"(?:\?{_QUERY}*)?(?:#{_QUERY}*)?"
_ABSOLUTE_PATH = rf"/(?:{_SEGMENT}{_PATH})?"  # a path that starts with "//" is an authority
VALID_URI = (
    rf"(?:{_SCHEME}(?:{_NETWORK}|{_ABSOLUTE_PATH}){_TAIL}"
    rf"|{_SCHEME}{_OPAQUE_FIRST}{_QUERY}*(?:#{_QUERY}*)?"
    rf"|(?:{_NETWORK}|{_ABSOLUTE_PATH}|{_FIRST_SEGMENT}+(?:/{_PATH})?|){_TAIL})"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]{1,2})"
_HOST = (
    rf"(?:{_LABEL}\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?|{_OCTET}(?:\.{_OCTET}){{3}}|\[[0-9A-Fa-f:.]+\]"
)
URL_WITH_HOST = rf"(?:{_SCHEME})?//(?:[^/?#@]*@)?({_HOST})(?::[0-9]*)?(?:[/?#].*)?"
FORMAT_SPEC = re.compile(r"%(.)")


def regexp_extract(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino returns NULL when nothing matches (or the group did not take part); DuckDB ''.
    The first element of DuckDB's regexp_extract_all is NULL in both cases."""
    group = node.args.get("group") or lit(0)
    matches = fn("regexp_extract_all", node.this, node.expression, group)
    return fn("array_extract", matches, lit(1))


def trino_replacement_to_re2(text: str) -> str:
    """Trino's replacement syntax (``$1``, ``\\$``) as RE2's (``\\1``); ValueError if unsupported."""
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "$":
            group = text[index + 1 : index + 2]
            if not group.isdigit() or text[index + 2 : index + 3].isdigit():
                raise ValueError("only $0..$9 group references are supported (no ${name}, no $10)")
            out.append("\\" + group)
            index += 2
        elif char == "\\":
            escaped = text[index + 1 : index + 2]
            if not escaped:
                raise ValueError("a replacement cannot end with a backslash")
            out.append("\\\\" if escaped == "\\" else escaped)
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def regexp_replace(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino writes group references as ``$1``; DuckDB (RE2) as ``\\1`` and prints ``$1`` literally."""
    replacement = node.args.get("replacement")
    if replacement is None:
        return None
    text = literal_text(replacement)
    try:
        if text is None:
            raise ValueError("the replacement must be a string literal")
        translated = trino_replacement_to_re2(text)
    except ValueError as error:
        context.flag("FID050", f"regexp_replace: {error}", node)
        return None
    if translated == text:
        return None
    rewritten = node.copy()
    rewritten.set("replacement", lit(translated))
    return rewritten


def split_part(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino returns NULL past the last field and fails on index < 1; DuckDB returns ''."""
    index = node.args["part_index"]
    part = fn("list_extract", fn("string_split", node.this, node.args["delimiter"]), index.copy())
    number = literal_int(index)
    if number is not None and number < 1:
        context.flag("FID051", "split_part index must be greater than zero (Athena fails)", node)
        return None
    if number is not None:
        return part
    return case(
        (exp.GT(this=index, expression=lit(0)), part), default=fail("Index must be greater than zero")
    )


def substr(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino returns '' for start 0, a start before the beginning, or a length <= 0; DuckDB
    counts start 0 as 1 and negative lengths backwards."""
    start, length = node.args["start"], node.args.get("length")
    first, count = literal_int(start), literal_int(length) if length is not None else 0
    if first is not None and first > 0 and count is not None and count >= 0:
        return None
    empty: list[exp.Expr] = [
        exp.EQ(this=start.copy(), expression=lit(0)),
        exp.LT(this=start.copy(), expression=exp.Neg(this=exp.Length(this=node.this.copy()))),
    ]
    if length is not None:
        empty.append(exp.LTE(this=length.copy(), expression=lit(0)))
    condition = empty[0]
    for term in empty[1:]:
        condition = exp.Or(this=condition, expression=term)
    return case((condition, lit("")), default=node.copy())


def url_extract_host(node: exp.Expr, context: Context) -> exp.Expr | None:
    """No DuckDB function: java.net.URI's rules as full-match regular expressions."""
    url = node.expressions[0]
    invalid = exp.Not(this=fn("regexp_full_match", url.copy(), lit(VALID_URI)))
    with_host = fn("regexp_full_match", url.copy(), lit(URL_WITH_HOST))
    host = fn("regexp_extract", url, lit(URL_WITH_HOST), lit(1))
    return case((invalid, exp.Null()), (with_host, host), default=lit(""))


def format_(node: exp.Expr, context: Context) -> exp.Expr | None:
    """Trino's format is Java's Formatter; DuckDB's format is fmt (``{}``) and prints '%s' as is.
    %s of text and %d of integers print the same through printf once NULL prints as 'null'."""
    pattern = literal_text(node.this)
    args = node.expressions
    specs = FORMAT_SPEC.findall(pattern or "")
    directives = [s for s in specs if s != "%"]
    supported = pattern is not None and all(s in "sd%" for s in specs) and len(directives) == len(args)
    kinds = [TEXT if s == "s" else INTEGER for s in directives]
    if not supported or not all(context.types.of(a) in k for a, k in zip(args, kinds, strict=False)):
        message = "format: only %s of varchar and %d of integers print alike on DuckDB; use concat()"
        context.flag("FID052", message, node)
        return None
    printed = [exp.Coalesce(this=exp.cast(a, "VARCHAR"), expressions=[lit("null")]) for a in args]
    as_text = FORMAT_SPEC.sub(lambda m: "%s" if m.group(1) == "d" else m.group(0), pattern or "")
    return fn("printf", lit(as_text), *printed)
