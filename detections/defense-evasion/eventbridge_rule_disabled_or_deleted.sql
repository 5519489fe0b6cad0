{#-
id: eventbridge_rule_disabled_or_deleted
title: EventBridge rule disabled or deleted outside automation
attack: [T1685]
confidence: low
severity: medium
description: >
  DisableRule or DeleteRule on an EventBridge rule by a principal that is not automation. Security
  alerting commonly rides on EventBridge rules (GuardDuty and Security Hub findings to SNS, chat or
  a SIEM; CloudTrail change alarms); removing one silences the alert without touching the detector.
  Low confidence: application rules are turned off and cleaned up by hand too; the rule name in the
  evidence tells them apart.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Rules whose name says what they route (guardduty, securityhub, cloudtrail) deserve the first look.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error
  in the evidence.
corroborate:
  - "what did the rule route (aws events describe-rule --name RULE; list-targets-by-rule)?"
  - "other defense-evasion by the same principal (GuardDuty, CloudTrail, Config, alarms)?"
response:
  - "Re-enable a disabled rule: aws events enable-rule --name '{{ finding.rule_name }}' --region {{ finding.aws_region }}"
  - "Recreate a deleted rule from IaC, then check its targets"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html
  - https://attack.mitre.org/techniques/T1685/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: DisableRule, rule_name: guardduty-findings-to-sns}, {event_name: DeleteRule, rule_name: securityhub-findings-to-slack}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro rule_name() %}json_extract_scalar(requestparameters, '$.name'){% endmacro %}
{%- macro evidence() %}concat('EventBridge rule ', coalesce({{ rule_name() }}, '?'), ' : ', eventname){% endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ rule_name() }} AS rule_name
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'events.amazonaws.com'
  AND eventname IN ('DisableRule', 'DeleteRule')
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
