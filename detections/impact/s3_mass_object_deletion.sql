{#-
id: s3_mass_object_deletion
title: Burst of S3 object deletions by one principal
attack: [T1485]
confidence: medium
severity: high
description: >
  A principal deleted at least `threshold` distinct objects with DeleteObject, or sent at least
  `batch_threshold` DeleteObjects batch requests (up to 1,000 keys each), within a `window_minutes`
  bucket. Extortion crews delete (or first copy, then delete) bucket contents and leave a ransom
  note; deletes that name a versionId remove versions for good. Confidence is medium because
  clean-up jobs delete in bursts too until they are listed; severity is high because unversioned
  data cannot be recovered.
tuning: |
  Needs S3 data events (write) for the buckets that matter. Automation, service accounts and AWS
  services are excluded (list clean-up and retention jobs under `automation` or `service_accounts`).
  Lifecycle expirations are done by S3 itself and are not logged as API calls, so they never count.
  DeleteObjects events do not list their keys, so a batch counts as one request, whatever its size.
  Failed deletes (errorcode set) are excluded. Tune `threshold`, `batch_threshold` and
  `window_minutes` in `parameters.s3_mass_object_deletion`.
corroborate:
  - PutBucketVersioning (Suspended) or PutBucketLifecycleConfiguration on the same buckets by the same principal
  - mass GetObject or CopyObject by the same principal shortly before (copy-then-delete extortion; s3_mass_getobject)
  - a new small object (README, ransom note) uploaded to the bucket after the deletions
response:
  - "Stop further deletions: attach a Deny on s3:DeleteObject* for {{ finding.principal_arn }} (or deactivate key {{ finding.access_key_id }})"
  - "If versioning was on, restore by removing delete markers: aws s3api list-object-versions --bucket <bucket from {{ finding.buckets }}> and delete-object --version-id on each marker"
  - "Protect remaining data: aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled and consider Object Lock or AWS Backup for S3"
references:
  - https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
  - https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
  - https://attack.mitre.org/techniques/T1485/
parameters:
  threshold: 100
  batch_threshold: 10
  window_minutes: 30
attempts_opt_out: "a burst threshold over successful calls; failed calls are access_denied_burst's subject"
tests:
  - fixture: cloudtrail/exfil/s3_ransom_delete.json
    params: {threshold: 10, batch_threshold: 3}
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", deleted_objects: 12, batch_requests: 3, version_deletes: 4, buckets: "corp-finance-reports, prod-customer-exports"}]
    name: extortion_wipe
  - {fixture: cloudtrail/exfil/s3_ransom_delete.json, params: {threshold: 10, batch_threshold: 5}, expect: 1, name: single_deletes_alone_reach_threshold}
  - {fixture: cloudtrail/exfil/s3_ransom_delete.json, params: {threshold: 20, batch_threshold: 5}, expect: 0, name: below_both_thresholds}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, params: {threshold: 10, batch_threshold: 3}, expect: 0, name: staging_cleanup_service_account}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, params: {threshold: 10, batch_threshold: 3}, expect: 1, name: staging_cleanup_without_context}
  - {fixture: cloudtrail/exfil/human_admin_day.json, params: {threshold: 10, batch_threshold: 3}, expect: 0, name: admin_deletes_scratch_files}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{#- The evidence of one principal's burst of deletes (an aggregate over `deletes`). -#}
{% macro burst_evidence() -%}
concat(CAST(count(DISTINCT single_object) AS varchar), ' objects deleted (',
       CAST(count_if(by_version) AS varchar), ' by version id, permanent) and ',
       CAST(count_if(is_batch) AS varchar), ' DeleteObjects batch request(s) in ',
       {{ exfil.sample_list('array_agg(DISTINCT bucket_name)') }})
{%- endmacro %}
WITH deletes AS (
  SELECT eventtime, eventname, eventid, useridentity, sourceipaddress, awsregion, recipientaccountid, useragent,
         json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,
         CASE WHEN eventname = 'DeleteObject'
              THEN concat(json_extract_scalar(requestparameters, '$.bucketName'), '/',
                          json_extract_scalar(requestparameters, '$.key')) END AS single_object,
         eventname = 'DeleteObjects' AS is_batch,
         json_extract_scalar(requestparameters, '$.versionId') IS NOT NULL AS by_version
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('DeleteObject', 'DeleteObjects')
    AND errorcode IS NULL
    AND NOT {{ context.is_expected_principal() }}
)
SELECT
  {{ findings.aggregate_finding_columns(burst_evidence()) }},
  count(DISTINCT single_object) AS deleted_objects,
  count_if(is_batch) AS batch_requests,
  count_if(by_version) AS version_deletes,
  {{ exfil.sample_list('array_agg(DISTINCT bucket_name)', 20) }} AS buckets
FROM deletes
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(DISTINCT single_object) >= {{ param('threshold') }} OR count_if(is_batch) >= {{ param('batch_threshold') }}
