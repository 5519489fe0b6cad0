{#-
id: ec2_console_screenshot_taken
title: EC2 instance console screenshot taken
attack: [T1113]
confidence: low
severity: medium
description: >
  GetConsoleScreenshot returns an image of an instance's console: on Windows a logon screen, an open
  session or error dialogs with data; tools use it to look inside instances they cannot log in to.
  Low confidence: it is a troubleshooting call engineers use when an instance does not boot; a lead
  for corroboration.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error
  in the evidence.
corroborate:
  - "is the instance one the principal works on, and was it failing to boot?"
  - "other instance-level reads by the same principal (GetPasswordData, user data, console output)?"
response:
  - "Review who can call ec2:GetConsoleScreenshot and restrict it to break-glass roles"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetConsoleScreenshot.html
  - https://attack.mitre.org/techniques/T1113/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: GetConsoleScreenshot, instance_id: i-0a1b2c3d4e5f60718}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 0, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- set instance = "regexp_extract(coalesce(requestparameters, ''), 'i-[0-9a-fA-F]{8,17}')" %}
SELECT
  {{ findings.finding_columns("concat('console screenshot of ', coalesce(" ~ instance ~ ", '?'))") }},
  {{ instance }} AS instance_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname = 'GetConsoleScreenshot'
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
