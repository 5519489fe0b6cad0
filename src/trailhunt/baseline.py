"""Baseline framing: who and where the hunted events come from, measured with one Athena query.

The query is Athena (Trino) SQL written with the same macros as the detections (principal classes
come from ``is_automation()`` and friends), rendered through the project's templates, and run on
DuckDB through the transpiler, so the same text can run on Athena.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import jinja2

from trailhunt.engines.duckdb import query
from trailhunt.problems import Problem, ProblemError
from trailhunt.render.context import AccountContext
from trailhunt.render.renderer import Renderer, RenderOptions
from trailhunt.render.window import Window
from trailhunt.schema import TABLE_NAME

if TYPE_CHECKING:
    import duckdb

# Checked in this order: what the context names wins over what AWS itself does.
PRINCIPAL_CLASSES = ("human", "automation", "service", "aws-service", "unknown")
EXPECTED_NOISE = frozenset({"automation", "aws-service"})

BASELINE_SQL = """\
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro measures() -%}
count(*) AS events, count_if(readonly = 'false') AS writes, count_if(errorcode IS NOT NULL) AS errors,
  count_if(denied) AS denied, count_if(self_target) AS self_calls, count(DISTINCT principal) AS principals, count(DISTINCT sourceipaddress) AS sources,
  min(eventtime) AS first_seen, max(eventtime) AS last_seen
{%- endmacro %}
WITH events AS (
  SELECT
    coalesce({{ findings.principal_key() }}, '?') AS principal,
    CASE
      WHEN {{ context.is_automation() }} THEN 'automation'
      WHEN {{ context.is_service_account() }} THEN 'service'
      WHEN {{ context.is_human() }} THEN 'human'
      WHEN {{ context.is_aws_service() }} THEN 'aws-service'
      ELSE 'unknown'
    END AS principal_class,
    coalesce(awsregion, '?') AS region,
    CASE WHEN {{ context.expected_region() }} THEN 'expected' ELSE 'unexpected' END AS region_class,
    coalesce(eventsource, '?') AS service, coalesce(eventname, '?') AS api, substr(eventtime, 1, 13) AS hour,
    coalesce(errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%Unauthorized%', FALSE) AS denied,
    coalesce(eventsource = 'iam.amazonaws.com' AND useridentity.type = 'IAMUser'
      AND coalesce(json_extract_scalar(requestparameters, '$.userName'), useridentity.username)
          = useridentity.username, FALSE) AS self_target,
    eventtime, readonly, errorcode, sourceipaddress
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
)
SELECT 'class' AS facet, principal_class AS name, principal_class AS class, '' AS detail, {{ measures() }}
FROM events GROUP BY principal_class
UNION ALL
SELECT 'region' AS facet, region AS name, region_class AS class, '' AS detail, {{ measures() }}
FROM events GROUP BY region, region_class
UNION ALL
SELECT 'principal' AS facet, principal AS name, principal_class AS class, '' AS detail, {{ measures() }}
FROM events GROUP BY principal, principal_class
UNION ALL
SELECT 'api' AS facet, principal AS name, service AS class, api AS detail, {{ measures() }}
FROM events GROUP BY principal, service, api
UNION ALL
SELECT 'hour' AS facet, hour AS name, principal_class AS class, '' AS detail, {{ measures() }}
FROM events GROUP BY hour, principal_class
"""


@dataclass(frozen=True)
class Tally:
    """Event counts for one principal class, region or principal."""

    name: str  # principal class, region, principal, or hour (``2024-03-13T14``)
    cls: str  # principal class; expected/unexpected for a region; the event source for an API
    events: int
    writes: int
    errors: int
    principals: int
    sources: int
    first_seen: str
    last_seen: str
    detail: str = ""  # the event name, for an API tally
    denied: int = 0  # AccessDenied / Unauthorized errors
    self_calls: int = 0  # IAM calls by an IAM user on itself (CreateAccessKey for oneself)


@dataclass
class Baseline:
    """The framing of a hunt: events by principal class and region class, and what the context misses."""

    sql: str
    context: AccountContext
    classes: list[Tally] = field(default_factory=list)
    regions: list[Tally] = field(default_factory=list)
    principals: list[Tally] = field(default_factory=list)
    apis: list[Tally] = field(default_factory=list)  # per principal, event source and event name
    hours: list[Tally] = field(default_factory=list)  # per hour and principal class

    @property
    def total_events(self) -> int:
        """Events in the hunt window."""
        return sum(t.events for t in self.classes)

    def class_events(self, cls: str) -> int:
        """Events of one principal class (0 when absent)."""
        return sum(t.events for t in self.classes if t.name == cls)

    def class_of(self, principal: str | None) -> str:
        """The class of a principal; a principal seen both acting itself and through an AWS service
        takes its own class. ``unknown`` when the principal is not in the window."""
        seen = {t.cls for t in self.principals if t.name == principal}
        own = [c for c in PRINCIPAL_CLASSES if c in seen and c != "aws-service"]
        return own[0] if own else ("aws-service" if seen else "unknown")

    def activity(self, principals: Iterable[str]) -> list[Tally]:
        """The API tallies of some principals (what else they did in the window), by first call
        (ties in the order the baseline query returned them)."""
        found = [pair for name in set(principals) for pair in self._apis_by_principal.get(name, [])]
        return [t for _, t in sorted(found, key=lambda pair: (pair[1].first_seen, pair[1].detail, pair[0]))]

    @cached_property
    def _apis_by_principal(self) -> dict[str, list[tuple[int, Tally]]]:
        """``apis`` by principal, each tally with its position (a report asks for hundreds of them)."""
        index: dict[str, list[tuple[int, Tally]]] = defaultdict(list)
        for position, tally in enumerate(self.apis):
            index[tally.name].append((position, tally))
        return index

    def noisiest_automation(self, limit: int = 5) -> list[Tally]:
        """The busiest automation principals: expected noise, set aside."""
        return _top(t for t in self.principals if t.cls == "automation")[:limit]

    def unknown_principals(self, limit: int = 10) -> list[Tally]:
        """Principals the context does not name and that are not AWS services, busiest first."""
        return _top(t for t in self.principals if t.cls == "unknown")[:limit]

    def unknown_principal_count(self) -> int:
        """How many distinct principals the context does not know."""
        return len({t.name for t in self.principals if t.cls == "unknown"})

    def unexpected_regions(self) -> list[Tally]:
        """Regions outside the context's expected regions (empty when the context lists none)."""
        if not self.context.expected_regions:
            return []
        return _top(t for t in self.regions if t.cls == "unexpected")


def _top(tallies: Iterable[Tally]) -> list[Tally]:
    return sorted(tallies, key=lambda t: (-t.events, t.name))


def baseline_sql(
    renderer: Renderer,
    context: AccountContext,
    window: Window,
    target: str = "athena",
    table: str = TABLE_NAME,
) -> str:
    """The baseline query in Athena SQL, rendered with the project's macros like a detection."""
    options = RenderOptions(context=context, window=window, target=target, table=table)  # type: ignore[arg-type]
    try:
        return renderer.render_text(BASELINE_SQL, options)
    except jinja2.TemplateError as error:
        raise ProblemError([Problem("RENDER001", f"baseline query: {error}")]) from error


def compute_baseline(
    con: duckdb.DuckDBPyConnection, renderer: Renderer, context: AccountContext, window: Window
) -> Baseline:
    """Run the baseline query over the table loaded in DuckDB."""
    rows = query(con, baseline_sql(renderer, context, window, target="duckdb"), "baseline")
    return baseline_from_rows(baseline_sql(renderer, context, window), context, rows)


def baseline_from_rows(sql: str, context: AccountContext, rows: Iterable[dict[str, Any]]) -> Baseline:
    """The baseline from the rows of its query (run on any engine); ``sql`` is the Athena text."""
    facets: dict[str, list[Tally]] = {"class": [], "region": [], "principal": [], "api": [], "hour": []}
    for row in rows:
        facets[row["facet"]].append(
            Tally(
                name=str(row["name"]),
                cls=str(row["class"]),
                events=int(row["events"] or 0),
                writes=int(row["writes"] or 0),
                errors=int(row["errors"] or 0),
                principals=int(row["principals"] or 0),
                sources=int(row["sources"] or 0),
                first_seen=str(row["first_seen"]),
                last_seen=str(row["last_seen"]),
                detail=str(row["detail"] or ""),
                denied=int(row["denied"] or 0),
                self_calls=int(row["self_calls"] or 0),
            )
        )
    classes = sorted(facets["class"], key=lambda t: PRINCIPAL_CLASSES.index(t.name))
    hours = sorted(facets["hour"], key=lambda t: (t.name, PRINCIPAL_CLASSES.index(t.cls)))
    return Baseline(
        sql, context, classes, _top(facets["region"]), _top(facets["principal"]), facets["api"], hours
    )
