{#-
id: principal_first_use_of_services
title: Principal with a settled history starts using several services at once
attack: [T1526, T1580]
confidence: low
severity: medium
description: >
  A principal active for at least `min_history_hours` in the data called, within one
  `window_minutes` bucket, at least `min_new_services` services it had never called before in the
  data. Workloads and people settle into a handful of services; a stolen credential is used to see
  what else it reaches, so many first uses at once stand out against the principal's own history,
  whatever the size of the fan-out. Low confidence: a new feature or a new job legitimately brings
  new services; a lead for corroboration.
tuning: |
  Automation, service accounts on their expected networks, AWS services and console calls are
  excluded. The history is the data itself (up to `history_days` back): hunts over less than
  `min_history_hours` of data stay quiet. Failed calls count as use (a denied first try is the
  same probe) and the evidence lists the new services.
corroborate:
  - "is the source address or client new for this principal (principal_new_user_agent_and_network)?"
  - "were the new calls mostly denied, and were there writes right after?"
response:
  - "List what the principal did in the hour from {{ finding.first_seen }}: filter CloudTrail on principal {{ finding.principal_arn }}"
  - "If not its owner: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://attack.mitre.org/techniques/T1526/
parameters:
  min_new_services: 4
  min_history_hours: 24
  window_minutes: 60
  history_days: 30
attempts_opt_out: "first uses are grouped per principal and bucket; failed first tries count in the same finding"
tests:
  - fixture: cloudtrail/iam/lab_recon_self_grant.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-builder", new_services: "ec2, iam, lambda, secretsmanager, sts", source_ip: 45.137.21.9}]
    name: quiet_build_user_fans_out
  - {fixture: cloudtrail/iam/lab_recon_self_grant.json, params: {min_new_services: 6}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/iam/lab_recon_self_grant.json, params: {min_history_hours: 96}, expect: 0, name: history_too_short}
  - {fixture: cloudtrail/exfil/human_admin_day.json, context: contexts/exfil_org.yaml, expect: 0, name: admin_day}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- The evidence of one principal's first uses (an aggregate over its first call of each new service). -#}
{% macro first_uses_evidence() -%}
concat(CAST(count(DISTINCT eventsource) AS varchar), ' services used for the first time (',
       {{ exfil.sample_list("array_agg(DISTINCT split_part(eventsource, '.', 1))", 10) }},
       '), history since ', min(principals.first_time))
{%- endmacro %}
WITH seen AS (
  -- The days before the window: each principal's services then.
  SELECT principal, value AS service, first_seen
  FROM {{ history.principal_history(param('history_days').value, ['caller_service']) }} AS history
),
calls AS (
  SELECT eventtime, eventname, eventsource, {{ findings.identity() }} AS useridentity,
         sourceipaddress, awsregion, recipientaccountid, eventid,
         useragent,
         {{ findings.principal_key() }} AS principal,
         {{ trail.time_bucket(param('window_minutes').value) }} AS bucket
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource LIKE '%.amazonaws.com'
    AND NOT {{ context.is_expected_principal() }}
    AND NOT {{ context.is_console_call() }}
),
principals AS (
  SELECT p, min(first_time) AS first_time
  FROM (
    SELECT principal AS p, min(eventtime) AS first_time FROM calls GROUP BY principal
    UNION ALL
    SELECT principal AS p, min(first_seen) AS first_time FROM seen GROUP BY principal
  ) AS starts
  GROUP BY p
),
first_uses AS (
  SELECT calls.principal AS p, calls.eventsource AS service, min(concat(calls.eventtime, calls.eventid)) AS first_call
  FROM calls
  LEFT JOIN seen ON seen.principal = calls.principal AND seen.service = calls.eventsource
  WHERE seen.service IS NULL
  GROUP BY calls.principal, calls.eventsource
)
SELECT
  {{ findings.aggregate_finding_columns(first_uses_evidence()) }},
  array_join(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1))), ', ') AS new_services
FROM calls
JOIN principals ON principals.p = calls.principal
JOIN first_uses ON first_uses.p = calls.principal AND first_uses.first_call = concat(calls.eventtime, calls.eventid)
WHERE {{ trail.event_epoch('eventtime') }} - {{ trail.event_epoch('principals.first_time') }}
      >= {{ param('min_history_hours') }} * 3600
GROUP BY {{ findings.principal_key() }}, calls.bucket
HAVING count(DISTINCT eventsource) >= {{ param('min_new_services') }}
