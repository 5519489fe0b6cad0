{#-
id: ec2_userdata_read
title: EC2 instance user data read outside automation
attack: [T1552]
confidence: low
severity: medium
description: >
  A principal outside infrastructure-as-code read the user data of EC2 instances
  (DescribeInstanceAttribute with attribute userData). Bootstrap scripts in user data often carry
  passwords, tokens and private endpoints, and tools such as Pacu download it from every instance.
  One row per principal and `window_minutes` bucket with the instances tried. Low confidence:
  engineers look at user data when debugging a launch; medium severity: whatever secrets the
  scripts hold.
tuning: |
  Failed calls count on purpose (a sweep of denied reads is the attacker pattern); the evidence
  separates denied calls. IaC roles under `automation` (Terraform refreshes read user data on
  every plan) and AWS services are excluded. Raise `min_instances` (default 1) so that only
  sweeps across several instances fire where engineers read user data by hand.
corroborate:
  - "does the user data of those instances contain credentials (aws ec2 describe-instance-attribute --attribute userData, decode base64)?"
  - "did the principal enumerate instances just before (DescribeInstances) or read many other attributes?"
  - "is the principal one that normally works with these instances, from this address?"
response:
  - "Look for credentials in the user data of {{ finding.instances }}: aws ec2 describe-instance-attribute --instance-id INSTANCE_ID --attribute userData"
  - "Rotate any credential found and move it to Secrets Manager or Parameter Store"
  - "Contain the caller {{ finding.principal_arn }}: deactivate its access key {{ finding.access_key_id }}, or revoke the role's sessions with an aws:TokenIssueTime deny policy"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceAttribute.html
  - https://attack.mitre.org/techniques/T1552/
parameters:
  min_instances: 1
  window_minutes: 60
attempts_opt_out: "a sweep over instances: denied calls are counted in the same finding (denied_calls)"
tests:
  - fixture: cloudtrail/iam/ec2_userdata.json
    context: contexts/iam_default.yaml
    expect: [{principal_arn: "arn:aws:sts::111122223333:assumed-role/legacy-jenkins/i-0f3a9c2b7d1e4a5b6", distinct_instances: 5, denied_calls: 1, event_count: 5}]
  - {fixture: cloudtrail/iam/ec2_userdata.json, context: contexts/iam_default.yaml, params: {min_instances: 6}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0, name: terraform_refresh}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, expect: 1, name: terraform_without_context}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, expect: 0, name: other_attribute}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
SELECT
  {{ iam.instance_sweep_columns('user data read') }}
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname = 'DescribeInstanceAttribute'
  AND json_extract_scalar(requestparameters, '$.attribute') = 'userData'
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(DISTINCT json_extract_scalar(requestparameters, '$.instanceId')) >= {{ param('min_instances') }}
