{#-
id: ec2_userdata_sweep
title: EC2 user data read from many instances within minutes
attack: [T1552, T1580]
confidence: medium
severity: medium
description: >
  One principal outside automation asked for the user data (DescribeInstanceAttribute, attribute
  userData) of at least `min_instances` distinct instances within one `window_minutes` bucket,
  whether or not the calls were allowed. Reading one instance's user data is debugging
  (ec2_userdata_read reports it at low confidence); walking through every instance in minutes is
  what credential-harvesting tools do (Pacu's ec2__download_userdata, the Stratus technique
  ec2-download-user-data). Medium confidence: inventory and compliance scanners sweep too until
  they are listed; medium severity: whatever secrets bootstrap scripts hold.
tuning: |
  Scanners and inventory tools go under `service_accounts` (with their network) or `automation`;
  IaC refreshes are excluded as automation. Thresholds: `min_instances` (default 10) distinct
  instances in fixed `window_minutes` (default 5) buckets. Failed calls count on purpose and are
  separated in the evidence (denied_calls): a sweep that is mostly denied is a stolen key testing
  its reach.
corroborate:
  - "did the principal list instances just before (DescribeInstances) and read other attributes or GetPasswordData?"
  - "is the source address and user agent one this principal normally uses?"
  - "do the instances' user data hold credentials that were used afterwards from a new place?"
response:
  - "Look for credentials in the user data of {{ finding.instances }}: aws ec2 describe-instance-attribute --instance-id INSTANCE_ID --attribute userData"
  - "Rotate any credential found and move it to Secrets Manager or Parameter Store"
  - "Contain the caller {{ finding.principal_arn }}: deactivate its access key {{ finding.access_key_id }}, or revoke the role's sessions with an aws:TokenIssueTime deny policy"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceAttribute.html
  - https://stratus-red-team.cloud/attack-techniques/AWS/aws.discovery.ec2-download-user-data/
  - https://attack.mitre.org/techniques/T1552/
parameters:
  min_instances: 10
  window_minutes: 5
attempts_opt_out: "a sweep over instances: denied calls are counted in the same finding (denied_calls)"
tests:
  - fixture: cloudtrail/iam/ec2_userdata_sweep.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", distinct_instances: 12, denied_calls: 4, event_count: 12}]
    name: stolen_key_sweep
  - {fixture: cloudtrail/iam/ec2_userdata_sweep.json, params: {min_instances: 13}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/iam/ec2_userdata.json, context: contexts/iam_default.yaml, expect: 0, name: five_instances_by_hand}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0, name: terraform_refresh}
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
  AND NOT {{ context.is_expected_principal() }}
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(DISTINCT json_extract_scalar(requestparameters, '$.instanceId')) >= {{ param('min_instances') }}
