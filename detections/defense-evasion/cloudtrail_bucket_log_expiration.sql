{#-
id: cloudtrail_bucket_log_expiration
title: Lifecycle rule expiring CloudTrail logs in their bucket
attack: [T1685.002, T1485.001]
confidence: high
severity: high
description: >
  PutBucketLifecycle (the CloudTrail name of PutBucketLifecycleConfiguration) gave a CloudTrail
  bucket a rule that expires objects, or noncurrent versions, sooner than the retention floor, or
  on a fixed date. S3 then deletes the logs itself, days later, with no DeleteObject call for
  anyone to alert on. A bucket counts as a CloudTrail bucket when a CreateTrail/UpdateTrail in the
  look-back writes to it, when it is listed in `cloudtrail_buckets`, or when its name contains
  "cloudtrail". Confidence is high because shortening audit log retention is rarely legitimate;
  severity is high because the deletion is silent and irreversible.
tuning: |
  Set `parameters.cloudtrail_bucket_log_expiration.min_retention_days` (default 365) to your
  retention policy: expirations at or beyond it are not reported. List trail buckets whose name
  lacks "cloudtrail" and that no trail in the data writes to (an organisation trail's bucket in a
  log archive account) under `cloudtrail_buckets`. Lifecycle rules written by your IaC pipeline are
  excluded when its roles are listed under `automation`. A rule is judged even if it is Disabled or
  limited to a prefix other than AWSLogs/. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - the same principal changed the trail (UpdateTrail, PutEventSelectors, StopLogging) or the bucket policy
  - object lock or versioning on the bucket turned off around the same time
  - the bucket is the only copy of the logs (no organisation trail or CloudTrail Lake store)
response:
  - "Read the rules now in force: aws s3api get-bucket-lifecycle-configuration --bucket '{{ finding.bucket }}'"
  - "Remove the expiration: aws s3api delete-bucket-lifecycle --bucket '{{ finding.bucket }}' (then put back your reviewed rules)"
  - "Copy the logs that are still there before S3 expires them: aws s3 sync 's3://{{ finding.bucket }}/AWSLogs/' <safe location>"
references:
  - https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
  - https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
  - https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.cloudtrail-lifecycle-rule/
parameters:
  min_retention_days: 365
  cloudtrail_buckets: []
  history_days: 90
tests:
  - fixture: cloudtrail/evasion/trail_bucket_lifecycle.json
    expect:
      - event_name: PutBucketLifecycle
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        bucket: org-audit-logs-111122223333
        min_expiration_days: 1
        evidence: "trail destination bucket org-audit-logs-111122223333: objects expire after 1 day(s)"
      - bucket: aws-cloudtrail-logs-111122223333-3f1a9c
        evidence: "bucket aws-cloudtrail-logs-111122223333-3f1a9c (name says cloudtrail): objects expire on a fixed date"
  - {fixture: cloudtrail/evasion/trail_bucket_lifecycle.json, params: {min_retention_days: 1}, expect: [{bucket: aws-cloudtrail-logs-111122223333-3f1a9c}], name: one_day_at_the_floor}
  - {fixture: cloudtrail/evasion/lifecycle_unlisted_bucket.json, expect: 0, name: unlisted_bucket}
  - {fixture: cloudtrail/evasion/lifecycle_unlisted_bucket.json, context: contexts/evasion_tuned.yaml, expect: [{bucket: security-audit-archive, evidence: "listed trail bucket security-audit-archive: objects expire after 3 day(s)"}], name: bucket_listed_in_context}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0, name: long_retention_and_other_bucket}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, expect: [{bucket: sandbox-cloudtrail-logs-111122223333}], name: iac_sandbox_without_context}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- The pattern of an Expiration / NoncurrentVersionExpiration's days (group 1), as an SQL literal. -#}
{% macro expiration_days_pattern() -%}
'"(?:Expiration|NoncurrentVersionExpiration)"\s*:\s*\{[^}]*?"(?:Days|NoncurrentDays)"\s*:\s*"?([0-9]{1,9})'
{%- endmacro %}
WITH trail_buckets AS (
  -- Buckets a trail wrote to during the look-back.
  SELECT DISTINCT json_extract_scalar(responseelements, '$.s3BucketName') AS bucket
  FROM {{ history.config_history(param('history_days').value) }} AS config
  WHERE eventsource = 'cloudtrail.amazonaws.com'
    AND eventname IN ('CreateTrail', 'UpdateTrail')
    AND errorcode IS NULL
    AND json_extract_scalar(responseelements, '$.s3BucketName') IS NOT NULL
),
lifecycles AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.bucketName') AS bucket,
         -- Days of every Expiration / NoncurrentVersionExpiration, whether Rule is one object or a list
         array_min(transform(
           regexp_extract_all(coalesce(requestparameters, ''), {{ expiration_days_pattern() }}, 1),
           d -> CAST(d AS BIGINT))) AS min_expiration_days,
         regexp_like(coalesce(requestparameters, ''), '"Expiration"\s*:\s*\{[^}]*"Date"') AS expires_on_date
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 's3.amazonaws.com'
    AND eventname = 'PutBucketLifecycle'
    AND NOT {{ context.is_automation() }}
),
judged AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode, lifecycles.bucket, min_expiration_days,
         CASE WHEN trail_buckets.bucket IS NOT NULL
                THEN concat('trail destination bucket ', lifecycles.bucket)
              WHEN {{ sql.in_list('lifecycles.bucket', param('cloudtrail_buckets').value) }}
                THEN concat('listed trail bucket ', lifecycles.bucket)
              WHEN strpos(lower(lifecycles.bucket), 'cloudtrail') > 0
                THEN concat('bucket ', lifecycles.bucket, ' (name says cloudtrail)')
         END AS trail_bucket,
         concat_ws('; ',
           CASE WHEN min_expiration_days < {{ param('min_retention_days') }}
                THEN concat('objects expire after ', CAST(min_expiration_days AS VARCHAR), ' day(s)') END,
           CASE WHEN expires_on_date THEN 'objects expire on a fixed date' END) AS expiry
  FROM lifecycles
  LEFT JOIN trail_buckets ON trail_buckets.bucket = lifecycles.bucket
)
SELECT
  {{ findings.finding_columns("concat(trail_bucket, ': ', expiry)") }},
  bucket,
  min_expiration_days
FROM judged
WHERE trail_bucket IS NOT NULL AND expiry <> ''
