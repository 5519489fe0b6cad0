"""Tooling outside the installed package: the synthetic data generator and the Trino test server."""
