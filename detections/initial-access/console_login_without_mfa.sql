{#-
id: console_login_without_mfa
title: IAM user console sign-in without MFA
attack: [T1078.004]
confidence: low
severity: medium
description: >
  An IAM user signed in to the AWS console successfully without MFA. A stolen or guessed
  password is enough for this sign-in, so it is how phished or leaked IAM passwords are used.
  Federated sign-ins (IAM Identity Center, SAML, federation URLs: userIdentity.type AssumedRole or
  FederatedUser) are excluded because MFA happens at the identity provider, and root sign-ins are
  reported by root_console_login. Low confidence: users without MFA sign in this way every day
  until the gap is fixed; medium severity: password-only console access to the account.
tuning: |
  Only successful sign-ins (responseElements.ConsoleLogin = Success) fire; failed ones belong to
  the failure-burst detections. Do not suppress users here: the fix is to enforce MFA (an IAM
  policy denying everything when aws:MultiFactorAuthPresent is false), after which every hit is
  an anomaly. To focus on sign-ins from unusual places, read it with console_login_from_new_ip.
corroborate:
  - "is the source address new for this user (console_login_from_new_ip) or outside trusted_cidrs?"
  - "were there failed sign-ins for the user just before (console_login_failure_burst, console_login_password_spray)?"
  - "what did the console session do next (CloudTrail events with the same userIdentity.arn and sessionCredentialFromConsole = true)?"
response:
  - "If the owner did not sign in, force a password change: aws iam update-login-profile --user-name '{{ finding.user_name }}' --password-reset-required"
  - "Check the user's MFA devices: aws iam list-mfa-devices --user-name '{{ finding.user_name }}'"
  - "Revoke the console session with an aws:TokenIssueTime deny policy, then enforce MFA with a policy denying everything when aws:MultiFactorAuthPresent is false"
references:
  - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
  - https://attack.mitre.org/techniques/T1078/004/
attempts_opt_out: "a failed ConsoleLogin carries no errorcode; failures are console_login_failure_burst's subject"
tests:
  - fixture: cloudtrail/iam/console_logins.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/svc-reporting", user_name: svc-reporting, source_ip: 185.220.101.47}]
  - {fixture: cloudtrail/iam/console_logins.json, context: contexts/iam_default.yaml, expect: 1, name: not_quieted_by_context}
  - {fixture: cloudtrail/iam/root_activity.json, expect: 0, name: root_is_reported_elsewhere}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, expect: 0, name: login_with_mfa}
  - {fixture: cloudtrail/iam/console_login_spray.json, expect: 0, name: failures_only}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro evidence() -%}
concat('console sign-in without MFA by IAM user ', coalesce(useridentity.username, '?'),
    ' from ', coalesce(sourceipaddress, '?'))
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence(), attempts=false) }},
  useridentity.username AS user_name
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'signin.amazonaws.com'
  AND eventname = 'ConsoleLogin'
  AND useridentity.type = 'IAMUser'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
