{#-
id: s3_mass_getobject
title: One principal downloads an unusual number of distinct S3 objects in a short window
attack: [T1530]
confidence: medium
severity: high
description: >
  A principal read at least `threshold` DISTINCT objects with GetObject within a `window_minutes`
  bucket. Bulk download (aws s3 sync/cp --recursive, rclone) is the usual way data is staged out of
  S3 with stolen credentials; applications tend to read the same objects again and again, and batch
  jobs run under roles that the context lists. Confidence is medium because analysts and new jobs
  also read a lot at times; severity is high because the data has left once it is read.
tuning: |
  Needs S3 data events (eventCategory Data) for the buckets that matter. Automation, service
  accounts and AWS services (Athena, Glue, replication acting with invokedBy) are excluded: list
  export, backup and ETL roles under `service_accounts` or `automation`. Tune `threshold` (distinct
  bucket/key pairs) and `window_minutes` per account in `parameters.s3_mass_getobject`; a download
  that straddles a bucket edge is split, so keep the window well above the burst length. Failed
  reads (errorcode set) are excluded.
corroborate:
  - ListBuckets/ListObjects by the same principal just before (the attacker mapping what to take)
  - the source IP or user agent never seen for this principal before (rclone, s3cmd, Python from a VPS)
  - GuardDuty Exfiltration:S3/AnomalousBehavior or Discovery:S3/AnomalousBehavior findings for the principal
  - bytes out in the evidence compared with the principal's usual daily volume
response:
  - "Scope the theft: list the keys read, filtering S3 data events on principal {{ finding.principal_arn }} between {{ finding.first_seen }} and {{ finding.last_seen }} (buckets {{ finding.buckets }})"
  - "Cut access: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user> (or revoke the role's sessions)"
  - "Block the source at the bucket while you investigate: add a Deny for aws:SourceIp {{ finding.source_ip }} to the bucket policy"
references:
  - https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
  - https://attack.mitre.org/techniques/T1530/
parameters:
  threshold: 500
  window_minutes: 60
attempts_opt_out: "a burst threshold over successful calls; failed calls are access_denied_burst's subject"
tests:
  - fixture: cloudtrail/exfil/s3_bulk_download.json
    params: {threshold: 10}
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", distinct_objects: 12, buckets: "corp-finance-reports, prod-customer-exports", bytes_out: 520814770, event_count: 13}]
    name: stolen_key_bulk_download
  - {fixture: cloudtrail/exfil/s3_bulk_download.json, params: {threshold: 13}, expect: 0, name: repeat_reads_do_not_count_twice}
  - {fixture: cloudtrail/exfil/s3_slow_reads.json, params: {threshold: 10}, expect: 0, name: analyst_reads_spread_over_hours_and_app_rereads}
  - {fixture: cloudtrail/exfil/s3_slow_reads.json, params: {threshold: 10, window_minutes: 240}, expect: [{distinct_objects: 12}], name: wider_window_catches_slow_reads}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, params: {threshold: 10}, expect: 0, name: export_service_account}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, params: {threshold: 10}, expect: [{principal_arn: "arn:aws:sts::111122223333:assumed-role/app-data-export/nightly-export", distinct_objects: 24}], name: export_role_without_context}
  - {fixture: cloudtrail/exfil/human_admin_day.json, params: {threshold: 10}, expect: 0, name: admin_reads_three_reports}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{#- The evidence of one principal's burst of reads (an aggregate over `reads`). -#}
{% macro reads_evidence() -%}
concat('GetObject of ', CAST(count(DISTINCT object_path) AS varchar), ' distinct objects (',
       CAST(coalesce(CAST(sum(bytes_transferred) AS bigint), 0) AS varchar), ' bytes out) from ',
       CAST(count(DISTINCT bucket_name) AS varchar), ' bucket(s): ',
       {{ exfil.sample_list('array_agg(DISTINCT bucket_name)') }})
{%- endmacro %}
WITH reads AS (
  SELECT eventtime, eventname, eventid, useridentity, sourceipaddress, awsregion, recipientaccountid, useragent,
         json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,
         concat(json_extract_scalar(requestparameters, '$.bucketName'), '/',
                json_extract_scalar(requestparameters, '$.key')) AS object_path,
         try_cast(json_extract_scalar(additionaleventdata, '$.bytesTransferredOut') AS double) AS bytes_transferred
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 's3.amazonaws.com'
    AND eventname = 'GetObject'
    AND eventcategory = 'Data'
    AND errorcode IS NULL
    AND NOT {{ context.is_expected_principal() }}
)
SELECT
  {{ findings.aggregate_finding_columns(reads_evidence()) }},
  count(DISTINCT object_path) AS distinct_objects,
  {{ exfil.sample_list('array_agg(DISTINCT bucket_name)', 20) }} AS buckets,
  CAST(sum(bytes_transferred) AS bigint) AS bytes_out
FROM reads
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(DISTINCT object_path) >= {{ param('threshold') }}
