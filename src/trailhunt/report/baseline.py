"""Baseline framing: who and where the hunted events come from, measured with one Athena query.

The query is Athena (Trino) SQL written with the same macros as the detections (principal classes
come from ``is_automation()`` and friends), rendered through the project's templates, and run on
DuckDB through the transpiler, so the same text can run on Athena.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import jinja2

from trailhunt.context import AccountContext
from trailhunt.duckdb_engine import fetch
from trailhunt.problems import Problem, ProblemError
from trailhunt.render import Renderer, RenderOptions
from trailhunt.schema import TABLE_NAME
from trailhunt.window import Window
from trailhunt.windowless import translate_rendered

if TYPE_CHECKING:
    import duckdb

# Checked in this order: what the context names wins over what AWS itself does.
PRINCIPAL_CLASSES = ("human", "automation", "service", "aws-service", "unknown")
EXPECTED_NOISE = frozenset({"automation", "aws-service"})

BASELINE_SQL = """\
{%- macro measures() -%}
count(*) AS events, count_if(readonly = 'false') AS writes, count_if(errorcode IS NOT NULL) AS errors,
  count(DISTINCT principal) AS principals, count(DISTINCT sourceipaddress) AS sources,
  min(eventtime) AS first_seen, max(eventtime) AS last_seen
{%- endmacro %}
WITH events AS (
  SELECT
    coalesce({{ principal_key() }}, '?') AS principal,
    CASE
      WHEN {{ is_automation() }} THEN 'automation'
      WHEN {{ is_service_account() }} THEN 'service'
      WHEN {{ is_human() }} THEN 'human'
      WHEN {{ is_aws_service() }} THEN 'aws-service'
      ELSE 'unknown'
    END AS principal_class,
    coalesce(awsregion, '?') AS region,
    CASE WHEN {{ expected_region() }} THEN 'expected' ELSE 'unexpected' END AS region_class,
    eventtime, readonly, errorcode, sourceipaddress
  FROM {{ cloudtrail }}
  WHERE {{ in_window() }}
)
SELECT 'class' AS facet, principal_class AS name, principal_class AS class, {{ measures() }}
FROM events GROUP BY principal_class
UNION ALL
SELECT 'region' AS facet, region AS name, region_class AS class, {{ measures() }}
FROM events GROUP BY region, region_class
UNION ALL
SELECT 'principal' AS facet, principal AS name, principal_class AS class, {{ measures() }}
FROM events GROUP BY principal, principal_class
"""


@dataclass(frozen=True)
class Tally:
    """Event counts for one principal class, region or principal."""

    name: str
    cls: str  # principal class, or expected/unexpected for a region
    events: int
    writes: int
    errors: int
    principals: int
    sources: int
    first_seen: str
    last_seen: str


@dataclass
class Baseline:
    """The framing of a hunt: events by principal class and region class, and what the context misses."""

    sql: str
    context: AccountContext
    classes: list[Tally] = field(default_factory=list)
    regions: list[Tally] = field(default_factory=list)
    principals: list[Tally] = field(default_factory=list)

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
    """Run the baseline query over the loaded table."""
    sql = baseline_sql(renderer, context, window)
    facets: dict[str, list[Tally]] = {"class": [], "region": [], "principal": []}
    translation = translate_rendered(  # issue 17 (translate): translated once for every window
        lambda any_window: baseline_sql(renderer, context, any_window, target="duckdb"), window, "baseline"
    )
    for row in fetch(con, translation.duckdb_sql):
        facets[row["facet"]].append(
            Tally(
                name=str(row["name"]),
                cls=str(row["class"]),
                events=int(row["events"]),
                writes=int(row["writes"]),
                errors=int(row["errors"]),
                principals=int(row["principals"]),
                sources=int(row["sources"]),
                first_seen=str(row["first_seen"]),
                last_seen=str(row["last_seen"]),
            )
        )
    classes = sorted(facets["class"], key=lambda t: PRINCIPAL_CLASSES.index(t.name))
    return Baseline(sql, context, classes, _top(facets["region"]), _top(facets["principal"]))
