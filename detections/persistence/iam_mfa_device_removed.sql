{#-
id: iam_mfa_device_removed
title: MFA device deactivated or deleted
attack: [T1556.006]
confidence: low
severity: high
description: >
  An MFA device was deactivated for an IAM user (or root), or a virtual MFA device was deleted,
  outside infrastructure-as-code. Removing the victim's MFA lets an attacker who set or knows the
  password sign in, or register their own device to lock the owner out. Low confidence: people
  replace phones and deactivate their own device first; high severity: the account falls back to
  password-only.
tuning: |
  IaC roles under `automation` (off-boarding pipelines) are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. The
  evidence says whether the caller removed its own device or someone else's: another user's
  device removed by a role or by a different user is the case to look at first. A device
  replacement shows as a removal followed by CreateVirtualMFADevice/EnableMFADevice by the same
  user; the detection still fires for it, since an attacker holding the password does the same.
  DeleteVirtualMFADevice names only the device: the last part of its serial number (the console
  names devices after their user) stands in for the user.
corroborate:
  - "was a new device enabled for the user afterwards, and from the address the owner normally uses?"
  - "did a console sign-in for the user follow from a new address (console_login_from_new_ip)?"
  - "did the caller also reset the user's password (iam_login_profile_set_for_other_user)?"
response:
  - "Check the user's devices now: aws iam list-mfa-devices --user-name '{{ finding.target_user }}'"
  - "If the removal was not the owner's, force a password change: aws iam update-login-profile --user-name '{{ finding.target_user }}' --password-reset-required"
  - "Deactivate any device the owner does not recognise: aws iam deactivate-mfa-device --user-name '{{ finding.target_user }}' --serial-number UNKNOWN_DEVICE_SERIAL"
references:
  - https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeactivateMFADevice.html
  - https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteVirtualMFADevice.html
  - https://attack.mitre.org/techniques/T1556/006/
tests:
  - fixture: cloudtrail/iam/mfa_removed.json
    context: contexts/iam_default.yaml
    expect:
      - {event_name: DeactivateMFADevice, target_user: bob, removed_by: other, serial_number: "arn:aws:iam::111122223333:mfa/bob"}
      - {event_name: DeleteVirtualMFADevice, target_user: bob, removed_by: other}
      - {event_name: DeactivateMFADevice, target_user: alice, removed_by: self}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, expect: 1, name: offboarding_without_context}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0, name: offboarding_pipeline}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: DeactivateMFADevice, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{#- The user whose device it is: the request's userName, the virtual device's name (its serial
    number's last part), else the caller. -#}
{% macro target_user() -%}
coalesce(json_extract_scalar(requestparameters, '$.userName'),
         CASE WHEN eventname = 'DeleteVirtualMFADevice'
              THEN element_at(split(json_extract_scalar(requestparameters, '$.serialNumber'), '/'), -1) END,
         useridentity.username, CASE WHEN useridentity.type = 'Root' THEN 'root' END)
{%- endmacro %}
{#- 'self' when the caller removes its own device, else 'other'. -#}
{% macro removed_by() -%}
CASE WHEN useridentity.type = 'IAMUser'
          AND lower(coalesce(useridentity.username, '')) = lower(coalesce({{ target_user() }}, '')) THEN 'self'
     WHEN useridentity.type = 'Root' AND json_extract_scalar(requestparameters, '$.userName') IS NULL THEN 'self'
     ELSE 'other' END
{%- endmacro %}
{% macro removal_evidence() -%}
concat(eventname, ' ', coalesce(json_extract_scalar(requestparameters, '$.serialNumber'), '?'),
       ' of ', coalesce({{ target_user() }}, '?'), ' (removed by ', {{ removed_by() }}, ': ',
       coalesce(useridentity.username, useridentity.sessioncontext.sessionissuer.username, useridentity.arn, '?'), ')')
{%- endmacro %}
SELECT
  {{ findings.finding_columns(removal_evidence()) }},
  {{ target_user() }} AS target_user,
  {{ removed_by() }} AS removed_by,
  json_extract_scalar(requestparameters, '$.serialNumber') AS serial_number
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname IN ('DeactivateMFADevice', 'DeleteVirtualMFADevice')
  AND NOT {{ context.is_automation() }}
