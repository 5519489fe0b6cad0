{#-
id: cloudwatch_alarm_deleted_or_disabled
title: CloudWatch alarms deleted or their actions disabled
attack: [T1685]
confidence: low
severity: medium
description: >
  DeleteAlarms or DisableAlarmActions by a principal that is not automation. CIS-style monitoring
  (root usage, unauthorized API calls, CloudTrail changes) lives in CloudWatch alarms; disabling
  their actions keeps the alarm but silences the notification. Low confidence: alarms are tidied up
  by hand; the alarm names in the evidence say whether they were security alarms.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error
  in the evidence.
corroborate:
  - "were the alarms security monitoring (root usage, CloudTrail or IAM changes)?"
  - "other defense-evasion by the same principal?"
response:
  - "Re-enable actions: aws cloudwatch enable-alarm-actions --alarm-names {{ finding.alarm_names }} --region {{ finding.aws_region }}"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DisableAlarmActions.html
  - https://attack.mitre.org/techniques/T1685/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: DisableAlarmActions, alarm_names: "root-account-usage cloudtrail-config-changes"}, {event_name: DeleteAlarms, alarm_names: unauthorized-api-calls}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
{% macro alarm_names() -%}
array_join(filter({{ iam.string_list('requestparameters', '$.alarmNames') }}, n -> n IS NOT NULL), ' ')
{%- endmacro %}
{% macro change_evidence() -%}
concat(eventname, ': ', {{ alarm_names() }})
{%- endmacro %}
SELECT
  {{ findings.finding_columns(change_evidence()) }},
  {{ alarm_names() }} AS alarm_names
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'monitoring.amazonaws.com'
  AND eventname IN ('DeleteAlarms', 'DisableAlarmActions')
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
