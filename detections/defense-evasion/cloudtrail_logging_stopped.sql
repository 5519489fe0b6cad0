{#-
id: cloudtrail_logging_stopped
title: CloudTrail logging stopped or trail deleted
attack: [T1685.002]
confidence: high
severity: high
description: >
  A principal stopped a trail's logging or deleted a trail. Attackers do this right before acting,
  so that what follows is not recorded.
tuning: |
  IaC teardown of short-lived test trails is the main benign source: list the pipeline roles under
  `automation` in the context and they are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - other defense-evasion from the same principal within an hour (event selectors narrowed, GuardDuty or Config changed)
  - persistence from the same principal or access key (CreateUser, CreateAccessKey, policy attachment)
  - the caller's source IP not seen for this principal before
response:
  - "Restart logging: aws cloudtrail start-logging --name '{{ finding.trail }}'"
  - "Find who else used the key: filter CloudTrail on accessKeyId {{ finding.access_key_id }}"
references:
  - https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html
  - https://attack.mitre.org/techniques/T1562/008/
tests:
  - {fixture: cloudtrail/defense_evasion/stop_logging.json, expect: [{event_name: StopLogging, principal_arn: "arn:aws:iam::111122223333:user/backup-admin"}]}
  - {fixture: cloudtrail/defense_evasion/delete_trail.json, expect: 1}
  - {fixture: cloudtrail/defense_evasion/delete_trail.json, context: contexts/iac.yaml, expect: 0, name: iac_teardown}
  - fixture: cloudtrail/iam/terraform_and_attack_same_key.json
    context: contexts/automation_by_agent.yaml
    expect:
      - {event_name: StopLogging, source_ip: 185.220.101.47, trail: "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"}
      - {event_name: DeleteTrail, trail: scratch-trail}
    name: terraform_teardown_by_agent_attack_kept
  - {fixture: cloudtrail/iam/terraform_and_attack_same_key.json, context: contexts/automation_by_arn.yaml, expect: 0, name: listed_by_arn_loses_the_attack}
  - {fixture: cloudtrail/iam/terraform_and_attack_same_key.json, expect: 4, name: unlisted_terraform_teardown_is_noise}
  - {fixture: cloudtrail/defense_evasion/stop_logging_denied.json, expect: [{event_name: StopLogging, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro trail_name() %}json_extract_scalar(requestparameters, '$.name'){% endmacro %}
{%- macro evidence() %}concat('trail ', coalesce({{ trail_name() }}, '?'), ' : ', eventname){% endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ trail_name() }} AS trail
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'cloudtrail.amazonaws.com'
  AND eventname IN ('StopLogging', 'DeleteTrail')
  AND NOT {{ context.is_automation() }}
