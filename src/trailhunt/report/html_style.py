"""The HTML report's one stylesheet and the Content-Security-Policy that pins it by hash."""

from __future__ import annotations

import base64
import hashlib

from trailhunt.catalog.attack import TACTIC_ORDER

TACTIC_COLOURS = (
    "#6b7280", "#0e7490", "#7c3aed", "#b45309", "#c2410c", "#be123c", "#9f1239", "#db2777",
    "#a16207", "#2563eb", "#4d7c0f", "#0f766e", "#475569", "#b91c1c", "#7f1d1d",
)  # fmt: skip
CLASS_COLOURS = {
    "human": "#2563eb",
    "automation": "#9ca3af",
    "service": "#0f766e",
    "aws-service": "#d1d5db",
    "unknown": "#dc2626",
}
NODE_COLOURS = {"principal": "#fee2e2", "key": "#fef3c7", "identity": "#ede9fe", "resource": "#dcfce7"}
CSS = (
    """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1280px;padding:1.5rem;color:#111827}
h1{font-size:1.5rem}h2{border-bottom:2px solid #e5e7eb;margin-top:2rem}h3{margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #e5e7eb;padding:.25rem .4rem;
text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#f3f4f6;white-space:nowrap}
td.n{text-align:right;white-space:nowrap}td.k{white-space:nowrap}
pre{background:#f8fafc;border:1px solid #e5e7eb;padding:.5rem;overflow-x:auto;white-space:pre}
code{font:12px/1.4 ui-monospace,monospace}.dim{color:#6b7280}.notice{background:#fef3c7;padding:.5rem;font-weight:600}
.lvl{display:inline-block;padding:0 .4rem;border-radius:3px;font-weight:600}.l1{background:#e5e7eb}
.l2{background:#fde68a}.l3{background:#f87171;color:#fff}.l4{background:#7f1d1d;color:#fff}
.sev-critical,.sev-high{color:#b91c1c;font-weight:600}.sev-medium{color:#a16207}
article{border:1px solid #e5e7eb;border-radius:6px;padding:.3rem 1rem 1rem;margin:1rem 0}
ul.summary li{margin:.3rem 0}
figure{margin:.6rem 0}svg{width:100%;height:auto;font:12px system-ui,sans-serif;overflow:visible}
.axis-line,.tick{stroke:#6b7280;stroke-width:1}.tick-label{fill:#374151}
.dot circle{stroke:#fff;stroke-width:1.5}.dot:focus{outline:none}.dot:focus circle,.dot:hover circle{stroke:#111827;stroke-width:2.5}
.dot-label{visibility:hidden;fill:#111827;font-weight:600}.dot:hover .dot-label,.dot:focus .dot-label{visibility:visible}
.legend{font-size:12px;color:#374151}.key{margin-right:.8rem;white-space:nowrap}
.swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:.3rem;vertical-align:middle}
.overview-figure{border:1px solid #e5e7eb;border-radius:6px;padding:.4rem .6rem}
.shade{fill:#fee2e2;opacity:.7}.shade-label{fill:#991b1b;font-weight:600}
svg.graph{width:auto;max-width:100%}.graph .edge line{stroke:#6b7280;stroke-width:1.5}.graph .edge text{fill:#374151;font-size:11px}
.graph marker path{fill:#6b7280}.node rect{stroke:#6b7280;stroke-width:1}.node text{fill:#111827}
.node:focus rect,.node:hover rect{stroke:#111827;stroke-width:2.5}.node:focus{outline:none}
ol.timeline{list-style:none;padding-left:0}ol.timeline li{border-left:4px solid #9ca3af;padding:.1rem .6rem;margin:.2rem 0}
.seen{color:#15803d}.todo{color:#a16207}
"""
    + "".join(
        f"circle.t-{t}{{fill:{c}}}.swatch.t-{t}{{background:{c}}}ol.timeline li.t-{t}{{border-left-color:{c}}}"
        for t, c in zip(TACTIC_ORDER, TACTIC_COLOURS, strict=True)
    )
    + "".join(f"rect.c-{k}{{fill:{c}}}.swatch.c-{k}{{background:{c}}}" for k, c in CLASS_COLOURS.items())
    + "".join(
        f".n-{k} rect{{fill:{c}}}.swatch.n-{k}{{background:{c};border-radius:2px}}"
        for k, c in NODE_COLOURS.items()
    )
)


def content_security_policy(css: str = CSS) -> str:
    """Nothing allowed but this page's stylesheet, pinned by its SHA-256."""
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; script-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
