{#-
id: ec2_user_data_modified
title: EC2 instance user data modified outside automation
attack: [T1651]
confidence: medium
severity: high
description: >
  ModifyInstanceAttribute changed an instance's userData. Cloud-init runs user data as root at boot
  (every boot, with a #cloud-boothook or a multipart MIME script), so stopping an instance, swapping
  its user data and starting it again runs the attacker's script with the instance role's
  credentials. Changing user data in place is unusual: IaC replaces instances or launch templates
  instead. Confidence is medium because a few hand-managed fleets still edit it; severity is high
  because it is root execution on the instance.
tuning: |
  Automation, service accounts and AWS services are excluded; humans are not (editing user data by
  hand is rare enough to review). Both the userData request field and the attribute/value form are
  recognised. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - StopInstances and StartInstances on the same instance by the same principal within minutes
  - DescribeInstanceAttribute userData beforehand (reading the current script to blend in)
  - new outbound connections or credential use by the instance role after the restart
response:
  - "Read the new user data: aws ec2 describe-instance-attribute --instance-id {{ finding.instance_id }} --attribute userData --query UserData.Value --output text | base64 -d"
  - "Stop the instance before its next boot, restore user data from IaC and snapshot the root volume for forensics"
  - "Contain the caller: deactivate key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceAttribute.html
  - https://stratus-red-team.cloud/attack-techniques/AWS/aws.execution.ec2-user-data/
  - https://attack.mitre.org/techniques/T1651/
tests:
  - {fixture: cloudtrail/exfil/userdata_modified.json, context: contexts/exfil_org.yaml, expect: [{event_name: ModifyInstanceAttribute, instance_id: i-0b2c3d4e5f6a70819, principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}], name: stop_swap_start}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_change}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: [{instance_id: i-0e1f2a3b4c5d6e7f8}], name: terraform_without_context}
  - {fixture: cloudtrail/exfil/human_admin_day.json, expect: 0, name: instance_type_change}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: ModifyInstanceAttribute, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro instance_id() %}json_extract_scalar(requestparameters, '$.instanceId'){% endmacro %}
{%- macro evidence() %}concat('user data of ', coalesce({{ instance_id() }}, '?'), ' replaced'){% endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ instance_id() }} AS instance_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname = 'ModifyInstanceAttribute'
  AND (json_extract(requestparameters, '$.userData') IS NOT NULL
       OR json_extract_scalar(requestparameters, '$.attribute') = 'userData')
  AND NOT {{ context.is_expected_principal() }}
