{#-
id: access_key_first_call_get_caller_identity
title: New access key whose first call is GetCallerIdentity
attack: [T1087.004]
confidence: low
severity: medium
description: >
  The first call the data holds for a long-term access key (AKIA...) is sts GetCallerIdentity, and
  the key first appears at least `quiet_hours` after the data starts, so it is new or newly used
  rather than merely at the start of the logs. "Whoami" is the first thing a person does with a key
  they just obtained (stolen, or minted with CreateAccessKey) to learn whose it is. Low confidence:
  people check a freshly created key the same way; a lead for corroboration.
tuning: |
  Automation, service accounts on their networks and AWS services are excluded; SDK tools that
  start every run with GetCallerIdentity (Terraform, CDK) should be listed as automation. Hunts over
  less than `quiet_hours` of data have no new keys by this definition and stay quiet. Failed calls
  (errorcode set) are reported as attempts, one confidence level lower, with the error in the
  evidence.
corroborate:
  - "was the key created in the data (CreateAccessKey), by whom, and from where?"
  - "what did the key do next: discovery, IAM writes, data access?"
  - "is the source address one the key's user ever used?"
response:
  - "Find the key's owner and creation time: aws iam list-access-keys --user-name <user> (or aws iam get-access-key-last-used --access-key-id {{ finding.access_key_id }})"
  - "If the key is not its owner's: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user>"
references:
  - https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  - https://attack.mitre.org/techniques/T1087/004/
parameters:
  quiet_hours: 24
  history_days: 30
tests:
  - fixture: cloudtrail/iam/lab_recon_self_grant.json
    expect: [{access_key_id: AKIAZ4ETQ2NXNEWK2Y8P, source_ip: 45.137.21.9, event_name: GetCallerIdentity}]
    name: key_minted_then_whoami
  - {fixture: cloudtrail/iam/lab_recon_self_grant.json, params: {quiet_hours: 96}, expect: 0, name: data_too_short_for_a_new_key}
  - {fixture: cloudtrail/iam/terraform_and_attack_same_key.json, expect: 0, name: key_present_from_the_start}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- Seconds from the start of the data to the call. -#}
{% macro seconds_since_data_start() -%}
{{ trail.event_epoch('eventtime') }} - {{ trail.event_epoch('data_start.start_time') }}
{%- endmacro %}
{#- The evidence: the key, and how many hours after the data starts its first call came. -#}
{% macro first_call_evidence() -%}
concat('first call of access key ', useridentity.accesskeyid, ' is GetCallerIdentity, ',
       CAST(CAST(floor(({{ seconds_since_data_start() }}) / 3600) AS BIGINT) AS varchar), ' h after the data starts')
{%- endmacro %}
WITH seen AS (
  -- The days before the window: the access keys used then, and when those logs start.
  SELECT dimension, value, first_seen
  FROM {{ history.principal_history(param('history_days').value, ['access_key', 'caller_service']) }} AS history
),
keyed AS (
  SELECT useridentity.accesskeyid AS key_id, eventtime, eventid
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource LIKE '%.amazonaws.com'
),
firsts AS (
  SELECT key_id, min(concat(eventtime, eventid)) AS first_call
  FROM keyed
  LEFT JOIN seen ON seen.dimension = 'access_key' AND seen.value = keyed.key_id
  WHERE key_id LIKE 'AKIA%'
    AND seen.value IS NULL
  GROUP BY key_id
),
data_start AS (
  SELECT min(start_time) AS start_time
  FROM (
    SELECT min(eventtime) AS start_time FROM keyed
    UNION ALL
    SELECT min(first_seen) AS start_time FROM seen WHERE dimension = 'caller_service'
  ) AS starts
)
SELECT
  {{ findings.finding_columns(first_call_evidence()) }}
FROM {{ cloudtrail }}
JOIN firsts ON firsts.first_call = concat(eventtime, eventid)
CROSS JOIN data_start
WHERE {{ trail.in_window() }}
  AND eventsource = 'sts.amazonaws.com'
  AND eventname = 'GetCallerIdentity'
  AND {{ seconds_since_data_start() }} >= {{ param('quiet_hours') }} * 3600
  AND NOT {{ context.is_expected_principal() }}
