{#-
id: kms_key_disabled_or_deletion_scheduled
title: KMS key disabled, scheduled for deletion or stripped of its key material
attack: [T1485, T1685]
confidence: medium
severity: high
description: >
  A KMS key was disabled (DisableKey), scheduled for deletion (ScheduleKeyDeletion; the waiting
  period is in the evidence) or had its imported key material deleted. Everything encrypted under
  the key becomes unreadable, which destroys data (T1485), and when the key protects CloudTrail,
  log groups or security tooling their delivery stops (T1685). Confidence is medium because key
  clean-up is routine for administrators; severity is high because a deleted key cannot be brought
  back once the waiting period ends.
tuning: |
  Key clean-up by your IaC pipeline is excluded when its roles are listed under `automation`.
  A short waiting period (7 days is the minimum) and a key that encrypts trails, backups or
  databases make a hit more urgent. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - the key encrypts a trail, log group, snapshot or database (aws kms list-grants, aws cloudtrail describe-trails)
  - CreateKey with an outside key policy, or PutKeyPolicy, by the same principal (re-encryption ransom pattern)
  - the same principal deleting snapshots, backups or log groups in the same hour
response:
  - "Cancel the deletion: aws kms cancel-key-deletion --key-id '{{ finding.key_id }}' --region {{ finding.aws_region }}"
  - "Re-enable the key: aws kms enable-key --key-id '{{ finding.key_id }}' --region {{ finding.aws_region }}"
  - "See what the key protects: aws kms list-grants --key-id '{{ finding.key_id }}' --region {{ finding.aws_region }}"
  - "Disable the caller's key while you investigate: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user>"
references:
  - https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
  - https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
  - https://attack.mitre.org/techniques/T1485/
tests:
  - fixture: cloudtrail/evasion/kms_key_disabled.json
    expect:
      - event_name: DisableKey
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        key_id: "arn:aws:kms:us-east-1:111122223333:key/3b8f1c2d-7e4a-4f6b-9c0d-1e2f3a4b5c6d"
        evidence: "key arn:aws:kms:us-east-1:111122223333:key/3b8f1c2d-7e4a-4f6b-9c0d-1e2f3a4b5c6d disabled"
      - event_name: ScheduleKeyDeletion
        pending_window_days: "7"
        evidence: "key arn:aws:kms:us-east-1:111122223333:key/7c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f scheduled for deletion in 7 days"
      - {event_name: DeleteImportedKeyMaterial, evidence: "key arn:aws:kms:us-east-1:111122223333:key/8e7d6c5b-4a39-4281-9f0e-d1c2b3a4f5e6 lost its imported key material"}
      - {event_name: DisableKey, finding_kind: attempt}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, expect: [{event_name: ScheduleKeyDeletion, pending_window_days: "30"}], name: iac_cleanup_without_context}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0, name: cancel_enable_and_rotation_change}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro pending_window_days() %}json_extract_scalar(requestparameters, '$.pendingWindowInDays'){% endmacro %}
{%- macro evidence() -%}
concat('key ', coalesce(element_at(resources, 1).arn, json_extract_scalar(requestparameters, '$.keyId'), '?'), ' ',
       CASE eventname
         WHEN 'DisableKey' THEN 'disabled'
         WHEN 'ScheduleKeyDeletion'
           THEN concat('scheduled for deletion in ', coalesce({{ pending_window_days() }}, '30'), ' days')
         ELSE 'lost its imported key material' END)
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  coalesce(element_at(resources, 1).arn, json_extract_scalar(requestparameters, '$.keyId')) AS key_id,
  {{ pending_window_days() }} AS pending_window_days
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'kms.amazonaws.com'
  AND eventname IN ('DisableKey', 'ScheduleKeyDeletion', 'DeleteImportedKeyMaterial')
  AND NOT {{ context.is_automation() }}
