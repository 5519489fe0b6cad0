{#-
id: s3_public_access_block_disabled
title: S3 Block Public Access removed or weakened on a bucket or the account
attack: [T1537, T1530]
confidence: medium
severity: high
description: >
  A principal deleted a bucket's or the account's Block Public Access configuration
  (DeleteBucketPublicAccessBlock, DeleteAccountPublicAccessBlock), or wrote one
  with any of BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy or RestrictPublicBuckets not true
  (fields left out of a Put are false). This is the switch that must be turned off before a public
  policy or ACL takes effect, so it is usually the first step of exposing a bucket. Confidence is
  medium because intentionally public buckets need it too; severity is high because it removes the
  guard for the whole bucket, or for every bucket when done at account level.
tuning: |
  Name buckets meant to be public in
  `parameters.s3_public_access_block_disabled.allowed_public_buckets` (account-level changes are
  always reported). Automation is not excluded: IaC normally sets the blocks on, so a pipeline
  turning them off deserves a look. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - PutBucketPolicy or PutBucketAcl on the same bucket by the same principal soon after (s3_bucket_policy_public_or_external, s3_bucket_acl_public_or_external)
  - the caller's source IP and user agent compared with how this principal normally works
  - an organization SCP or account-level block that should have prevented the change (why did it not?)
response:
  - "Restore the bucket's block: aws s3api put-public-access-block --bucket {{ finding.bucket_name }} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
  - "Restore the account's block: aws s3control put-public-access-block --account-id {{ finding.account_id }} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
  - "Check what the bucket exposes now: aws s3api get-bucket-policy-status --bucket {{ finding.bucket_name }}"
references:
  - https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
  - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
  - https://attack.mitre.org/techniques/T1530/
parameters:
  allowed_public_buckets: []
tests:
  - fixture: cloudtrail/exfil/s3_public_access_block_off.json
    expect:
      - {event_name: DeleteBucketPublicAccessBlock, bucket_name: prod-customer-exports, blocks_off: "all (configuration deleted)"}
      - {event_name: PutBucketPublicAccessBlock, bucket_name: corp-finance-reports, blocks_off: "BlockPublicPolicy"}
      - {event_name: PutAccountPublicAccessBlock, bucket_name: null, blocks_off: "BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets"}
      - {event_name: DeleteBucketPublicAccessBlock, finding_kind: attempt}
    name: bucket_delete_weaken_and_account_level
  - {fixture: cloudtrail/exfil/s3_public_access_block_off.json, params: {allowed_public_buckets: [prod-customer-exports, corp-finance-reports]}, expect: [{event_name: PutAccountPublicAccessBlock}, {event_name: DeleteBucketPublicAccessBlock, finding_kind: attempt}], name: website_buckets_allowed_account_level_still_reported}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: 0, name: terraform_sets_all_blocks_on}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: DeleteBucketPublicAccessBlock, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{%- set settings = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] %}
WITH changes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,
         -- The settings the call leaves off (a Delete turns them all off).
         CASE WHEN eventname LIKE 'Delete%' THEN 'all (configuration deleted)'
              ELSE concat_ws(', '
              {%- for name in settings %},
                CASE WHEN coalesce(json_extract_scalar(requestparameters,
                                                       {{ sql.literal('$.PublicAccessBlockConfiguration.' ~ name) }}),
                                   'false') <> 'true' THEN {{ sql.literal(name) }} END
              {%- endfor %}) END AS blocks_off
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('DeleteBucketPublicAccessBlock', 'PutBucketPublicAccessBlock',
                      'DeleteAccountPublicAccessBlock', 'PutAccountPublicAccessBlock')
)
SELECT
  {{ findings.finding_columns("concat(coalesce(concat('bucket ', bucket_name), 'account-level'),
      ' Block Public Access off: ', blocks_off)") }},
  bucket_name,
  blocks_off
FROM changes
WHERE blocks_off <> ''
  AND NOT {{ exfil.in_param_list('bucket_name', 'allowed_public_buckets') }}
