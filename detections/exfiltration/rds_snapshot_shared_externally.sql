{#-
id: rds_snapshot_shared_externally
title: RDS DB or cluster snapshot shared with an outside account or made public
attack: [T1537]
confidence: high
severity: critical
description: >
  A principal added restore permission on an RDS DB snapshot or Aurora cluster snapshot for an
  account that is neither yours nor trusted, or for "all" (public). The receiver restores the
  snapshot into a database of their own and reads every table. Confidence is high because snapshot
  sharing goes to a few known accounts; severity is critical because a database snapshot is usually
  the most sensitive data an account holds.
tuning: |
  List backup, DR and partner accounts in `trusted_accounts`. Automation is not excluded (a backup
  pipeline that starts copying to an unknown account is the case to catch). Only valuesToAdd is
  read; removals are ignored. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - CreateDBSnapshot, CreateDBClusterSnapshot or CopyDBSnapshot by the same principal shortly before
  - the snapshot is unencrypted or encrypted with a key whose policy the same principal changed (PutKeyPolicy, CreateGrant)
  - other sharing by the same principal (ModifySnapshotAttribute, ModifyImageAttribute, PutBucketPolicy)
response:
  - "Revoke a DB snapshot share: aws rds modify-db-snapshot-attribute --db-snapshot-identifier {{ finding.snapshot_id }} --attribute-name restore --values-to-remove <value from {{ finding.shared_with }}> --region {{ finding.aws_region }}"
  - "Revoke a cluster snapshot share: aws rds modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier {{ finding.snapshot_id }} --attribute-name restore --values-to-remove <value from {{ finding.shared_with }}> --region {{ finding.aws_region }}"
  - "Check the snapshot's remaining shares: aws rds describe-db-snapshot-attributes --db-snapshot-identifier {{ finding.snapshot_id }} --region {{ finding.aws_region }}"
  - "Contain the caller: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBSnapshotAttribute.html
  - https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBClusterSnapshotAttribute.html
  - https://attack.mitre.org/techniques/T1537/
tests:
  - fixture: cloudtrail/exfil/rds_snapshot_shared.json
    expect:
      - {event_name: ModifyDBSnapshotAttribute, snapshot_id: prod-orders-2024-03-18, shared_with: "999988887777"}
      - {event_name: ModifyDBClusterSnapshotAttribute, snapshot_id: analytics-weekly-2024-03-17, shared_with: "all"}
    name: shared_to_attacker_and_public
  - {fixture: cloudtrail/exfil/human_admin_day.json, context: contexts/exfil_org.yaml, expect: 0, name: admin_shares_with_partner}
  - {fixture: cloudtrail/exfil/human_admin_day.json, expect: [{snapshot_id: prod-orders-2024-03-14, shared_with: "444455556666"}], name: partner_unlisted_without_context}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_shares_cluster_snapshot_with_partner}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: ModifyDBSnapshotAttribute, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
WITH restore_permissions AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         coalesce(json_extract_scalar(requestparameters, '$.dBSnapshotIdentifier'),
                  json_extract_scalar(requestparameters, '$.dBClusterSnapshotIdentifier')) AS snapshot_id,
         CAST(json_extract(requestparameters, '$.valuesToAdd') AS ARRAY(VARCHAR)) AS added
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'rds.amazonaws.com'
    AND eventname IN ('ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute')
    AND json_extract_scalar(requestparameters, '$.attributeName') = 'restore'
),
shares AS (
  SELECT restore_permissions.*, {{ exfil.outside_grantees('added') }} AS outside
  FROM restore_permissions
)
SELECT
  {{ findings.finding_columns("concat('snapshot ', coalesce(snapshot_id, '?'),
      ' restore permission added for ', array_join(outside, ', '))") }},
  snapshot_id,
  array_join(outside, ', ') AS shared_with
FROM shares
WHERE cardinality(outside) > 0
