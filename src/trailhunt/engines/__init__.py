"""Query engines: one ``Engine`` protocol (``base``), implemented for DuckDB, Athena and Trino."""
