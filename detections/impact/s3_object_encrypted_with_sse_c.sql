{#-
id: s3_object_encrypted_with_sse_c
title: S3 objects rewritten with a customer-provided encryption key (SSE-C)
attack: [T1486]
confidence: high
severity: critical
description: >
  A principal wrote objects (CopyObject onto themselves, PutObject, multipart upload) with SSE-C:
  S3 encrypts them with a key the caller supplies and AWS never stores. Ransomware crews
  (Codefinger, 2025) copy objects in place with their own key, so the owner can no longer read
  them, then set a short lifecycle rule and leave a note. Confidence is high because few
  applications use SSE-C and those are known service accounts; severity is critical because,
  without versioning, the data is unrecoverable without the attacker's key.
tuning: |
  Needs S3 data events (write). Automation, service accounts and AWS services are excluded; list
  the rare applications that use SSE-C under `service_accounts`. `min_objects` (default 1) raises
  the bar if one such app is shared. Failed writes (errorcode set) are excluded: a denied SSE-C copy
  is still worth a look in access_denied_burst. Reads of SSE-C objects (GetObject with the key
  headers) are not writes and are not reported.
corroborate:
  - PutBucketLifecycleConfiguration with a short Expiration on the same buckets (deleting the originals)
  - PutBucketVersioning Suspended, or DeleteObject of older versions by the same principal
  - a README or ransom-note PutObject in the bucket and the same access key used from a new IP
  - whether SSE-C was blocked on the bucket (PutBucketEncryption with BlockedEncryptionTypes) and, if so, who removed it
response:
  - "Contain the key now: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user> (or revoke the role's sessions)"
  - "Stop lifecycle deletion of originals: aws s3api get-bucket-lifecycle-configuration --bucket <bucket from {{ finding.buckets }}> and delete-bucket-lifecycle if it was changed"
  - "If versioning is on, restore the prior (SSE-S3/KMS) versions: aws s3api list-object-versions --bucket <bucket> --prefix <key> then copy-object from the previous version id"
  - "Block SSE-C on the bucket: aws s3api put-bucket-encryption --bucket <bucket> with BlockedEncryptionTypes SSE-C (or deny s3:x-amz-server-side-encryption-customer-algorithm in the bucket policy)"
references:
  - https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html
  - https://aws.amazon.com/blogs/security/preventing-unintended-encryption-of-amazon-s3-objects/
  - https://attack.mitre.org/techniques/T1486/
parameters:
  min_objects: 1
attempts_opt_out: "a burst threshold over successful calls; failed calls are access_denied_burst's subject"
tests:
  - fixture: cloudtrail/exfil/s3_ssec_copy.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", event_name: CopyObject, objects: 3, buckets: prod-db-backups, event_count: 3}]
    name: ransomware_copy_in_place
  - {fixture: cloudtrail/exfil/s3_ssec_copy.json, params: {min_objects: 5}, expect: 0, name: below_min_objects}
  - {fixture: cloudtrail/exfil/s3_copy_sse_kms.json, expect: 0, name: kms_reencryption_and_denied_sse_c}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: 0, name: export_archives_with_kms}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: 0, name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{#- The evidence of one principal's SSE-C writes (an aggregate over `writes`). -#}
{% macro writes_evidence() -%}
concat(CAST(count(DISTINCT object_path) AS varchar), ' object(s) written with a customer-provided key (SSE-C) in ',
       {{ exfil.sample_list('array_agg(DISTINCT bucket_name)') }},
       ' via ', {{ exfil.sample_list('array_agg(DISTINCT eventname)') }})
{%- endmacro %}
WITH writes AS (
  SELECT eventtime, eventname, eventid, useridentity, sourceipaddress, awsregion, recipientaccountid, useragent,
         json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,
         concat(json_extract_scalar(requestparameters, '$.bucketName'), '/',
                json_extract_scalar(requestparameters, '$.key')) AS object_path
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('CopyObject', 'PutObject', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy',
                      'CompleteMultipartUpload')
    AND errorcode IS NULL
    AND (json_extract_scalar(requestparameters, '$["x-amz-server-side-encryption-customer-algorithm"]') IS NOT NULL
         OR json_extract_scalar(additionaleventdata, '$.SSEApplied') = 'SSE_C')
    AND NOT {{ context.is_expected_principal() }}
)
SELECT
  {{ findings.aggregate_finding_columns(writes_evidence()) }},
  count(DISTINCT object_path) AS objects,
  {{ exfil.sample_list('array_agg(DISTINCT bucket_name)', 20) }} AS buckets
FROM writes
GROUP BY {{ findings.principal_key() }}
HAVING count(DISTINCT object_path) >= {{ param('min_objects') }}
