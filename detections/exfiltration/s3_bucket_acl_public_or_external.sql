{#-
id: s3_bucket_acl_public_or_external
title: S3 bucket or object ACL grants AllUsers, AuthenticatedUsers or another canonical user
attack: [T1537, T1530]
confidence: medium
severity: high
description: >
  A PutBucketAcl or PutObjectAcl that grants the AllUsers or AuthenticatedUsers groups (by grant,
  grant header or a public-read, public-read-write or authenticated-read canned ACL), or grants a
  canonical user other than the bucket owner. ACLs are a legacy path most accounts no longer use,
  so a public or foreign grant is rarely an accident of normal work; AuthenticatedUsers means any
  AWS account at all. Confidence is medium because a few old static-site and log-delivery setups
  still write ACLs; severity is high because the data becomes readable from outside.
tuning: |
  Name buckets meant to be public in `parameters.s3_bucket_acl_public_or_external.allowed_public_buckets`
  and canonical ids of partners in `trusted_canonical_ids` (the context's account ids cannot be
  matched to canonical ids). The LogDelivery group and owner grants are not reported. Buckets with
  Object Ownership "bucket owner enforced" reject ACL changes, so those calls fail; like every failed call (errorcode set) they are reported as attempts, one confidence level lower. PutObjectAcl is a data event: it is only seen when
  S3 data events are logged.
corroborate:
  - DeleteBucketPublicAccessBlock or PutBucketOwnershipControls (ObjectWriter) on the same bucket just before
  - reads of the bucket by anonymous or outside principals afterwards (S3 data events or server access logs)
  - the same principal changing bucket policies or replication (s3_bucket_policy_public_or_external, s3_replication_to_external_account)
response:
  - "See the ACL now in force: aws s3api get-bucket-acl --bucket {{ finding.bucket_name }}"
  - "Reset it to private: aws s3api put-bucket-acl --bucket {{ finding.bucket_name }} --acl private"
  - "Disable ACLs for good: aws s3api put-bucket-ownership-controls --bucket {{ finding.bucket_name }} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'"
  - "Re-enable the block: aws s3api put-public-access-block --bucket {{ finding.bucket_name }} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
references:
  - https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html
  - https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee-predefined-groups
  - https://attack.mitre.org/techniques/T1530/
parameters:
  allowed_public_buckets: []
  trusted_canonical_ids: []
tests:
  - fixture: cloudtrail/exfil/s3_acl_public.json
    expect:
      - {event_name: PutBucketAcl, bucket_name: prod-db-backups, granted_to: "public (AllUsers/AuthenticatedUsers)"}
      - {bucket_name: corp-finance-reports, granted_to: "public (AllUsers/AuthenticatedUsers)"}
      - {bucket_name: prod-customer-exports, granted_to: "canonical user be8f2a16c7d4e3b590a1f6c2d8e4b7a3c9f0e1d2a3b4c5d6e7f8091a2b3c4d5e"}
    name: canned_public_authenticated_users_and_foreign_canonical
  - {fixture: cloudtrail/exfil/s3_acl_public.json, params: {allowed_public_buckets: [prod-db-backups], trusted_canonical_ids: [be8f2a16c7d4e3b590a1f6c2d8e4b7a3c9f0e1d2a3b4c5d6e7f8091a2b3c4d5e]}, expect: [{bucket_name: corp-finance-reports}], name: allowed_bucket_and_partner_canonical}
  - {fixture: cloudtrail/exfil/s3_acl_private.json, expect: 0, name: private_and_log_delivery}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: PutBucketAcl, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
WITH acl_changes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,
         json_extract_scalar(requestparameters, '$.key') AS object_key,
         -- A grant to the AllUsers/AuthenticatedUsers groups, or a public canned ACL.
         regexp_like(requestparameters, 'acs\.amazonaws\.com/groups/global/(AllUsers|AuthenticatedUsers)')
           OR regexp_like(coalesce(json_format(json_extract(requestparameters, '$["x-amz-acl"]')), ''),
                          '"(public-read|public-read-write|authenticated-read)"') AS public_grant,
         -- The canonical user ids granted, other than the owner's and the trusted ones.
         array_sort(array_distinct(filter(
           regexp_extract_all(requestparameters, '("ID"\s*:\s*"|id=)([0-9a-f]{64})', 2),
           cid -> cid <> coalesce(json_extract_scalar(requestparameters, '$.AccessControlPolicy.Owner.ID'), '')
                  AND NOT {{ exfil.in_param_list('cid', 'trusted_canonical_ids') }}))) AS foreign_ids
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('PutBucketAcl', 'PutObjectAcl')
),
judged AS (
  SELECT acl_changes.*,
         public_grant AND NOT {{ exfil.in_param_list('bucket_name', 'allowed_public_buckets') }} AS is_public
  FROM acl_changes
),
grants AS (
  SELECT judged.*,
         concat_ws(', ', CASE WHEN is_public THEN 'public (AllUsers/AuthenticatedUsers)' END,
                         CASE WHEN cardinality(foreign_ids) > 0
                              THEN concat('canonical user ', array_join(foreign_ids, ', canonical user ')) END)
           AS granted_to
  FROM judged
  WHERE is_public OR cardinality(foreign_ids) > 0
)
SELECT
  {{ findings.finding_columns("concat('bucket ', coalesce(bucket_name, '?'),
      coalesce(concat(' object ', object_key), ''), ' ACL grants ', granted_to)") }},
  bucket_name,
  object_key,
  granted_to
FROM grants
