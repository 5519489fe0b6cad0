{#-
id: iam_login_profile_set_for_other_user
title: Console password created or changed for another IAM user
attack: [T1098.001]
confidence: medium
severity: high
description: >
  A principal created or reset the console password (login profile) of an IAM user other than
  itself. Attackers do this to turn a programmatic foothold into console access, or to take over
  an existing user. Medium confidence: help-desk password resets exist, but are rare where SSO is
  used; high severity: whoever set the password can now sign in as that user.
tuning: |
  A user changing its own password (ChangePassword, or UpdateLoginProfile naming itself) never
  fires. IaC roles under `automation` are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. If a
  help-desk role resets passwords by design, listing it under `automation` quiets it, at the
  price of not seeing a takeover through that role.
corroborate:
  - "does a ConsoleLogin for the target user follow, from an address that user never used (console_login_from_new_ip)?"
  - did the caller also remove the user's MFA (iam_mfa_device_removed) or add keys (iam_access_key_created_for_other_user)?
  - was passwordResetRequired false (the attacker keeps the password it chose)?
response:
  - "Remove the console password: aws iam delete-login-profile --user-name '{{ finding.target_user }}'"
  - "Or, if the owner needs console access, force a reset by the owner: aws iam update-login-profile --user-name '{{ finding.target_user }}' --password-reset-required"
  - "Check the user's MFA devices are the owner's: aws iam list-mfa-devices --user-name '{{ finding.target_user }}'"
references:
  - https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html
  - https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateLoginProfile.html
  - https://attack.mitre.org/techniques/T1098/001/
tests:
  - fixture: cloudtrail/iam/login_profile_changes.json
    context: contexts/iam_default.yaml
    expect:
      - {event_name: UpdateLoginProfile, target_user: bob, principal_arn: "arn:aws:sts::111122223333:assumed-role/legacy-jenkins/i-0f3a9c2b7d1e4a5b6"}
      - {event_name: CreateLoginProfile, target_user: svc-reporting}
  - fixture: cloudtrail/iam/iam_backdoor_user_chain.json
    expect: [{event_name: CreateLoginProfile, target_user: support-helpdesk}]
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, context: contexts/iam_default.yaml, expect: 0, name: own_password}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: CreateLoginProfile, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
{%- macro target_user() %}json_extract_scalar(requestparameters, '$.userName'){% endmacro %}
{%- macro actor_name() -%}
coalesce(useridentity.username, useridentity.sessioncontext.sessionissuer.username, useridentity.arn, '?')
{%- endmacro %}
{%- macro evidence() -%}
concat(eventname, ' on IAM user ', {{ target_user() }},
    ' by ', coalesce(useridentity.type, '?'), ' ', {{ actor_name() }},
    ' (passwordResetRequired: ',
    coalesce(json_extract_scalar(requestparameters, '$.passwordResetRequired'), 'not set'), ')')
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ target_user() }} AS target_user
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname IN ('CreateLoginProfile', 'UpdateLoginProfile')
  AND {{ iam.targets_other_user() }}
  AND NOT {{ context.is_automation() }}
