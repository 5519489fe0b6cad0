"""The staging part of the CloudFormation export: the parquet table and the Stage Map's items.

The state machine builds each copy INSERT from the run's scheduled time and the item's accounts
(``Staging.copy_expression``); an account chunk holds at most 100 account × region partitions.
Staging data lives under ``staging/`` in the results bucket and expires after the longest look-back
the catalogue reads.
"""

from __future__ import annotations

from typing import Any

from trailhunt.export_cfn_iam import sub
from trailhunt.staging import Staging, staging_table


def staging_resources(
    staging: Staging, raw_table: str
) -> tuple[dict[str, Any], tuple[list[dict[str, Any]], str]]:
    """The Glue table resource, and the Stage Map's items with the INSERT's JSONata expression."""
    resources = {"StagingTable": staging_table(staging, sub("s3://${ResultsBucket}/staging/"))}
    items = [
        {"id": f"stage-{i}", "accounts": list(c)} for i, c in enumerate(staging.account_chunks(), start=1)
    ]
    return resources, (items, staging.copy_expression(raw_table))


def lifecycle_rules(retention_days: int) -> list[dict[str, Any]]:
    """Results expire after 30 days; staged parquet after the longest look-back plus two days."""
    return [
        {"Id": "expire-results", "Status": "Enabled", "Prefix": "athena/", "ExpirationInDays": 30},
        {
            "Id": "expire-staging",
            "Status": "Enabled",
            "Prefix": "staging/",
            "ExpirationInDays": retention_days,
        },
    ]
