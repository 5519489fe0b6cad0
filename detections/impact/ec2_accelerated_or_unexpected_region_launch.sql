{#-
id: ec2_accelerated_or_unexpected_region_launch
title: EC2 RunInstances of GPU/accelerator instances or in an unexpected region
attack: [T1496.001, T1535]
confidence: medium
severity: high
description: >
  RunInstances (successful, or failed: refused for capacity, vCPU quota or permission, reported as
  an attempt) for an accelerated instance
  family (p, g, gr, inf, trn, dl by default) or in a region outside the context's expected regions,
  by a principal that is not automation, a service account or an AWS service. Cryptomining crews
  launch the largest GPU types they can, often in regions nobody watches, and their first attempt
  commonly fails on the account's vCPU quota. Confidence is medium because ML teams launch GPUs
  too; severity is high because the bill grows by thousands of dollars a day.
tuning: |
  Set `expected_regions` in the context (without it only the accelerated-family test applies).
  List ML pipelines and capacity tooling under `automation`/`service_accounts`. Change the families
  in `parameters.ec2_accelerated_or_unexpected_region_launch.accelerated_families` (the letters
  before the generation digit: g4dn -> g, p4d -> p, trn1n -> trn). Failed launches are reported as
  attempts (one confidence level lower): quota, capacity and authorization errors are all part of
  the pattern, since a miner's first launch with a stolen key often fails.
corroborate:
  - DescribeRegions, GetServiceQuota/RequestServiceQuotaIncrease or CreateKeyPair/ImportKeyPair by the same principal just before
  - many launches in a row across regions, or spot requests (RequestSpotInstances, CreateFleet) for the same types
  - whether the image id is a public community AMI rather than one of your golden images
response:
  - "List what is running: aws ec2 describe-instances --region {{ finding.aws_region }} --filters Name=instance-type,Values={{ finding.instance_type }}"
  - "Terminate unapproved instances: aws ec2 terminate-instances --region {{ finding.aws_region }} --instance-ids <ids>"
  - "Contain the caller: deactivate key {{ finding.access_key_id }} or revoke the role's sessions; deny unused regions with an SCP (aws:RequestedRegion)"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/accelerated-computing-instances.html
  - https://attack.mitre.org/techniques/T1496/001/
  - https://attack.mitre.org/techniques/T1535/
parameters:
  accelerated_families: [p, g, gr, inf, trn, dl]
tests:
  - fixture: cloudtrail/exfil/gpu_launch.json
    context: contexts/exfil_org.yaml
    expect:
      - {instance_type: p3.16xlarge, aws_region: us-east-1, reason: accelerated, instance_count: "4"}
      - {instance_type: g4dn.12xlarge, aws_region: ap-southeast-1, reason: "accelerated, unexpected region"}
      - {instance_type: c5.4xlarge, aws_region: sa-east-1, reason: unexpected region, principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}
    name: miner_gpu_quota_failure_and_odd_regions
  - {fixture: cloudtrail/exfil/gpu_launch.json, expect: [{instance_type: p3.16xlarge}, {instance_type: g4dn.12xlarge}], name: no_expected_regions_in_context}
  - {fixture: cloudtrail/exfil/gpu_launch.json, context: contexts/exfil_org.yaml, params: {accelerated_families: [trn]}, expect: [{instance_type: g4dn.12xlarge, reason: unexpected region}, {instance_type: c5.4xlarge}], name: custom_family_list}
  - {fixture: cloudtrail/exfil/human_admin_day.json, context: contexts/exfil_org.yaml, expect: 0, name: general_purpose_in_expected_region}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: ml_pipeline_gpu_is_automation}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: [{instance_type: g5.xlarge, reason: accelerated}], name: ml_pipeline_without_context}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: RunInstances, finding_kind: attempt}], name: unauthorized_launch_is_an_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
WITH launches AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         coalesce(json_extract_scalar(requestparameters, '$.instanceType'),
                  json_extract_scalar(responseelements, '$.instancesSet.items[0].instanceType')) AS instance_type,
         json_extract_scalar(requestparameters, '$.instancesSet.items[0].maxCount') AS instance_count
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname = 'RunInstances'
    AND NOT {{ context.is_expected_principal() }}
),
judged AS (
  SELECT launches.*,
         -- The family of "p4d.24xlarge" is "p".
         coalesce(regexp_replace(split_part(instance_type, '.', 1), '[0-9].*$', '')
                  IN {{ trail.param_list('accelerated_families') }}, FALSE) AS accelerated,
         NOT {{ context.expected_region() }} AS unexpected_region
  FROM launches
),
reasons AS (
  SELECT judged.*,
         concat_ws(', ', CASE WHEN accelerated THEN 'accelerated' END,
                         CASE WHEN unexpected_region THEN 'unexpected region' END) AS reason
  FROM judged
  WHERE accelerated OR unexpected_region
)
SELECT
  {{ findings.finding_columns("concat('RunInstances ', coalesce(instance_type, '?'),
      ' x', coalesce(instance_count, '1'), ' in ', awsregion, ' (', reason, ')')") }},
  instance_type,
  instance_count,
  reason
FROM reasons
