{#-
id: iam_account_authorization_details
title: Full IAM dump with GetAccountAuthorizationDetails by a non-automation principal
attack: [T1087.004, T1069.003]
confidence: medium
severity: medium
description: >
  A principal that is not a listed automation, service account or AWS service called
  iam:GetAccountAuthorizationDetails, which returns every user, group, role and policy of the
  account in one paginated answer. It is the first call of most AWS post-exploitation tools
  (Pacu iam__enum_permissions, cloudfox, PMapper) because it maps privilege-escalation paths at
  once; people rarely need it. Confidence is medium because CSPM and audit tools use it on a
  schedule until they are listed; severity is medium because it is reconnaissance, not yet harm.
tuning: |
  List security scanners and audit roles (Prowler, ScoutSuite, CSPM vendor roles) under
  `service_accounts` or `automation`. One row per principal; pages of the same dump are counted in
  event_count. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - a discovery_api_burst or access_denied_burst by the same principal around the same time
  - privilege changes by the same principal afterwards (AttachUserPolicy, PutRolePolicy, UpdateAssumeRolePolicy, CreatePolicyVersion)
  - the source IP and user agent compared with the principal's history
response:
  - "Review what the principal did next: filter CloudTrail on {{ finding.principal_arn }} from {{ finding.first_seen }} for writes (readOnly false)"
  - "If unexpected, disable the key: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user>, or revoke the role's sessions"
  - "Assume the IAM layout is known to the attacker: review roles with broad trust policies and any privilege-escalation paths it reveals"
references:
  - https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
  - https://attack.mitre.org/techniques/T1087/004/
tests:
  - {fixture: cloudtrail/exfil/iam_gaad.json, expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", event_name: GetAccountAuthorizationDetails, event_count: 3, source_ip: 185.220.101.47}], name: stolen_key_dumps_iam}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: prowler_is_a_service_account}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: [{principal_arn: "arn:aws:sts::111122223333:assumed-role/security-audit/prowler-1710460800", event_count: 3}], name: scanner_without_context}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: GetAccountAuthorizationDetails, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro evidence() -%}
concat('GetAccountAuthorizationDetails: ', CAST(count(*) AS varchar),
    ' page(s) of the account''s users, groups, roles and policies read')
{%- endmacro %}
SELECT
  {{ findings.aggregate_finding_columns(evidence(), attempts=true) }}
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname = 'GetAccountAuthorizationDetails'
  AND NOT {{ context.is_expected_principal() }}
GROUP BY {{ findings.principal_key() }}, {{ findings.attempt_group() }}
