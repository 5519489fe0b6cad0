{#-
id: console_login_password_spray
title: Failed console sign-ins for many users from one address
attack: [T1110.003]
confidence: medium
severity: medium
description: >
  One source address failed at least `min_failures` console sign-ins against at least `min_users`
  different user names (IAM users, root, or names that do not exist) within one `window_minutes`
  bucket. Password spraying tries a common password across many accounts to stay under per-user
  lockout; the address is the common factor. Medium confidence: a shared NAT with several
  confused users can do it; medium severity: any success from the address is a compromise.
tuning: |
  `min_failures` (default 5), `min_users` (default 3; it keeps one user's burst, reported by
  console_login_failure_burst, out of here) and `window_minutes` (default 15, fixed buckets).
  User names that do not exist are logged as HIDDEN_DUE_TO_SECURITY_REASONS and count as one
  name. Trusted networks are not excluded.
corroborate:
  - "did any sign-in from the address succeed (ConsoleLogin Success with this sourceIPAddress)?"
  - "is the address a VPS, hosting or anonymiser range?"
  - "do the tried names match real users (a leaked user list) or guesses (admin, test)?"
response:
  - "Check for a successful sign-in from {{ finding.source_ip }} (CloudTrail ConsoleLogin with this sourceIPAddress and ConsoleLogin Success)"
  - "For each targeted user ({{ finding.target_users }}) without MFA, force a password change with aws iam update-login-profile --password-reset-required"
  - "While the spray continues, deny the address with an aws:SourceIp condition in a policy on your IAM users"
references:
  - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
  - https://attack.mitre.org/techniques/T1110/003/
parameters:
  min_failures: 5
  min_users: 3
  window_minutes: 15
attempts_opt_out: "failed sign-ins are its subject (ConsoleLogin failures carry no errorcode)"
tests:
  - fixture: cloudtrail/iam/console_login_spray.json
    expect: [{source_ip: 185.220.101.47, event_count: 8, distinct_users: 7, target_users: "HIDDEN_DUE_TO_SECURITY_REASONS, Root, carol, dave, erin, frank, grace"}]
  - {fixture: cloudtrail/iam/console_login_spray.json, params: {min_users: 8}, expect: 0, name: too_few_users}
  - {fixture: cloudtrail/iam/console_login_failures.json, expect: 0, name: one_user_burst}
  - {fixture: cloudtrail/iam/console_logins.json, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro user_name() %}coalesce(useridentity.username, useridentity.type){% endmacro %}
{%- macro distinct_users() %}count(DISTINCT {{ user_name() }}){% endmacro %}
{%- macro target_users() %}array_join(array_sort(array_agg(DISTINCT {{ user_name() }})), ', '){% endmacro %}
{%- macro evidence() -%}
concat(CAST(count(*) AS VARCHAR), ' failed console sign-ins for ',
    CAST({{ distinct_users() }} AS VARCHAR), ' user names from one address: ', {{ target_users() }})
{%- endmacro %}
SELECT
  {{ findings.aggregate_finding_columns(by="source", evidence=evidence()) }},
  {{ distinct_users() }} AS distinct_users,
  {{ target_users() }} AS target_users
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'signin.amazonaws.com'
  AND eventname = 'ConsoleLogin'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure'
  AND sourceipaddress IS NOT NULL
GROUP BY sourceipaddress, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(*) >= {{ param('min_failures') }}
  AND {{ distinct_users() }} >= {{ param('min_users') }}
