"""The hunt report: baseline framing, ranked findings, incident candidates, detection drafts and the
triage runbook, printed as terminal text, Markdown, JSON lines or HTML. ``build.build_report`` is
the entry point; see docs/report.md.

Nothing is imported here: importing one renderer does not import the others.
"""
