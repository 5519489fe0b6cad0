{#-
id: cloudwatch_log_group_deleted
title: CloudWatch Logs log group deleted
attack: [T1685.002, T1070]
confidence: medium
severity: medium
description: >
  DeleteLogGroup deleted a log group and every event in it: CloudTrail's CloudWatch copy, VPC flow
  logs, Lambda or application logs. Deleting the group both destroys what was recorded (T1070)
  and breaks delivery for any trail, flow log or subscription still pointing at it (T1685.002).
  Confidence is medium because log groups of short-lived test stacks are deleted all the time;
  severity is medium because the source (trail, flow log) usually still writes to S3 too.
tuning: |
  Groups matching `parameters.cloudwatch_log_group_deleted.ignored_log_groups` (globs, default
  test and pull-request stacks) are not reported; add your ephemeral naming patterns there, never
  your audit groups. Stack teardown by your IaC pipeline is excluded when its roles are listed
  under `automation`. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - the group received CloudTrail, flow log or security tool output (its name, or DescribeFlowLogs and DescribeTrails pointing at it)
  - StopLogging, DeleteFlowLogs or retention changes by the same principal
  - several groups deleted by the same principal in a short time
response:
  - "Find what wrote to the group: aws cloudtrail describe-trails --region {{ finding.aws_region }} and aws ec2 describe-flow-logs --region {{ finding.aws_region }}"
  - "Recreate it so delivery resumes: aws logs create-log-group --log-group-name '{{ finding.log_group }}' --region {{ finding.aws_region }}"
  - "Recover the events from the source's S3 copy (trail bucket, flow log bucket) for the gap"
references:
  - https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html
  - https://attack.mitre.org/techniques/T1562/008/
parameters:
  ignored_log_groups: ["/test/*", "*/test-*", "*-pr-*"]
tests:
  - fixture: cloudtrail/evasion/log_group_deleted.json
    expect:
      - {event_name: DeleteLogGroup, principal_arn: "arn:aws:iam::111122223333:user/svc-reporting", log_group: /aws/cloudtrail/org-trail, evidence: "log group /aws/cloudtrail/org-trail deleted in us-east-1"}
      - {log_group: vpc-flow-logs/prod, aws_region: eu-west-1}
      - {event_name: DeleteLogGroup, finding_kind: attempt}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0, name: test_log_group}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, params: {ignored_log_groups: []}, expect: [{log_group: /test/load-test-2024-03}], name: test_log_group_not_ignored}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro log_group() %}json_extract_scalar(requestparameters, '$.logGroupName'){% endmacro %}
{%- macro evidence() %}concat('log group ', coalesce({{ log_group() }}, '?'), ' deleted in ', awsregion){% endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ log_group() }} AS log_group
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'logs.amazonaws.com'
  AND eventname = 'DeleteLogGroup'
  AND NOT coalesce({{ sql.matches_any_glob(log_group(), param('ignored_log_groups').value) }}, FALSE)
  AND NOT {{ context.is_automation() }}
