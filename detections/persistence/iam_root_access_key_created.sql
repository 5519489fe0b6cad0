{#-
id: iam_root_access_key_created
title: Access key created for the root user
attack: [T1098.001]
confidence: high
severity: critical
description: >
  The root user created an access key for itself. AWS recommends that root has no access keys at
  all, so a new one is almost never routine; an attacker holding a root console session creates
  one to keep unrestricted programmatic access. High confidence, critical severity: root keys
  bypass every IAM policy and most SCP-free guardrails.
tuning: |
  No context key quiets it: there is no legitimate automation for root keys. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. A root session creating a key for a named IAM user is reported by
  `iam_access_key_created_for_other_user` instead.
corroborate:
  - was the root console login that preceded it made without MFA or from a new address (root_console_login, console_login_from_new_ip)?
  - is the new key used (filter CloudTrail on userIdentity.accessKeyId = the new key id), and from where?
  - did the root session also change MFA, contact details or alternate contacts (DeactivateMFADevice, PutAlternateContact, UpdateAccountEmailAddress)?
response:
  - "Deactivate the key from a root session: aws iam update-access-key --access-key-id '{{ finding.new_access_key_id }}' --status Inactive"
  - "Delete it: aws iam delete-access-key --access-key-id '{{ finding.new_access_key_id }}'"
  - "Confirm no root keys remain: aws iam get-account-summary --query SummaryMap.AccountAccessKeysPresent"
  - "Reset the root password, re-register root MFA and check that the root e-mail address and alternate contacts are unchanged"
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_add-key.html
  - https://attack.mitre.org/techniques/T1098/001/
tests:
  - fixture: cloudtrail/iam/root_activity.json
    expect: [{event_name: CreateAccessKey, principal_arn: "arn:aws:iam::111122223333:root", source_ip: 185.220.101.47, new_access_key_id: AKIATOKU247PBIAJOMSI}]
  - {fixture: cloudtrail/iam/access_key_other_user.json, expect: 0, name: iam_users_creating_keys}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro new_access_key_id() %}json_extract_scalar(responseelements, '$.accessKey.accessKeyId'){% endmacro %}
{%- macro evidence() -%}
concat('root created its own access key ', coalesce({{ new_access_key_id() }}, '?'),
    ' (session MFA: ', coalesce(useridentity.sessioncontext.attributes.mfaauthenticated, 'unknown'), ')')
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ new_access_key_id() }} AS new_access_key_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname = 'CreateAccessKey'
  AND useridentity.type = 'Root'
  AND json_extract_scalar(requestparameters, '$.userName') IS NULL
