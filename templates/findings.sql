{#- The finding contract: every detection returns exactly these columns (validator-enforced).
    event_time, event_name, principal_arn, source_ip, aws_region, account_id, event_id,
    access_key_id, user_agent, first_seen, last_seen, event_count, evidence
    plus the optional finding_kind ('finding' or 'attempt', see attempts.sql). -#}
{%- import 'attempts.sql' as attempt with context %}

{#- For a detection that returns one row per event. `evidence` is an SQL string expression.
    With attempts (the default) a failed call is reported as kind 'attempt' with its error code
    in the evidence; the detection must then keep failed calls (no `errorcode IS NULL` filter).
    attempts=false is for detections that declare `attempts_opt_out`. -#}
{% macro finding_columns(evidence, attempts=true) -%}
eventtime AS event_time,
  eventname AS event_name,
  coalesce(useridentity.arn, useridentity.principalid, useridentity.type) AS principal_arn,
  sourceipaddress AS source_ip,
  awsregion AS aws_region,
  coalesce(recipientaccountid, useridentity.accountid) AS account_id,
  eventid AS event_id,
  useridentity.accesskeyid AS access_key_id,
  useragent AS user_agent,
  eventtime AS first_seen,
  eventtime AS last_seen,
  1 AS event_count,
{%- if attempts %}
  {{ attempt.attempt_evidence(evidence) }} AS evidence,
  {{ attempt.finding_kind() }} AS finding_kind
{%- else %}
  {{ evidence }} AS evidence
{%- endif %}
{%- endmacro %}

{#- The identity fields the finding columns read, as a narrow `useridentity` for a CTE that carries
    every call of a principal: copying the whole struct for each of a million calls took half of
    such a detection's time. -#}
{% macro identity() -%}
CAST(ROW(useridentity.arn, useridentity.principalid, useridentity.type, useridentity.accesskeyid,
         useridentity.accountid)
     AS ROW(arn varchar, principalid varchar, type varchar, accesskeyid varchar, accountid varchar))
{%- endmacro %}

{#- The principal a row belongs to, for GROUP BY. -#}
{% macro principal_key() -%}
coalesce(useridentity.arn, useridentity.principalid, useridentity.type)
{%- endmacro %}

{#- For a detection grouped by principal (GROUP BY principal_key(), by='principal') or by source
    address (GROUP BY sourceipaddress, by='source': one address trying many principals, where
    principal_arn is the first principal the group touched and the evidence should name them all).
    With attempts=true the query must also GROUP BY {{ attempt_group() }}, so a group holds only
    failed or only successful calls, and a failed group is reported as kind 'attempt'. -#}
{% macro aggregate_finding_columns(evidence, by='principal', attempts=false) -%}
max(eventtime) AS event_time,
  min_by(eventname, concat(eventtime, eventid)) AS event_name,
{%- if by == 'source' %}
  min_by({{ principal_key() }}, concat(eventtime, eventid)) AS principal_arn,
  sourceipaddress AS source_ip,
{%- else %}
  {{ principal_key() }} AS principal_arn,
  min_by(sourceipaddress, concat(eventtime, eventid)) AS source_ip,
{%- endif %}
  min_by(awsregion, concat(eventtime, eventid)) AS aws_region,
  min_by(coalesce(recipientaccountid, useridentity.accountid), concat(eventtime, eventid)) AS account_id,
  min_by(eventid, concat(eventtime, eventid)) AS event_id,
  min_by(useridentity.accesskeyid, concat(eventtime, eventid)) AS access_key_id,
  min_by(useragent, concat(eventtime, eventid)) AS user_agent,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen,
  count(*) AS event_count,
{%- if attempts %}
  {{ attempt.attempt_evidence(evidence, 'max(errorcode)') }} AS evidence,
  {{ attempt.finding_kind('max(errorcode)') }} AS finding_kind
{%- else %}
  {{ evidence }} AS evidence
{%- endif %}
{%- endmacro %}

{#- The GROUP BY term that keeps failed and successful calls apart (aggregate attempts). -#}
{% macro attempt_group() -%}
(errorcode IS NULL)
{%- endmacro %}
