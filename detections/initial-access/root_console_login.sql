{#-
id: root_console_login
title: Root user console sign-in
attack: [T1078.004]
confidence: medium
severity: high
description: >
  The account's root user signed in to the console. Root is meant for a handful of account-level
  tasks, so a root sign-in is either one of those rare tasks or someone holding the root password
  (and, without MFA, nothing else). Medium confidence: planned root tasks exist (billing, closing
  the account, restoring a locked bucket policy); high severity: root cannot be limited by IAM.
tuning: |
  Only successful sign-ins fire (failed root sign-ins count in console_login_password_spray). No
  context key quiets it: announce planned root tasks and close the finding against the ticket.
  The evidence says whether MFA was used; a root sign-in without MFA should be treated as high
  confidence.
corroborate:
  - "was MFA used (evidence), and is the source address one the account owners use?"
  - "what did the root session do (CloudTrail with userIdentity.type = Root after the sign-in: CreateAccessKey, DeactivateMFADevice, account contact changes)?"
  - "were there failed root sign-ins or password-recovery e-mails just before?"
response:
  - "Confirm with the root credential owner that the sign-in was theirs"
  - "If not: reset the root password through password recovery, re-register root MFA, and check the account e-mail address and alternate contacts"
  - "Check for root access keys: aws iam get-account-summary --query SummaryMap.AccountAccessKeysPresent"
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html
  - https://attack.mitre.org/techniques/T1078/004/
attempts_opt_out: "a failed ConsoleLogin carries no errorcode; failures are console_login_failure_burst's subject"
tests:
  - fixture: cloudtrail/iam/root_activity.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:root", source_ip: 185.220.101.47, mfa_used: "No"}]
  - {fixture: cloudtrail/iam/console_logins.json, expect: 0, name: iam_and_federated_sign_ins}
  - {fixture: cloudtrail/iam/console_login_spray.json, expect: 0, name: failed_root_sign_in}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro mfa_used() %}json_extract_scalar(additionaleventdata, '$.MFAUsed'){% endmacro %}
{%- macro evidence() -%}
concat('root console sign-in from ', coalesce(sourceipaddress, '?'),
    ' (MFA used: ', coalesce({{ mfa_used() }}, 'unknown'), ')')
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence(), attempts=false) }},
  {{ mfa_used() }} AS mfa_used
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'signin.amazonaws.com'
  AND eventname = 'ConsoleLogin'
  AND useridentity.type = 'Root'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
