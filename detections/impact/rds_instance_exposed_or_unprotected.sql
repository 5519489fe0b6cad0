{#-
id: rds_instance_exposed_or_unprotected
title: RDS master password reset, database made public or deletion protection removed
attack: [T1098, T1485]
confidence: medium
severity: high
description: >
  ModifyDBInstance or ModifyDBCluster by a principal that is not automation that resets the master
  password (masterUserPassword present, its value redacted), makes the database publicly accessible,
  or turns deletion protection off. Resetting the master password hands the caller the database;
  public access exposes it to the internet; disabling deletion protection is the step before
  destroying it. Medium confidence: DBAs reset passwords by hand; high severity: the database
  itself.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Changes in the safe direction (public access off, protection on) are not reported. Failed calls
  (errorcode set) are reported as attempts, one confidence level lower, with the error in the
  evidence.
corroborate:
  - "connections to the database from new addresses after the change (database logs, VPC flow logs)?"
  - "DeleteDBInstance, snapshots shared or copied by the same principal afterwards?"
response:
  - "Look at the instance: aws rds describe-db-instances --db-instance-identifier '{{ finding.db_identifier }}'"
  - "Undo exposure: aws rds modify-db-instance --db-instance-identifier '{{ finding.db_identifier }}' --no-publicly-accessible --deletion-protection --apply-immediately"
  - "Rotate the master password through Secrets Manager (--manage-master-user-password)"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html
  - https://attack.mitre.org/techniques/T1485/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: ModifyDBInstance, db_identifier: prod-orders, changes: "master password reset, made publicly accessible, deletion protection off"}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
WITH modifications AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         coalesce(json_extract_scalar(requestparameters, '$.dBInstanceIdentifier'),
                  json_extract_scalar(requestparameters, '$.dBClusterIdentifier')) AS db_identifier,
         concat_ws(', ',
           CASE WHEN json_extract(requestparameters, '$.masterUserPassword') IS NOT NULL
                THEN 'master password reset' END,
           CASE WHEN json_extract_scalar(requestparameters, '$.publiclyAccessible') = 'true'
                THEN 'made publicly accessible' END,
           CASE WHEN json_extract_scalar(requestparameters, '$.deletionProtection') = 'false'
                THEN 'deletion protection off' END) AS changes
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'rds.amazonaws.com'
    AND eventname IN ('ModifyDBInstance', 'ModifyDBCluster')
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
)
SELECT
  {{ findings.finding_columns("concat(eventname, ' ', coalesce(db_identifier, '?'), ': ', changes)") }},
  db_identifier,
  changes
FROM modifications
WHERE changes <> ''
