{#-
id: cloudtrail_trail_weakened
title: CloudTrail trail weakened by UpdateTrail
attack: [T1685.002]
confidence: medium
severity: high
description: >
  UpdateTrail changed a trail so that it records less or can be read or altered by someone else:
  S3 destination moved to another bucket, multi-region logging, log file validation or global
  service events turned off, KMS encryption removed or switched to a key of an outside account,
  CloudWatch Logs delivery removed. Each change is compared with the trail's last known state
  (CreateTrail/UpdateTrail responses in the look-back), so re-sending an unchanged setting does
  not fire. Confidence is medium because administrators do restructure trails; severity is high
  because every later action in the account is hidden or lands in a bucket the attacker reads.
tuning: |
  Trail changes by your IaC pipeline are excluded when its roles are listed under `automation`.
  A new S3 bucket counts as a change when the trail's previous bucket is known from the look-back
  (`parameters.cloudtrail_trail_weakened.history_days`, default 90); with no history, a bucket
  fires only when `parameters.cloudtrail_trail_weakened.log_buckets` lists your sanctioned log
  buckets and the new one is not among them. A move to a listed bucket never fires. KMS keys of
  `trusted_accounts` (a central security account) are not outside keys. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - StopLogging, DeleteTrail or PutEventSelectors on the same trail by the same principal
  - the new S3 bucket is owned by another account (head-bucket with --expected-bucket-owner fails)
  - the same access key creating users, keys or policies in the following hour
  - the caller's source IP or user agent never seen for this principal before
response:
  - "Review the trail as it is now: aws cloudtrail get-trail --name '{{ finding.trail }}' --region {{ finding.aws_region }}"
  - "Check that the new bucket is yours (fails if another account owns it): aws s3api head-bucket --bucket '{{ finding.s3_bucket }}' --expected-bucket-owner {{ finding.account_id }}"
  - "Restore the trail: aws cloudtrail update-trail --name '{{ finding.trail }}' --region {{ finding.aws_region }} --s3-bucket-name <your log bucket> --is-multi-region-trail --include-global-service-events --enable-log-file-validation --kms-key-id <your trail key>"
  - "Disable the caller's key while you investigate: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user>"
references:
  - https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateTrail.html
  - https://attack.mitre.org/techniques/T1562/008/
parameters:
  history_days: 90
  log_buckets: []
tests:
  - fixture: cloudtrail/evasion/trail_update_weakened.json
    expect:
      - event_name: UpdateTrail
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        trail: "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"
        s3_bucket: trail-archive-7731
        evidence: "trail org-trail: S3 destination changed from org-audit-logs-111122223333 to trail-archive-7731; multi-region logging turned off; log file validation turned off"
  - fixture: cloudtrail/evasion/trail_update_foreign_kms.json
    name: outside_kms_key_and_cloudwatch_removed
    expect:
      - trail: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-trail"
        evidence: "trail eu-trail: global service events turned off; logs encrypted with a KMS key of account 999988887777"
      - trail: "arn:aws:cloudtrail:us-east-1:111122223333:trail/security-trail"
        evidence: "trail security-trail: KMS encryption removed; CloudWatch Logs delivery removed"
  - fixture: cloudtrail/evasion/trail_update_foreign_kms.json
    context: contexts/evasion_tuned.yaml
    name: unlisted_bucket_without_history
    expect:
      - {trail: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-trail"}
      - {trail: "arn:aws:cloudtrail:us-east-1:111122223333:trail/security-trail"}
      - trail: "arn:aws:cloudtrail:us-east-1:111122223333:trail/app-trail"
        evidence: "trail app-trail: S3 destination set to trail-archive-7731, not a listed log bucket"
  - fixture: cloudtrail/evasion/trail_update_benign.json
    name: iac_bucket_move_without_context
    expect:
      - {principal_arn: "arn:aws:sts::111122223333:assumed-role/terraform-apply/terraform-1710320400", s3_bucket: org-audit-logs-v2-111122223333}
  - {fixture: cloudtrail/evasion/trail_update_benign.json, context: contexts/evasion.yaml, expect: 0, name: unchanged_settings_and_iac}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- A boolean setting the request turns off, unless the trail's last known state already had it off. -#}
{% macro turned_off(request_key, state_key, label) -%}
CASE WHEN json_extract_scalar(request, '$.{{ request_key }}') = 'false'
      AND coalesce(json_extract_scalar(prior_state, '$.{{ state_key }}'), 'true') <> 'false'
     THEN '{{ label }} turned off' END
{%- endmacro %}
{#- A setting the request clears (empty string), unless the trail's last known state had none. -#}
{% macro removed(key, label) -%}
CASE WHEN json_extract_scalar(request, '$.{{ key }}') = ''
      AND (prior_state IS NULL OR json_extract_scalar(prior_state, '$.{{ key }}') IS NOT NULL)
     THEN '{{ label }} removed' END
{%- endmacro %}
WITH trail_states AS (
  -- Every successful CreateTrail/UpdateTrail response in the look-back: the trail's state after it.
  SELECT eventtime, eventid, eventname,
         json_extract_scalar(responseelements, '$.trailARN') AS trail_arn,
         responseelements AS state
  FROM {{ history.config_history(param('history_days').value) }} AS config
  WHERE eventsource = 'cloudtrail.amazonaws.com'
    AND eventname IN ('CreateTrail', 'UpdateTrail')
    AND errorcode IS NULL
),
prior AS (
  -- The state each UpdateTrail started from: the latest earlier state of the same trail.
  SELECT cur.eventid AS update_event_id,
         max_by(prev.state, concat(prev.eventtime, prev.eventid)) AS prior_state
  FROM trail_states AS cur
  JOIN trail_states AS prev
    ON prev.trail_arn = cur.trail_arn
   AND concat(prev.eventtime, prev.eventid) < concat(cur.eventtime, cur.eventid)
  WHERE cur.eventname = 'UpdateTrail'
  GROUP BY cur.eventid
),
updates AS (
  SELECT ct.eventtime, ct.eventname, ct.useridentity, ct.sourceipaddress, ct.awsregion, ct.recipientaccountid,
         ct.eventid, ct.useragent, ct.errorcode,
         coalesce(json_extract_scalar(ct.responseelements, '$.trailARN'),
                  json_extract_scalar(ct.requestparameters, '$.name')) AS trail,
         coalesce(json_extract_scalar(ct.responseelements, '$.name'),
                  json_extract_scalar(ct.requestparameters, '$.name')) AS trail_name,
         json_extract_scalar(ct.requestparameters, '$.s3BucketName') AS s3_bucket,
         json_extract_scalar(prior.prior_state, '$.s3BucketName') AS previous_bucket,
         json_extract_scalar(ct.requestparameters, '$.kmsKeyId') AS kms_key,
         ct.requestparameters AS request,
         prior.prior_state
  FROM {{ cloudtrail }} AS ct
  LEFT JOIN prior ON prior.update_event_id = ct.eventid
  WHERE {{ trail.in_window() }}
    AND ct.eventsource = 'cloudtrail.amazonaws.com'
    AND ct.eventname = 'UpdateTrail'
    AND NOT {{ context.is_automation() }}
),
weakened AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode, trail, trail_name, s3_bucket,
         concat_ws('; ',
           CASE WHEN s3_bucket IS NULL OR {{ sql.in_list('s3_bucket', param('log_buckets').value) }} THEN NULL
                WHEN previous_bucket IS NOT NULL AND previous_bucket <> s3_bucket
                  THEN concat('S3 destination changed from ', previous_bucket, ' to ', s3_bucket)
                WHEN previous_bucket IS NULL AND {{ 'TRUE' if param('log_buckets').value else 'FALSE' }}
                  THEN concat('S3 destination set to ', s3_bucket, ', not a listed log bucket') END,
           {{ turned_off('isMultiRegionTrail', 'isMultiRegionTrail', 'multi-region logging') }},
           {{ turned_off('enableLogFileValidation', 'logFileValidationEnabled', 'log file validation') }},
           {{ turned_off('includeGlobalServiceEvents', 'includeGlobalServiceEvents', 'global service events') }},
           {{ removed('kmsKeyId', 'KMS encryption') }},
           CASE WHEN starts_with(kms_key, 'arn:')
                 AND split_part(kms_key, ':', 5) <> coalesce(recipientaccountid, useridentity.accountid)
                 AND NOT {{ context.trusted_account("split_part(kms_key, ':', 5)") }}
                THEN concat('logs encrypted with a KMS key of account ', split_part(kms_key, ':', 5)) END,
           {{ removed('cloudWatchLogsLogGroupArn', 'CloudWatch Logs delivery') }}
         ) AS weakenings
  FROM updates
)
SELECT
  {{ findings.finding_columns("concat('trail ', coalesce(trail_name, '?'), ': ', weakenings)") }},
  trail,
  s3_bucket
FROM weakened
WHERE weakenings <> ''
