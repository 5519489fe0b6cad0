{#-
id: s3_bucket_policy_public_or_external
title: S3 bucket policy grants the public or an outside account
attack: [T1537, T1530]
confidence: medium
severity: high
description: >
  A PutBucketPolicy whose Allow statements grant Principal "*" without a restricting condition
  (source VPC/VPC endpoint/IP, organization, source account or ARN), or name an account that is
  neither yours nor trusted. Either lets someone outside read (or write) the bucket directly, the
  simplest way to move data out without touching it with your own credentials. Confidence is medium
  because public website buckets and new vendors legitimately appear here until listed; severity is
  high because the whole bucket is exposed at once.
tuning: |
  List partner accounts in `trusted_accounts`; name buckets meant to be public (static websites) in
  `parameters.s3_bucket_policy_public_or_external.allowed_public_buckets` (outside accounts on those
  buckets are still reported). Deny statements are ignored, as are service principals and "*"
  principals restricted by aws:SourceVpce, aws:SourceVpc, aws:SourceIp, aws:PrincipalOrgID,
  aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or
  aws:PrincipalArn conditions (an IP condition may still allow the internet: check it). Automation is
  not excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - DeleteBucketPublicAccessBlock or PutBucketPublicAccessBlock with blocks off on the same bucket just before (s3_public_access_block_disabled)
  - GetObject or ListObjects on the bucket from outside principals or anonymous callers afterwards (requires S3 data events)
  - the bucket's content class (exports, backups, logs) and whether the granted account is known to anyone in the team
response:
  - "See the policy now in force: aws s3api get-bucket-policy --bucket {{ finding.bucket_name }}"
  - "Remove the policy (or restore the previous version from IaC): aws s3api delete-bucket-policy --bucket {{ finding.bucket_name }}"
  - "Re-enable the block: aws s3api put-public-access-block --bucket {{ finding.bucket_name }} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
  - "Contain the caller: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
  - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
  - https://attack.mitre.org/techniques/T1537/
parameters:
  allowed_public_buckets: []
tests:
  - fixture: cloudtrail/exfil/s3_policy_public.json
    context: contexts/exfil_org.yaml
    expect:
      - {event_name: PutBucketPolicy, bucket_name: prod-customer-exports, granted_to: "public (*)"}
      - {bucket_name: corp-finance-reports, granted_to: "999988887777", principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}
    name: public_and_attacker_account
  - {fixture: cloudtrail/exfil/s3_policy_public.json, expect: [{bucket_name: prod-customer-exports}, {bucket_name: corp-finance-reports, granted_to: "444455556666, 999988887777"}], name: partner_unlisted_without_context}
  - {fixture: cloudtrail/exfil/s3_policy_public.json, context: contexts/exfil_org.yaml, params: {allowed_public_buckets: [prod-customer-exports]}, expect: [{bucket_name: corp-finance-reports}], name: website_bucket_allowed}
  - {fixture: cloudtrail/exfil/s3_policy_restricted.json, context: contexts/exfil_org.yaml, expect: [{event_name: PutBucketPolicy, finding_kind: attempt}], name: vpce_and_org_conditions_deny_and_denied_call}
  - {fixture: cloudtrail/exfil/s3_policy_padded.json, context: contexts/exfil_org.yaml, expect: [{bucket_name: prod-customer-exports, granted_to: "public (*)"}], name: public_grant_after_fifty_deny_statements}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: cloudfront_oac_and_partner}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'json.sql' as json with context %}
{#- The event columns finding_columns() reads, carried through the CTEs. -#}
{% macro event_columns() -%}
eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent, errorcode
{%- endmacro %}
{#- Condition keys that limit a Principal "*" statement to known callers or networks. -#}
{%- set limiting_keys = ['sourcevpce', 'sourcevpc', 'sourceip', 'principalorgid', 'principalorgpaths',
                         'principalaccount', 'sourceaccount', 'sourcearn', 'sourceorgid', 'principalarn'] %}
WITH policies AS (
  SELECT {{ event_columns() }},
    json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,
    filter({{ json.json_items("json_extract(requestparameters, '$.bucketPolicy.Statement')") }},
      s -> json_extract_scalar(s, '$.Effect') = 'Allow') AS allows
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 's3.amazonaws.com'
    AND eventname = 'PutBucketPolicy'
),
principals AS (
  -- The 12-digit account ids named in the Allow statements' principals.
  SELECT {{ event_columns() }}, bucket_name, allows,
    regexp_extract_all(
      array_join(transform(allows, s -> coalesce(json_format(json_extract(s, '$.Principal')), '')), ' '),
      '(^|[":])([0-9]{12})([":]|$)', 2) AS principal_accounts
  FROM policies
),
grants AS (
  SELECT {{ event_columns() }}, bucket_name,
    cardinality(filter(allows, s -> regexp_like(coalesce(json_format(json_extract(s, '$.Principal')), ''), '"\*"')
      AND NOT regexp_like(lower(coalesce(json_format(json_extract(s, '$.Condition')), '')),
                          {{ sql.literal('aws:(' ~ limiting_keys | join('|') ~ ')') }}))) > 0
      AND NOT {{ exfil.in_param_list('bucket_name', 'allowed_public_buckets') }} AS is_public,
    {{ exfil.untrusted_accounts('principal_accounts') }} AS outside
  FROM principals
),
granted AS (
  SELECT grants.*,
    concat_ws(', ', CASE WHEN is_public THEN 'public (*)' END, nullif(array_join(outside, ', '), '')) AS granted_to
  FROM grants
)
SELECT
  {{ findings.finding_columns("concat('bucket ', coalesce(bucket_name, '?'), ' policy grants ', granted_to)") }},
  bucket_name,
  granted_to
FROM granted
WHERE is_public OR cardinality(outside) > 0
