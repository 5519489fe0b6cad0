{#-
id: s3_replication_to_external_account
title: S3 replication configured to a bucket in an outside account
attack: [T1537]
confidence: high
severity: high
description: >
  A PutBucketReplication whose rules name a destination Account that is neither yours nor trusted.
  From then on S3 itself copies every new (and, with batch replication, existing) object to the
  other account, a quiet and durable exfiltration channel that keeps working after the attacker's
  credentials are revoked. Confidence is high because replication targets are few and known;
  severity is high because the copy continues until someone removes the rule.
tuning: |
  List DR, backup and partner accounts in `trusted_accounts`. Only rules that state
  Destination.Account are judged: a rule without it (no owner override) may still point at a bucket
  in another account, which CloudTrail does not reveal; check destination buckets you do not
  recognise by hand (corroborate). Automation is not excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - PutBucketVersioning (Enabled) on the source bucket just before (replication requires versioning)
  - CreateRole or UpdateAssumeRolePolicy for an S3 replication role by the same principal
  - S3 Batch Operations jobs (s3control CreateJob) replicating existing objects
  - whether the destination bucket names in the evidence belong to any account you know
response:
  - "Remove replication: aws s3api delete-bucket-replication --bucket {{ finding.bucket_name }}"
  - "Review the configuration now in force: aws s3api get-bucket-replication --bucket {{ finding.bucket_name }}"
  - "Check for batch replication jobs: aws s3control list-jobs --account-id {{ finding.account_id }} --region {{ finding.aws_region }}"
  - "Contain the caller: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
  - https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough-2.html
  - https://attack.mitre.org/techniques/T1537/
tests:
  - fixture: cloudtrail/exfil/s3_replication_external.json
    context: contexts/exfil_org.yaml
    expect: [{event_name: PutBucketReplication, bucket_name: prod-db-backups, destination_accounts: "999988887777", principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}, {event_name: PutBucketReplication, finding_kind: attempt}]
    name: replicate_to_attacker_account
  - {fixture: cloudtrail/exfil/s3_replication_external.json, expect: [{destination_accounts: "444455556666, 999988887777"}, {event_name: PutBucketReplication, finding_kind: attempt}], name: partner_unlisted_without_context}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_replicates_to_partner}
  - {fixture: cloudtrail/exfil/human_admin_day.json, expect: 0, name: same_account_replica}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: 0, name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
WITH replications AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,
         -- The destination accounts and buckets the replication rules name.
         regexp_extract_all(requestparameters, '"Account"\s*:\s*"([0-9]{12})"', 1) AS rule_accounts,
         regexp_extract_all(requestparameters, '"Bucket"\s*:\s*"arn:aws[a-z-]*:s3:::([^"]+)"', 1)
           AS destination_buckets
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 's3.amazonaws.com'
    AND eventname = 'PutBucketReplication'
),
destinations AS (
  SELECT replications.*, {{ exfil.untrusted_accounts('rule_accounts') }} AS outside
  FROM replications
)
SELECT
  {{ findings.finding_columns("concat('bucket ', coalesce(bucket_name, '?'),
      ' replicates to account(s) ', array_join(outside, ', '),
      ' (destination buckets: ', array_join(destination_buckets, ', '), ')')") }},
  bucket_name,
  array_join(outside, ', ') AS destination_accounts
FROM destinations
WHERE cardinality(outside) > 0
