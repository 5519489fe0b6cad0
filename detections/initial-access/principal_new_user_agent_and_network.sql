{#-
id: principal_new_user_agent_and_network
title: Principal calls from a new network with a new kind of client
attack: [T1078.004]
confidence: low
severity: medium
description: >
  A principal with at least `min_history_hours` of activity in the data made a call that is at
  once its first from a /16 network and its first with a client family (the user agent's leading
  product: aws-cli, Boto3, aws-sdk-go, Terraform, a browser...) it never used before. A stolen key
  used by someone else shows both at once: a VPS address and the thief's tooling. One row per
  principal, network and client family. Low confidence: travel with a new laptop or a new tool
  happens; the history is the data itself, so short hunts have less to compare with.
tuning: |
  Automation, service accounts on their expected networks, AWS services and calls from private
  or AWS addresses are not judged (only public IPv4 sources). Raise `min_history_hours` to demand a
  longer history. Failed calls (errorcode set) are reported as attempts, one confidence level
  lower, with the error in the evidence.
corroborate:
  - "recon from the new address (discovery bursts, AccessDenied) and writes after it?"
  - "does the owner of the principal recognise the address and the tool?"
response:
  - "List what the principal did from {{ finding.source_ip }}: filter CloudTrail on sourceIPAddress {{ finding.source_ip }} and principal {{ finding.principal_arn }}"
  - "If not the owner: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
  - https://attack.mitre.org/techniques/T1078/004/
parameters:
  min_history_hours: 24
  history_days: 30
tests:
  - fixture: cloudtrail/iam/lab_recon_self_grant.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-builder", source_ip: 45.137.21.9, client_family: boto3, event_name: GetCallerIdentity}]
    name: stolen_key_from_vps_with_python
  - {fixture: cloudtrail/iam/lab_recon_self_grant.json, params: {min_history_hours: 96}, expect: 0, name: history_too_short}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, expect: 0, name: human_admin_day}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- The client family of a user agent (its first word), and the /16 of a public IPv4 address. -#}
{% macro family(agent) -%}
lower(regexp_extract(coalesce({{ agent }}, ''), '^\[?([A-Za-z][A-Za-z0-9_.-]*)', 1))
{%- endmacro %}
{% macro network(ip) -%}
CASE WHEN {{ exfil.is_public_ipv4(ip) }}
     THEN concat(split_part({{ ip }}, '.', 1), '.', split_part({{ ip }}, '.', 2), '.0.0/16') END
{%- endmacro %}
{#- The evidence: the principal's first call from a new network with a new client. -#}
{% macro first_call_evidence() -%}
concat('first call of ', principal, ' from ', network, ' and first with ', client_family,
       ' (history since ', principals.first_time, ')')
{%- endmacro %}
WITH seen AS (
  -- The days before the window: each principal's user agents and addresses then.
  SELECT principal, dimension, value, first_seen
  FROM {{ history.principal_history(param('history_days').value, ['caller_agent', 'caller_ip']) }} AS history
),
seen_families AS (
  SELECT DISTINCT principal AS p, {{ family('value') }} AS f FROM seen WHERE dimension = 'caller_agent'
),
seen_networks AS (
  SELECT DISTINCT principal AS p, {{ network('value') }} AS n FROM seen WHERE dimension = 'caller_ip'
),
calls AS (
  SELECT eventtime, eventname, {{ findings.identity() }} AS useridentity,
         sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         {{ findings.principal_key() }} AS principal,
         {{ family('useragent') }} AS client_family,
         {{ network('sourceipaddress') }} AS network,
         concat(eventtime, eventid) AS call_order
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource LIKE '%.amazonaws.com'
    AND NOT {{ context.is_expected_principal() }}
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
first_family AS (
  SELECT calls.principal AS p, calls.client_family AS f, min(calls.call_order) AS first_call
  FROM calls
  LEFT JOIN seen_families ON seen_families.p = calls.principal AND seen_families.f = calls.client_family
  WHERE seen_families.f IS NULL
  GROUP BY calls.principal, calls.client_family
),
first_network AS (
  SELECT calls.principal AS p, calls.network AS n, min(calls.call_order) AS first_call
  FROM calls
  LEFT JOIN seen_networks ON seen_networks.p = calls.principal AND seen_networks.n = calls.network
  WHERE calls.network IS NOT NULL AND seen_networks.n IS NULL
  GROUP BY calls.principal, calls.network
)
SELECT
  {{ findings.finding_columns(first_call_evidence()) }},
  client_family,
  network
FROM calls
JOIN principals ON principals.p = calls.principal
JOIN first_family
  ON first_family.p = calls.principal
  AND first_family.f = calls.client_family
  AND first_family.first_call = calls.call_order
JOIN first_network
  ON first_network.p = calls.principal
  AND first_network.n = calls.network
  AND first_network.first_call = calls.call_order
WHERE {{ trail.event_epoch('eventtime') }} - {{ trail.event_epoch('principals.first_time') }}
      >= {{ param('min_history_hours') }} * 3600
