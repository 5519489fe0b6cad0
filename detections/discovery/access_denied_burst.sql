{#-
id: access_denied_burst
title: Burst of AccessDenied errors across many APIs by one principal
attack: [T1526, T1580]
confidence: medium
severity: medium
description: >
  One principal collected at least `threshold` authorization failures (AccessDenied,
  AccessDeniedException, UnauthorizedOperation and their variants) on at least `min_apis` distinct
  APIs within a `window_minutes` bucket. Someone holding a key they do not know the permissions of
  tries things and gets refused; a misconfigured application fails on the same one or two calls
  over and over, which the distinct-API floor filters out. Confidence is medium because a new
  deployment with a too-narrow role can look the same; severity is medium because nothing was
  allowed, but the key is in the wrong hands if this is an attacker.
tuning: |
  Failed calls are the point here: only calls with one of the listed authorization error codes
  count. Automation, service accounts and AWS services are excluded (list CI/IaC and app roles in the
  context; a pipeline with a mis-scoped role is then quiet). Raise `min_apis` if one application
  probes many APIs it lacks (SDK credential chains, health checks); tune `threshold` and
  `window_minutes` in `parameters.access_denied_burst`.
corroborate:
  - the source IP and user agent compared with the principal's normal ones (a VPS, Tor exit, Kali or pacu user agent)
  - sts GetCallerIdentity by the same key just before the first denial
  - any successful write by the same key in the next hours (what the attacker found they could do)
  - the key's age and last legitimate use (aws iam get-access-key-last-used)
response:
  - "See what the principal could do: filter CloudTrail on {{ finding.principal_arn }} with errorCode absent between {{ finding.first_seen }} and a day later"
  - "If the key should not be used from {{ finding.source_ip }}: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user>"
  - "Rotate the credential and find where it leaked (repositories, CI variables, laptops)"
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
  - https://attack.mitre.org/techniques/T1526/
parameters:
  threshold: 10
  min_apis: 5
  window_minutes: 15
attempts_opt_out: "failed calls are its subject"
tests:
  - fixture: cloudtrail/exfil/denied_exfil_attempts.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", denied_calls: 18, distinct_apis: 18, event_name: ModifySnapshotAttribute}]
    name: stolen_key_tries_the_playbook
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, context: contexts/exfil_org.yaml, params: {threshold: 20}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: 0, name: one_misconfigured_app_repeats_three_apis}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, params: {min_apis: 3}, expect: [{principal_arn: "arn:aws:sts::111122223333:assumed-role/github-actions-deploy/GitHubActions", denied_calls: 12}], name: low_api_floor_catches_ci_without_context}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, params: {min_apis: 3}, expect: 0, name: ci_role_is_automation}
  - {fixture: cloudtrail/exfil/recon_burst.json, expect: 0, name: successful_recon_with_one_denial}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{%- set denied_codes = ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation',
    'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError', 'AuthorizationErrorException'] %}
{#- The evidence of one principal's burst of denials (an aggregate over its denied calls). -#}
{% macro burst_evidence() -%}
concat(CAST(count(*) AS varchar), ' denied calls on ', CAST(count(DISTINCT eventname) AS varchar),
       ' distinct APIs across ', CAST(count(DISTINCT eventsource) AS varchar), ' services: ',
       {{ exfil.sample_list("array_agg(DISTINCT concat(split_part(eventsource, '.', 1), ':', eventname))", 12) }})
{%- endmacro %}
SELECT
  {{ findings.aggregate_finding_columns(burst_evidence()) }},
  count(*) AS denied_calls,
  count(DISTINCT eventname) AS distinct_apis
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource LIKE '%.amazonaws.com'
  AND errorcode IN {{ sql.literal_list(denied_codes) }}
  AND NOT {{ context.is_expected_principal() }}
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(*) >= {{ param('threshold') }}
  AND count(DISTINCT eventname) >= {{ param('min_apis') }}
