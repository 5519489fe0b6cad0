"""Look-back baselines as one SQL text with two meanings-preserving sources.

A look-back detection asks "has this principal been seen with this value before the window?" or
"what was this trail's configuration before?". Scheduled on Athena (the ``staged`` layout) it reads
two small tables the daily run fills (``deploy.history``): ``trailhunt_principal_history``, per day,
principal, account and *dimension* the value seen with its first and last time and event count; and
``trailhunt_config_events``, the day's configuration calls (``CONFIG_EVENTS``) with their columns.
Everywhere else (DuckDB, the Trino lane, fixtures) the same macros compute the same rows in-process
from the events table, so one detection has one meaning and the fixtures still prove it.

Dimensions keyed by the role behind a session (``PRINCIPAL``): ``api``, ``service``, ``source_ip``,
``user_agent``. Keyed by the caller as findings name it (``CALLER``, the ``principal_key`` macro):
``caller_service`` and ``caller_ip`` / ``caller_agent`` (AWS API calls), ``access_key`` (long-term
``AKIA`` keys), ``console_login_ip`` (successful console sign-ins) and ``read_burst_10m`` (per
10-minute bucket of read-only or denied management calls outside the console, the distinct APIs).
Per-event filters that depend on the account context (automation, expected principals) cannot be in
a table built once for every detection: baselines hold those events too (docs/production.md).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from trailhunt.render.window import Window, time_text, window_predicate

HISTORY_TABLE = "trailhunt_principal_history"
CONFIG_TABLE = "trailhunt_config_events"
PRINCIPAL = (
    "coalesce(useridentity.sessioncontext.sessionissuer.arn, useridentity.arn, useridentity.principalid)"
)
CALLER = "coalesce(useridentity.arn, useridentity.principalid, useridentity.type)"  # = principal_key()
API_CALL = "eventsource LIKE '%.amazonaws.com'"
CONSOLE_SUCCESS = (
    "eventsource = 'signin.amazonaws.com' AND eventname = 'ConsoleLogin'"
    " AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'"
)
# Read-only and denied management calls in fixed buckets (discovery_burst_unusual_for_principal):
# per bucket, ``events`` is the number of distinct APIs called.
READ_BURST_MINUTES = 10
DENIED = ("AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "UnauthorizedOperation",
          "UnauthorizedAccess", "AuthorizationError")  # fmt: skip
READ_CALL = (
    f"coalesce(eventcategory, 'Management') = 'Management' AND {API_CALL}"
    " AND (eventname LIKE 'List%' OR eventname LIKE 'Describe%' OR eventname LIKE 'Get%'"
    f" OR coalesce(errorcode, '') IN ({', '.join(repr(d) for d in DENIED)}))"
    " AND NOT (coalesce(sessioncredentialfromconsole, 'false') = 'true'"  # the is_console_call macro
    " OR coalesce(useragent IN ('AWS Internal', 'console.amazonaws.com', 'signin.amazonaws.com')"
    " OR useragent LIKE 'console.%amazonaws.com' OR useragent LIKE '%aws-internal/%', FALSE))"
)
READ_BUCKET = (
    "CAST(CAST(floor(to_unixtime(from_iso8601_timestamp(eventtime)) / "
    f"{READ_BURST_MINUTES * 60}) AS bigint) AS varchar)"
)
# name: (who, value, which events, the events column)
DIMENSIONS = {
    "api": ("principal", "concat(eventsource, ':', eventname)", "TRUE", "count(*)"),
    "service": ("principal", "eventsource", "TRUE", "count(*)"),
    "source_ip": ("principal", "sourceipaddress", "TRUE", "count(*)"),
    "user_agent": ("principal", "useragent", "TRUE", "count(*)"),
    "caller_service": ("caller", "eventsource", API_CALL, "count(*)"),
    "caller_ip": ("caller", "sourceipaddress", API_CALL, "count(*)"),
    "caller_agent": ("caller", "coalesce(useragent, '')", API_CALL, "count(*)"),
    "access_key": ("caller", "access_key", f"{API_CALL} AND access_key LIKE 'AKIA%'", "count(*)"),
    "console_login_ip": ("caller", "sourceipaddress", "console_success", "count(*)"),
    f"read_burst_{READ_BURST_MINUTES}m": ("caller", READ_BUCKET, READ_CALL, "count(DISTINCT eventname)"),
}
COLUMNS = "principal, account, dimension, value, first_seen, last_seen, events"
# Configuration calls kept whole (their state is the baseline), and the columns kept of them.
CONFIG_EVENTS = ("CreateTrail", "UpdateTrail", "PutEventSelectors", "CreateFlowLogs")
CONFIG_EVENT_LIST = ", ".join(f"'{name}'" for name in CONFIG_EVENTS)  # for an IN list
CONFIG_COLUMNS = ("eventtime", "eventid", "eventsource", "eventname", "awsregion", "recipientaccountid",
                  "errorcode", "requestparameters", "responseelements")  # fmt: skip


def summary_sql(table: str, window: Window) -> str:
    """Per principal × account × dimension value of ``window``'s events: first, last time and count."""
    selects = [
        f"SELECT {who} AS principal, account, '{name}' AS dimension, {value} AS value,\n"
        f"  min(eventtime) AS first_seen, max(eventtime) AS last_seen, {events} AS events\n"
        f"FROM events WHERE {who} IS NOT NULL AND {value} IS NOT NULL AND {where}\n"
        f"GROUP BY {who}, account, {value}"
        for name, (who, value, where, events) in DIMENSIONS.items()
    ]
    return (
        "WITH events AS (\n"
        f"  SELECT {PRINCIPAL} AS principal, {CALLER} AS caller,\n"
        "    coalesce(recipientaccountid, useridentity.accountid) AS account,\n"
        "    eventtime, eventsource, eventname, sourceipaddress, useragent, eventcategory, errorcode,\n"
        "    sessioncredentialfromconsole,\n"
        "    useridentity.accesskeyid AS access_key,\n"
        f"    coalesce({CONSOLE_SUCCESS}, FALSE) AS console_success\n"
        f"  FROM {table}\n  WHERE {window_predicate(window)}\n)\n" + "\nUNION ALL\n".join(selects)
    )


def aggregate_sql(source: str, where: str) -> str:
    """The summary rows of ``source`` (``where`` picks them) merged across days."""
    return (
        "SELECT principal, account, dimension, value, min(first_seen) AS first_seen,\n"
        "  max(last_seen) AS last_seen, sum(events) AS events\n"
        f"FROM {source}\nWHERE {where}\nGROUP BY principal, account, dimension, value"
    )


def _before(window: Window, lookback_days: int) -> Window:
    """The ``lookback_days`` before ``window`` (same layout; the whole slot range of those days)."""
    start = window.shifted_start(lookback_days)
    return replace(window, start=start, end=window.start, arrival="any")


def history_baseline(window: Window, table: str, lookback_days: int, dimensions: list[str]) -> str:
    """A subquery of the principal history (``dimensions`` only) of the ``lookback_days`` days before
    ``window``. Staged (scheduled on Athena): the summary table's day × dimension partitions; else the
    same summary computed from ``table``. Scheduled windows start at midnight: both see the same events."""
    unknown = sorted(set(dimensions) - set(DIMENSIONS))
    if unknown or not dimensions:
        raise ValueError(f"history dimensions {unknown or dimensions}: use some of {', '.join(DIMENSIONS)}")
    wanted = f"dimension IN ({', '.join(repr(d) for d in dimensions)})"
    if window.layout == "staged":
        first = time_text(window, window.shifted_start(lookback_days), "date")
        last = time_text(window, window.start - timedelta(seconds=1), "date")
        return f"(\n{aggregate_sql(HISTORY_TABLE, f'day BETWEEN {first} AND {last} AND {wanted}')}\n)"
    before = _before(window, lookback_days)
    return f"(\nSELECT {COLUMNS}\nFROM (\n{summary_sql(table, before)}\n) AS summary\nWHERE {wanted}\n)"


def config_lookback(window: Window, table: str, lookback_days: int) -> str:
    """A subquery of the configuration calls (``CONFIG_COLUMNS``) from ``lookback_days`` before
    ``window`` to its end: the daily table's partitions when staged, else ``table`` itself."""
    columns = ", ".join(CONFIG_COLUMNS)
    if window.layout == "staged":
        start, end = window.shifted_start(lookback_days), window.end - timedelta(seconds=1)
        days = f"day BETWEEN {time_text(window, start, 'date')} AND {time_text(window, end, 'date')}"
        times = f"eventtime >= {time_text(window, start, 'iso')} AND eventtime < {time_text(window, window.end, 'iso')}"
        return f"(\nSELECT {columns}\nFROM {CONFIG_TABLE}\nWHERE {days} AND {times}\n)"
    return (
        f"(\nSELECT {columns}\nFROM {table}\nWHERE {window_predicate(window, lookback_days)}\n"
        f"  AND eventname IN ({CONFIG_EVENT_LIST})\n)"
    )


def config_insert_sql(table: str, window: Window, day: str) -> str:
    """INSERT ``window``'s configuration calls from ``table`` as partition ``day`` (an SQL expression)."""
    return (
        f"INSERT INTO {CONFIG_TABLE}\nSELECT {', '.join(CONFIG_COLUMNS)}, {day} AS day\nFROM {table}\n"
        f"WHERE {window_predicate(window)}\n  AND eventname IN ({CONFIG_EVENT_LIST})\n"
    )
