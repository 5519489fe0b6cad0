"""Athena-to-DuckDB translation with Athena's semantics: one rule family per module."""
