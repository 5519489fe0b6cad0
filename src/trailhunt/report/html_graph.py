"""The identity graph of an incident candidate, as inline SVG (no scripts).

Principal → the access keys it used → the users, keys and roles it created or changed → the
resources shared out, so the chain of an intrusion reads left to right. A user that was created
and then acted itself is one node: the chain continues from it. Built only from the candidate's
findings (contract columns and the detections' extra columns); every label is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trailhunt.escape import for_html
from trailhunt.findings import Finding
from trailhunt.report.actors import ACCESS_KEY, USER_COLUMNS, named_users
from trailhunt.report.correlate import Candidate, tactic_of

h = for_html
COLUMN_WIDTH, ROW_HEIGHT, NODE_WIDTH, NODE_HEIGHT = 330, 56, 210, 34
MAX_NODES = 24
SHARED_OUT = re.compile(r"snapshot|image|ami|bucket|object|db_|cluster|secret|key_id", re.IGNORECASE)
KINDS = ("principal", "key", "identity", "resource")


@dataclass
class Graph:
    """Nodes (id -> (kind, label)) and labelled edges, in the order they were found."""

    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)
    edges: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    itself: dict[str, list[str]] = field(default_factory=dict)

    def node(self, node_id: str, kind: str, label: str) -> str:
        self.nodes.setdefault(node_id, (kind, label))
        return node_id

    def edge(self, source: str, target: str, label: str) -> None:
        if source != target:
            labels = self.edges.setdefault((source, target), [])
            if label not in labels:
                labels.append(label)

    def on_itself(self, node: str, label: str) -> None:
        """A call a principal made on itself: noted on its node, not drawn as a loop."""
        calls = self.itself.setdefault(node, [])
        if label not in calls:
            calls.append(label)

    def label(self, node: str) -> str:
        """The node's label, with the calls it made on itself."""
        calls = self.itself.get(node)
        return self.nodes[node][1] + (f" (on itself: {', '.join(calls)})" if calls else "")


def _principal_label(arn: str) -> str:
    rest = arn.split(":", 5)[-1] if arn.count(":") >= 5 else arn
    return rest.replace("assumed-role/", "session ")


def _user_node(g: Graph, account: str, name: str) -> str:
    return g.node(f"user:{account}:{name}", "identity", f"user/{name}")


def _actor(g: Graph, f: Finding) -> tuple[str, str]:
    """The nodes a finding's call came from: (its access key, else its principal; the principal)."""
    arn = f.principal_arn or "?"
    if ":user/" in arn and f.account_id:
        principal = _user_node(g, f.account_id, arn.rsplit("/", 1)[-1])
        g.nodes[principal] = ("principal", _principal_label(arn))
    else:
        principal = g.node(f"arn:{arn}", "principal", _principal_label(arn))
    if not f.access_key_id:
        return principal, principal
    key = g.node(f"key:{f.access_key_id}", "key", f"key {f.access_key_id}")
    g.edge(principal, key, "signs with" if f.access_key_id.startswith("AKIA") else "session")
    return key, principal


def build_graph(c: Candidate) -> Graph:
    """The candidate's identities and what they did to each other, from its findings."""
    g = Graph()
    for f in sorted(c.findings, key=lambda f: f.first_seen):
        actor, principal = _actor(g, f)
        for column, value in f.extra.items():
            if not isinstance(value, str) or not value or len(g.nodes) >= MAX_NODES:
                continue
            if value in named_users(f) and column in (*USER_COLUMNS, "target_name") and f.account_id:
                user = _user_node(g, f.account_id, value)
                if user == principal:
                    g.on_itself(principal, f.event_name)
                else:
                    g.edge(actor, user, f.event_name)
            elif ACCESS_KEY.match(value) and value != f.access_key_id:
                g.edge(actor, g.node(f"key:{value}", "key", f"key {value}"), f.event_name)
            elif column == "target_name" and f.extra.get("target_type") in ("role", "group"):
                kind = f.extra["target_type"]
                g.edge(actor, g.node(f"{kind}:{value}", "identity", f"{kind}/{value}"), f.event_name)
            elif tactic_of(f) in ("exfiltration", "collection") and SHARED_OUT.search(column):
                g.edge(actor, g.node(f"res:{value}", "resource", value), f.event_name)
    return g


def _columns(g: Graph) -> dict[str, int]:
    """Each node's column: one right of the furthest node pointing at it (cycles cut)."""
    column = {n: 0 for n in g.nodes}
    for _ in range(len(g.nodes)):
        changed = False
        for source, target in g.edges:
            if column[target] < column[source] + 1 <= len(g.nodes):
                column[target] = column[source] + 1
                changed = True
        if not changed:
            break
    return column


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def identity_graph(c: Candidate) -> str:
    """The candidate's identity graph as inline SVG (empty when there is nothing to link)."""
    g = build_graph(c)
    if not g.edges and not g.itself:
        return ""
    column = _columns(g)
    rows: dict[int, int] = {}
    place: dict[str, tuple[int, int]] = {}
    for node in g.nodes:
        row = rows[column[node]] = rows.get(column[node], -1) + 1
        place[node] = (10 + column[node] * COLUMN_WIDTH, 10 + row * ROW_HEIGHT)
    width = 20 + (max(column.values()) + 1) * COLUMN_WIDTH
    height = 20 + max(rows.values(), default=0) * ROW_HEIGHT + NODE_HEIGHT
    edges = []
    for (source, target), labels in g.edges.items():
        (x1, y1), (x2, y2) = place[source], place[target]
        x1, y1, x2, y2 = x1 + NODE_WIDTH, y1 + NODE_HEIGHT // 2, x2, y2 + NODE_HEIGHT // 2
        text = ", ".join(labels[:2]) + (f" +{len(labels) - 2}" if len(labels) > 2 else "")
        edges.append(
            f"<g class=edge><title>{h(', '.join(labels))}</title>"
            f"<line x1={x1} y1={y1} x2={x2 - 6} y2={y2} marker-end='url(#arrow-{h(c.id)})'></line>"
            f"<text x={x1 + (x2 - x1) * 3 // 5} y={y1 + (y2 - y1) * 3 // 5 - 5} text-anchor=middle>"
            f"{h(_short(text, 20))}</text></g>"
        )
    nodes = "".join(
        f"<g class='node n-{kind}' tabindex=0><title>{h(g.label(n))}</title>"
        f"<rect x={place[n][0]} y={place[n][1]} width={NODE_WIDTH} height={NODE_HEIGHT} rx=6></rect>"
        f"<text x={place[n][0] + 8} y={place[n][1] + 21}>{h(_short(g.label(n), 34))}</text></g>"
        for n, (kind, _) in g.nodes.items()
    )
    marker = (
        f"<defs><marker id=arrow-{h(c.id)} viewBox='0 0 10 10' refX=9 refY=5 markerWidth=7 markerHeight=7 "
        "orient=auto><path d='M0,0 L10,5 L0,10 z'></path></marker></defs>"
    )
    legend = "".join(f"<span class=key><span class='swatch n-{k}'></span>{k}</span>" for k in KINDS)
    return (
        f"<figure class=graph-figure><svg class=graph width={width} viewBox='0 0 {width} {height}' role=group "
        f"aria-label='identity graph of {h(c.id)}'>{marker}{''.join(edges)}{nodes}</svg>"
        f"<figcaption class=legend>{legend} <span class=dim>who acted, with which key, on which "
        "identities and resources</span></figcaption></figure>"
    )
