{#-
id: cloudtrail_event_selectors_narrowed
title: CloudTrail event selectors narrowed
attack: [T1685.002]
confidence: high
severity: high
description: >
  PutEventSelectors left a trail recording less, and the evidence says how: management events off,
  management events narrowed to read-only or write-only, management event sources excluded (KMS,
  RDS Data API), or data events removed that the trail's previous selectors logged. Every basic
  selector and every advanced selector is read, and the narrowing is judged on their union: a
  data-only selector next to a full management selector is not a narrowing. The trail keeps
  "logging", so StopLogging alerts stay silent; confidence is high because nobody narrows a
  security trail by accident, severity high because the hidden calls are the ones an attacker makes.
tuning: |
  Selector changes by your IaC pipeline are excluded when its roles are listed under `automation`.
  Data-event removal is judged against the trail's last PutEventSelectors in the look-back
  (`parameters.cloudtrail_event_selectors_narrowed.history_days`, default 90); with no earlier
  call in the data, only the other narrowings fire and "no data events" is added as context.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - StopLogging, UpdateTrail or DeleteTrail on the same trail by the same principal
  - GuardDuty or Config changes by the same principal within the hour
  - management calls from this principal that the narrowed trail no longer records, seen in another trail or in CloudTrail Lake
response:
  - "See the selectors now in force: aws cloudtrail get-event-selectors --trail-name '{{ finding.trail }}' --region {{ finding.aws_region }}"
  - "Restore full management logging: aws cloudtrail put-event-selectors --trail-name '{{ finding.trail }}' --region {{ finding.aws_region }} --event-selectors '[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]' (add back your data resources)"
  - "Find what the caller did while the trail was narrowed: aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue={{ finding.access_key_id }} --region {{ finding.aws_region }}"
references:
  - https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html
  - https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html
  - https://attack.mitre.org/techniques/T1562/008/
parameters:
  history_days: 90
tests:
  - fixture: cloudtrail/evasion/event_selectors_narrowed.json
    name: basic_selectors
    expect:
      - event_name: PutEventSelectors
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        trail: "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"
        evidence: "trail org-trail: management events off; no data events"
      - trail: "arn:aws:cloudtrail:us-east-1:111122223333:trail/security-trail"
        evidence: "trail security-trail: management events narrowed to write-only; management events from kms.amazonaws.com, rdsdata.amazonaws.com excluded; no data events"
  - fixture: cloudtrail/evasion/event_selectors_advanced.json
    name: advanced_selectors
    expect:
      - trail: "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"
        evidence: "trail org-trail: management events narrowed to write-only; management events from kms.amazonaws.com excluded; no data events"
      - trail: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-trail"
        evidence: "trail eu-trail: management events off"
  - fixture: cloudtrail/evasion/event_selectors_data_removed.json
    expect:
      - principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        evidence: "trail org-trail: data events removed (the selectors set at 2024-02-20T11:02:33Z logged them)"
  - {fixture: cloudtrail/evasion/event_selectors_benign.json, expect: 0, name: widened_and_split_selectors}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, expect: 1, name: iac_narrowing_without_context}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- The field selector named `name` of advanced selector `s` (JSON), NULL when it has none. -#}
{% macro field(s, name) -%}
element_at(filter(CAST(json_extract({{ s }}, '$.fieldSelectors') AS ARRAY(JSON)),
                  f -> json_extract_scalar(f, '$.field') = '{{ name }}'), 1)
{%- endmacro %}
{#- The eventCategory values an advanced selector `s` matches (its Equals list). -#}
{% macro categories(s) -%}
CAST(json_extract({{ field(s, 'eventCategory') }}, '$.equals') AS ARRAY(VARCHAR))
{%- endmacro %}
{#- The string list at JSON path `path` of `value` (NULL when absent). -#}
{% macro strings(value, path) -%}
CAST(json_extract({{ value }}, '{{ path }}') AS ARRAY(VARCHAR))
{%- endmacro %}
{#- Whether basic selector `s` names any data resource value. -#}
{% macro basic_logs_data(s) -%}
cardinality(filter(CAST(json_extract({{ s }}, '$.dataResources') AS ARRAY(JSON)),
                   d -> coalesce(cardinality({{ strings('d', '$.values') }}), 0) > 0)) > 0
{%- endmacro %}
{#- Whether basic selectors `basic` or advanced selectors `advanced` log any data event. -#}
{% macro logs_data_events(basic, advanced) -%}
(coalesce(cardinality(filter({{ basic }}, s -> {{ basic_logs_data('s') }})) > 0, FALSE)
 OR coalesce(cardinality(filter({{ advanced }}, s -> contains({{ categories('s') }}, 'Data'))) > 0, FALSE))
{%- endmacro %}
{#- The trail a PutEventSelectors call of alias `t` (with its dot, or '') names. -#}
{% macro trail_of(t='') -%}
coalesce(json_extract_scalar({{ t }}responseelements, '$.trailARN'),
                  json_extract_scalar({{ t }}requestparameters, '$.trailName'))
{%- endmacro %}
{#- The read/write scope of advanced management selector `s`: 'all', 'read-only' or 'write-only'. -#}
{% macro advanced_scope(s) -%}
CASE WHEN {{ field(s, 'readOnly') }} IS NULL THEN 'all'
     WHEN cardinality({{ strings(field(s, 'readOnly'), '$.equals') }}) = 1
       THEN CASE element_at({{ strings(field(s, 'readOnly'), '$.equals') }}, 1)
            WHEN 'true' THEN 'read-only' ELSE 'write-only' END
     WHEN cardinality({{ strings(field(s, 'readOnly'), '$.notEquals') }}) = 1
       THEN CASE element_at({{ strings(field(s, 'readOnly'), '$.notEquals') }}, 1)
            WHEN 'true' THEN 'write-only' ELSE 'read-only' END
     ELSE 'all' END
{%- endmacro %}
{#- The finding's evidence: the trail's short name, what narrowed, and whether data events are logged. -#}
{% macro evidence() -%}
concat('trail ', CASE WHEN strpos(trail, '/') > 0 THEN split_part(trail, '/', 2) ELSE trail END, ': ', narrowings,
       CASE WHEN NOT logs_data AND NOT coalesce(logged_data_before, FALSE)
            THEN '; no data events' ELSE '' END)
{%- endmacro %}
WITH selector_calls AS (
  -- Every successful PutEventSelectors in the look-back and whether the trail logged data events after it.
  SELECT eventtime, eventid,
         {{ trail_of() }} AS trail,
         {{ logs_data_events("CAST(json_extract(requestparameters, '$.eventSelectors') AS ARRAY(JSON))",
                             "CAST(json_extract(requestparameters, '$.advancedEventSelectors') AS ARRAY(JSON))") }}
           AS logs_data
  FROM {{ history.config_history(param('history_days').value) }} AS config
  WHERE eventsource = 'cloudtrail.amazonaws.com'
    AND eventname = 'PutEventSelectors'
    AND errorcode IS NULL
),
prior AS (
  -- The selectors each call replaced: the latest earlier call on the same trail.
  SELECT cur.eventid AS call_event_id,
         max_by(prev.logs_data, concat(prev.eventtime, prev.eventid)) AS logged_data_before,
         max(prev.eventtime) AS previous_call_time
  FROM selector_calls AS cur
  JOIN selector_calls AS prev
    ON prev.trail = cur.trail
   AND concat(prev.eventtime, prev.eventid) < concat(cur.eventtime, cur.eventid)
  GROUP BY cur.eventid
),
calls AS (
  SELECT ct.eventtime, ct.eventname, ct.useridentity, ct.sourceipaddress, ct.awsregion, ct.recipientaccountid,
         ct.eventid, ct.useragent, ct.errorcode,
         {{ trail_of('ct.') }} AS trail,
         CAST(json_extract(ct.requestparameters, '$.eventSelectors') AS ARRAY(JSON)) AS basic,
         CAST(json_extract(ct.requestparameters, '$.advancedEventSelectors') AS ARRAY(JSON)) AS advanced,
         prior.logged_data_before, prior.previous_call_time
  FROM {{ cloudtrail }} AS ct
  LEFT JOIN prior ON prior.call_event_id = ct.eventid
  WHERE {{ trail.in_window() }}
    AND ct.eventsource = 'cloudtrail.amazonaws.com'
    AND ct.eventname = 'PutEventSelectors'
    AND NOT {{ context.is_automation() }}
),
management AS (
  -- The selectors that log management events, and how each restricts them.
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode, trail, logged_data_before, previous_call_time,
         {{ logs_data_events('basic', 'advanced') }} AS logs_data,
         filter(basic, s -> coalesce(json_extract_scalar(s, '$.includeManagementEvents'), 'true') = 'true')
           AS basic_mgmt,
         filter(advanced, s -> contains({{ categories('s') }}, 'Management')) AS advanced_mgmt
  FROM calls
),
modes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode, trail, logged_data_before, previous_call_time, logs_data, basic_mgmt, advanced_mgmt,
         -- read/write scope of each management selector: 'all', 'read-only' or 'write-only'
         concat(
           coalesce(transform(basic_mgmt, s -> CASE coalesce(json_extract_scalar(s, '$.readWriteType'), 'All')
                                                  WHEN 'ReadOnly' THEN 'read-only' WHEN 'WriteOnly' THEN 'write-only'
                                                  ELSE 'all' END), ARRAY[]),
           coalesce(transform(advanced_mgmt, s -> {{ advanced_scope('s') }}), ARRAY[])
         ) AS scopes,
         -- event sources each management selector leaves out (empty when it leaves none out)
         concat(
           coalesce(transform(basic_mgmt,
                              s -> coalesce({{ strings('s', '$.excludeManagementEventSources') }}, ARRAY[])), ARRAY[]),
           coalesce(transform(advanced_mgmt,
                              s -> coalesce({{ strings(field('s', 'eventSource'), '$.notEquals') }}, ARRAY[])), ARRAY[])
         ) AS exclusions
  FROM management
),
narrowed AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode, trail, logs_data, logged_data_before,
         concat_ws('; ',
           CASE WHEN cardinality(basic_mgmt) = 0 OR cardinality(advanced_mgmt) = 0 THEN 'management events off' END,
           CASE WHEN cardinality(scopes) > 0 AND NOT contains(scopes, 'all')
                 AND NOT (contains(scopes, 'read-only') AND contains(scopes, 'write-only'))
                THEN concat('management events narrowed to ', element_at(scopes, 1)) END,
           CASE WHEN cardinality(exclusions) > 0 AND cardinality(filter(exclusions, e -> cardinality(e) = 0)) = 0
                THEN concat('management events from ', array_join(element_at(exclusions, 1), ', '), ' excluded') END,
           CASE WHEN logged_data_before AND NOT logs_data
                THEN concat('data events removed (the selectors set at ', previous_call_time, ' logged them)') END
         ) AS narrowings
  FROM modes
)
SELECT
  {{ findings.finding_columns(evidence()) }},
  trail
FROM narrowed
WHERE narrowings <> ''
