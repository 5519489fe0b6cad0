{#-
id: ec2_password_data_retrieved
title: EC2 Windows password data requested outside automation
attack: [T1552]
confidence: medium
severity: high
description: >
  A principal outside infrastructure-as-code called ec2:GetPasswordData, which returns the
  encrypted Administrator password of a Windows instance (decryptable with the instance's key
  pair). Attackers sweep it across instances, often collecting AccessDenied errors as they go.
  One row per principal and `window_minutes` bucket, with the instances tried and how many calls
  were denied. Medium confidence: administrators fetch RDP passwords by hand occasionally; high
  severity: local administrator on Windows hosts.
tuning: |
  Failed calls count on purpose (a sweep of denied attempts is the attacker pattern); the
  evidence separates denied calls. IaC and build roles under `automation` (Packer, Windows CI)
  are excluded, as are AWS services. `min_instances` (default 1) can be raised where admins fetch
  passwords routinely so only sweeps fire.
corroborate:
  - "does the principal normally manage Windows instances, and from this address?"
  - "are there RDP connections to the instances afterwards (VPC flow logs on port 3389, SSM Fleet Manager sessions)?"
  - "did the principal also list key pairs or instances just before (DescribeKeyPairs, DescribeInstances)?"
response:
  - "Reset the local Administrator password on each instance that answered ({{ finding.instances }}), e.g. with SSM Run Command (AWS-RunPowerShellScript)"
  - "Contain the caller {{ finding.principal_arn }}: deactivate its access key {{ finding.access_key_id }}, or revoke the role's sessions with an aws:TokenIssueTime deny policy"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetPasswordData.html
  - https://attack.mitre.org/techniques/T1552/
parameters:
  min_instances: 1
  window_minutes: 60
attempts_opt_out: "a sweep over instances: denied calls are counted in the same finding (denied_calls)"
tests:
  - fixture: cloudtrail/iam/ec2_password_data.json
    context: contexts/iam_default.yaml
    expect: [{principal_arn: "arn:aws:sts::111122223333:assumed-role/legacy-jenkins/i-0f3a9c2b7d1e4a5b6", distinct_instances: 3, denied_calls: 1, event_count: 3}]
  - {fixture: cloudtrail/iam/ec2_password_data.json, context: contexts/iam_default.yaml, params: {min_instances: 4}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/iam/ec2_password_data.json, expect: 2, name: windows_ci_without_context}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
SELECT
  {{ iam.instance_sweep_columns('GetPasswordData') }}
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname = 'GetPasswordData'
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(DISTINCT json_extract_scalar(requestparameters, '$.instanceId')) >= {{ param('min_instances') }}
