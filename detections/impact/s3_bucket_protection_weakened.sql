{#-
id: s3_bucket_protection_weakened
title: S3 versioning suspended, default encryption deleted or object lock changed
attack: [T1490, T1485]
confidence: medium
severity: high
description: >
  PutBucketVersioning with Status Suspended, DeleteBucketEncryption, or PutObjectLockConfiguration
  by a principal that is not automation. Ransomware crews suspend versioning so that overwritten and
  deleted objects cannot be restored, strip default encryption before re-encrypting with their own
  key, and shorten object lock retention so protected backups can be deleted. Medium confidence:
  bucket settings are changed by hand in small teams; high severity: recovery of the bucket's data
  is at stake.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Versioning enabled and encryption set (the safe direction) are not reported. Failed calls
  (errorcode set) are reported as attempts, one confidence level lower, with the error in the
  evidence.
corroborate:
  - "mass deletions or SSE-C overwrites on the same bucket afterwards (s3_mass_object_deletion, s3_object_encrypted_with_sse_c)?"
  - "is the bucket a backup or log bucket?"
response:
  - "Re-enable versioning: aws s3api put-bucket-versioning --bucket '{{ finding.bucket_name }}' --versioning-configuration Status=Enabled"
  - "Restore default encryption: aws s3api put-bucket-encryption --bucket '{{ finding.bucket_name }}' --server-side-encryption-configuration '{\\\"Rules\\\":[{\\\"ApplyServerSideEncryptionByDefault\\\":{\\\"SSEAlgorithm\\\":\\\"aws:kms\\\"}}]}'"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
  - https://attack.mitre.org/techniques/T1490/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: PutBucketVersioning, bucket_name: prod-db-backups, change: versioning suspended}, {event_name: DeleteBucketEncryption, change: default encryption deleted}, {event_name: PutObjectLockConfiguration, change: "object lock set to GOVERNANCE 1 day(s)"}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{#- A field of the object lock default retention the request sets. -#}
{% macro retention(key) -%}
json_extract_scalar(requestparameters, '$.ObjectLockConfiguration.Rule.DefaultRetention.{{ key }}')
{%- endmacro %}
{#- What the call weakened, in words. -#}
{% macro change() -%}
CASE eventname WHEN 'PutBucketVersioning' THEN 'versioning suspended'
               WHEN 'DeleteBucketEncryption' THEN 'default encryption deleted'
               ELSE concat('object lock set to ', coalesce({{ retention('Mode') }}, 'no default retention'),
                           coalesce(concat(' ', {{ retention('Days') }}, ' day(s)'),
                                    concat(' ', {{ retention('Years') }}, ' year(s)'), '')) END
{%- endmacro %}
{% macro change_evidence() -%}
concat('bucket ', coalesce(json_extract_scalar(requestparameters, '$.bucketName'), '?'), ': ', {{ change() }})
{%- endmacro %}
SELECT
  {{ findings.finding_columns(change_evidence()) }},
  json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,
  {{ change() }} AS change
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 's3.amazonaws.com'
  AND ((eventname = 'PutBucketVersioning'
        AND json_extract_scalar(requestparameters, '$.VersioningConfiguration.Status') = 'Suspended')
       OR eventname IN ('DeleteBucketEncryption', 'PutObjectLockConfiguration'))
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
