{#-
id: console_login_failure_burst
title: Burst of failed console sign-ins for one user
attack: [T1110.001]
confidence: medium
severity: medium
description: >
  At least `min_failures` console sign-ins for the same user (IAM user or root) failed within one
  `window_minutes` bucket. Password guessing against a known user name looks like this; a user
  mistyping a password rarely fails more than two or three times. Medium confidence: a user with
  a stale password manager entry can do it too; medium severity: a burst alone grants nothing,
  but a success right after is a compromise.
tuning: |
  `min_failures` (default 5) and `window_minutes` (default 15, fixed buckets, so a burst that
  straddles a bucket edge is split; lower the threshold rather than widen the bucket if that
  matters). Failures against non-existent user names (userName HIDDEN_DUE_TO_SECURITY_REASONS)
  cannot be tied to a user and are left to console_login_password_spray. Trusted networks are
  not excluded: guessing from inside is as bad.
corroborate:
  - "did a successful ConsoleLogin for the same user follow from one of the failing addresses?"
  - "are the source addresses shared with other users' failures (console_login_password_spray)?"
  - "is the user an old or unused account whose name is guessable?"
response:
  - "Check whether a sign-in succeeded after the failures (ConsoleLogin Success for the same user from {{ finding.source_ips }})"
  - "If one did, force a password change: aws iam update-login-profile --user-name '{{ finding.target_user }}' --password-reset-required"
  - "Make sure the user has MFA: aws iam list-mfa-devices --user-name '{{ finding.target_user }}'"
references:
  - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
  - https://attack.mitre.org/techniques/T1110/001/
parameters:
  min_failures: 5
  window_minutes: 15
attempts_opt_out: "failed sign-ins are its subject (ConsoleLogin failures carry no errorcode)"
tests:
  - fixture: cloudtrail/iam/console_login_failures.json
    expect: [{target_user: bob, event_count: 6, source_ips: 185.220.101.47, first_seen: "2024-03-13T14:00:05Z", last_seen: "2024-03-13T14:03:40Z"}]
  - {fixture: cloudtrail/iam/console_login_failures.json, params: {min_failures: 7}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/iam/console_login_spray.json, expect: 0, name: spray_is_one_failure_per_user}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro source_ips() %}array_join(array_sort(array_agg(DISTINCT coalesce(sourceipaddress, '?'))), ', '){% endmacro %}
{%- macro evidence() -%}
concat(CAST(count(*) AS VARCHAR), ' failed console sign-ins for ',
    coalesce(min(useridentity.username), min(useridentity.type), '?'), ' from ', {{ source_ips() }})
{%- endmacro %}
SELECT
  {{ findings.aggregate_finding_columns(evidence()) }},
  coalesce(min(useridentity.username), min(useridentity.type)) AS target_user,
  {{ source_ips() }} AS source_ips
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'signin.amazonaws.com'
  AND eventname = 'ConsoleLogin'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure'
  AND coalesce(useridentity.username, '') <> 'HIDDEN_DUE_TO_SECURITY_REASONS'
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(*) >= {{ param('min_failures') }}
