"""Turning user values into SQL literals and predicates (Trino/Athena syntax), safely quoted."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

LIKE_ESCAPE = "\\"


def literal(value: object) -> str:
    """A SQL literal for a string, number or boolean; strings are single-quoted with '' escaping."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("NUL byte in a SQL string literal")
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"cannot write {type(value).__name__} as a SQL literal")


def literal_list(values: Iterable[object]) -> str:
    """``('a', 'b')`` for an IN list; an empty list is an error (``IN ()`` is not SQL)."""
    items = [literal(v) for v in values]
    if not items:
        raise ValueError("a list parameter needs at least one value (an empty IN list is not SQL)")
    return "(" + ", ".join(items) + ")"


def glob_to_like(glob: str) -> str:
    """An ARN glob (``*`` any run, ``?`` one char) as a LIKE pattern with ``\\`` escaping."""
    out = []
    for char in glob:
        if char in "%_\\":
            out.append(LIKE_ESCAPE + char)
        elif char == "*":
            out.append("%")
        elif char == "?":
            out.append("_")
        else:
            out.append(char)
    return "".join(out)


def matches_any_glob(expr: str, globs: Iterable[str]) -> str:
    """A predicate true when ``expr`` matches one of ``globs``; FALSE for no globs."""
    terms = [f"{expr} LIKE {literal(glob_to_like(g))} ESCAPE {literal(LIKE_ESCAPE)}" for g in globs]
    return "(" + " OR ".join(terms) + ")" if terms else "FALSE"


def in_list(expr: str, values: Iterable[object]) -> str:
    """``expr IN (...)``, or FALSE for an empty list."""
    values = list(values)
    return f"{expr} IN {literal_list(values)}" if values else "FALSE"


def ipv4_as_number(expr: str) -> str:
    """Portable SQL giving an IPv4 text's numeric value, NULL for anything else (IPv6, hostnames)."""
    octets = [f"try_cast(split_part({expr}, '.', {i}) AS bigint)" for i in range(1, 5)]
    value = f"(({octets[0]} * 16777216) + ({octets[1]} * 65536) + ({octets[2]} * 256) + {octets[3]})"
    return f"(CASE WHEN regexp_like({expr}, '^[0-9]{{1,3}}(\\.[0-9]{{1,3}}){{3}}$') THEN {value} END)"


IPV4_VALUE = "ipv4_value"  # the lambda parameter binding an address's number once in ``in_networks``


def in_networks(expr: str, networks: Iterable[str]) -> str:
    """A predicate true when IPv4 text ``expr`` lies in one of ``networks``; FALSE for none.

    With several networks the address's number is computed once and bound by a one-element
    ``transform``: spelled out in each range test, it cost a tenth of a second per range over a
    million events."""
    ranges = []
    for text in networks:
        net = ipaddress.ip_network(text, strict=False)
        ranges.append((int(net.network_address), int(net.broadcast_address)))
    if not ranges:
        return "FALSE"
    if len(ranges) == 1:
        return f"({ipv4_as_number(expr)} BETWEEN {ranges[0][0]} AND {ranges[0][1]})"
    tests = " OR ".join(f"{IPV4_VALUE} BETWEEN {low} AND {high}" for low, high in ranges)
    return f"(transform(ARRAY[{ipv4_as_number(expr)}], {IPV4_VALUE} -> {tests})[1])"
