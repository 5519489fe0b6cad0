{#-
id: discovery_burst_unusual_for_principal
title: Recon burst far above what this principal normally does
attack: [T1580, T1526, T1087.004]
confidence: low
severity: medium
description: >
  One principal called at least `min_apis` distinct read APIs (List*, Describe*, Get*, or any call
  that was denied) across at least `min_services` services within one `window_minutes` bucket, and
  that is at least `factor` times the most it ever did in one bucket earlier in the data (zero for
  a principal with no earlier activity), at least `min_history_hours` after the data starts (before
  that nobody has a history to compare with). The baseline is the principal's own history, so the bar
  follows the data: a build user that reads four APIs an hour trips it with a 16-API, six-service
  recon that stays under discovery_api_burst's fixed threshold. Low confidence: an engineer trying
  a new tool looks the same; corroboration (denials, a new address, writes after) has to lift it.
tuning: |
  Automation, service accounts on their expected networks, AWS services and console calls are
  excluded (console pages fan out over many Describe calls). Raise `min_apis` for principals that
  explore by hand, or `factor` to demand a bigger jump; the history is the data itself, looked back
  up to `history_days`; a hunt over less than `min_history_hours` of data has no baseline and
  leaves bursts to discovery_api_burst's fixed threshold.
  Denied calls count in the burst and are counted apart in the evidence.
corroborate:
  - "is the source address or user agent new for this principal (principal_new_user_agent_and_network)?"
  - "GetCallerIdentity as the first call of the burst, or of a new access key?"
  - "writes right after the burst: policy grants to itself, new access keys, logging changes?"
response:
  - "List everything the principal did from {{ finding.source_ip }}: filter CloudTrail on principal {{ finding.principal_arn }} between {{ finding.first_seen }} and an hour after {{ finding.last_seen }}"
  - "If the key is not expected to be used from {{ finding.source_ip }}: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user>"
references:
  - https://attack.mitre.org/techniques/T1580/
  - https://attack.mitre.org/techniques/T1087/004/
parameters:
  min_apis: 10
  min_services: 3
  factor: 2
  window_minutes: 10
  min_history_hours: 12
  history_days: 30
attempts_opt_out: "failed calls count in the burst itself and are counted apart (denied_calls)"
tests:
  - fixture: cloudtrail/iam/lab_recon_self_grant.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-builder", distinct_apis: 16, distinct_services: 6, denied_calls: 4, usual_apis: 3, source_ip: 45.137.21.9}]
    name: lab_recon_under_fixed_threshold
  - {fixture: cloudtrail/iam/lab_recon_self_grant.json, params: {min_apis: 17}, expect: 0, name: below_floor}
  - {fixture: cloudtrail/iam/lab_recon_self_grant.json, params: {factor: 6}, expect: 0, name: not_far_enough_above_its_history}
  - {fixture: cloudtrail/exfil/human_admin_day.json, context: contexts/exfil_org.yaml, expect: 0, name: console_browsing}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_plan_is_automation}
  - {fixture: cloudtrail/exfil/recon_burst.json, expect: 0, name: no_history_in_the_data}
  - {fixture: cloudtrail/iam/lab_recon_self_grant.json, params: {min_history_hours: 96}, expect: 0, name: data_too_short_for_a_baseline}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- Whether the call was denied. -#}
{% macro denied() -%}
coalesce(errorcode, '') IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation',
                            'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError')
{%- endmacro %}
{#- The evidence of one principal's flagged bucket of reads (an aggregate over `calls` joined to `flagged`). -#}
{% macro burst_evidence() -%}
concat(CAST(count(DISTINCT eventname) AS varchar), ' distinct read APIs across ',
       CAST(count(DISTINCT eventsource) AS varchar), ' services (its busiest earlier ',
       CAST({{ param('window_minutes') }} AS varchar), ' minutes: ', CAST(max(usual) AS varchar), '), ',
       CAST(sum(CASE WHEN {{ denied() }} THEN 1 ELSE 0 END) AS varchar), ' denied; e.g. ',
       {{ exfil.sample_list("array_agg(DISTINCT eventname)", 10) }})
{%- endmacro %}
WITH seen AS (
  -- The days before the window: each principal's busiest read bucket, and when the logs start (the
  -- summary keeps 10-minute buckets: another window_minutes is refused, locally and scheduled alike).
  SELECT principal, dimension, first_seen, events
  FROM {{ history.principal_history(param('history_days').value,
                            ['read_burst_' ~ param('window_minutes').value ~ 'm', 'caller_service']) }} AS history
),
calls AS (
  SELECT eventtime, eventname, eventsource, {{ findings.identity() }} AS useridentity,
         sourceipaddress, awsregion, recipientaccountid, eventid,
         useragent, errorcode,
         {{ findings.principal_key() }} AS principal,
         {{ trail.time_bucket(param('window_minutes').value) }} AS bucket
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND coalesce(eventcategory, 'Management') = 'Management'
    AND eventsource LIKE '%.amazonaws.com'
    AND (eventname LIKE 'List%' OR eventname LIKE 'Describe%' OR eventname LIKE 'Get%' OR {{ denied() }})
    AND NOT {{ context.is_expected_principal() }}
    AND NOT {{ context.is_console_call() }}
),
data_start AS (
  SELECT min(start_time) AS start_time
  FROM (
    SELECT min(eventtime) AS start_time
    FROM {{ cloudtrail }}
    WHERE {{ trail.in_window() }}
      AND eventsource LIKE '%.amazonaws.com'
    UNION ALL
    SELECT min(first_seen) AS start_time FROM seen WHERE dimension = 'caller_service'
  ) AS starts
),
usual_before AS (
  SELECT principal, max(events) AS usual
  FROM seen
  WHERE dimension <> 'caller_service'
  GROUP BY principal
),
buckets AS (
  SELECT principal, bucket, min(eventtime) AS bucket_start,
         count(DISTINCT eventname) AS apis, count(DISTINCT eventsource) AS services
  FROM calls
  GROUP BY principal, bucket
),
scored AS (
  SELECT buckets.principal, bucket, bucket_start, apis, services,
         greatest(coalesce(max(apis) OVER (PARTITION BY buckets.principal ORDER BY bucket
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0),
                  coalesce(usual_before.usual, 0)) AS usual
  FROM buckets
  LEFT JOIN usual_before ON usual_before.principal = buckets.principal
),
flagged AS (
  SELECT principal AS flagged_principal, bucket AS flagged_bucket, usual
  FROM scored
  CROSS JOIN data_start
  WHERE {{ trail.event_epoch('bucket_start') }} - {{ trail.event_epoch('data_start.start_time') }}
        >= {{ param('min_history_hours') }} * 3600
    AND apis >= {{ param('min_apis') }}
    AND services >= {{ param('min_services') }}
    AND apis >= {{ param('factor') }} * usual
)
SELECT
  {{ findings.aggregate_finding_columns(burst_evidence()) }},
  count(DISTINCT eventname) AS distinct_apis,
  count(DISTINCT eventsource) AS distinct_services,
  sum(CASE WHEN {{ denied() }} THEN 1 ELSE 0 END) AS denied_calls,
  max(usual) AS usual_apis
FROM calls
JOIN flagged ON flagged.flagged_principal = calls.principal AND flagged.flagged_bucket = calls.bucket
GROUP BY {{ findings.principal_key() }}, calls.bucket
