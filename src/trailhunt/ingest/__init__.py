"""Reading CloudTrail logs: discovery, loading into DuckDB, the parquet cache."""
