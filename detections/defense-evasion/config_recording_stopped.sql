{#-
id: config_recording_stopped
title: AWS Config recorder stopped or deleted, or delivery channel deleted
attack: [T1685]
confidence: medium
severity: medium
description: >
  StopConfigurationRecorder, DeleteConfigurationRecorder or DeleteDeliveryChannel stopped AWS
  Config from recording resource changes in a region, or from delivering them. Config rules stop
  evaluating, conformance packs go stale and the configuration history an investigation relies on
  has a gap. Confidence is medium because regions are switched off during cost clean-ups; severity
  is medium because CloudTrail still records the API calls themselves.
tuning: |
  Landing-zone and IaC roles (Control Tower, StackSets, Terraform) are excluded when listed under
  `automation`. StartConfigurationRecorder is the opposite and is not reported. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - CloudTrail, GuardDuty or flow log changes by the same principal in the same hour
  - resource changes in the region while Config was off (security groups, IAM, S3 policies)
  - the region is one your organisation uses (expected_regions)
response:
  - "Check the recorder: aws configservice describe-configuration-recorder-status --region {{ finding.aws_region }}"
  - "Restart recording: aws configservice start-configuration-recorder --configuration-recorder-name '{{ finding.config_resource }}' --region {{ finding.aws_region }}"
  - "Recreate a deleted delivery channel: aws configservice put-delivery-channel --delivery-channel file://delivery-channel.json --region {{ finding.aws_region }}"
references:
  - https://docs.aws.amazon.com/config/latest/APIReference/API_StopConfigurationRecorder.html
  - https://docs.aws.amazon.com/config/latest/APIReference/API_DeleteDeliveryChannel.html
  - https://attack.mitre.org/techniques/T1562/001/
tests:
  - fixture: cloudtrail/evasion/config_recording_stopped.json
    expect:
      - {event_name: StopConfigurationRecorder, principal_arn: "arn:aws:iam::111122223333:user/svc-reporting", aws_region: us-east-1, config_resource: default, evidence: "AWS Config recorder default stopped in us-east-1"}
      - {event_name: DeleteDeliveryChannel, aws_region: eu-west-1, evidence: "AWS Config delivery channel default deleted in eu-west-1"}
      - {event_name: DeleteConfigurationRecorder, finding_kind: attempt}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, expect: [{event_name: DeleteConfigurationRecorder, config_resource: sandbox}], name: iac_teardown_without_context}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0, name: recorder_started}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
SELECT
  {{ findings.finding_columns("concat('AWS Config ',
                            CASE eventname WHEN 'DeleteDeliveryChannel' THEN 'delivery channel ' ELSE 'recorder ' END,
                            coalesce(json_extract_scalar(requestparameters, '$.configurationRecorderName'),
                                     json_extract_scalar(requestparameters, '$.deliveryChannelName'), '?'),
                            CASE eventname WHEN 'StopConfigurationRecorder' THEN ' stopped' ELSE ' deleted' END,
                            ' in ', awsregion)") }},
  coalesce(json_extract_scalar(requestparameters, '$.configurationRecorderName'),
           json_extract_scalar(requestparameters, '$.deliveryChannelName')) AS config_resource
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'config.amazonaws.com'
  AND eventname IN ('StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel')
  AND NOT {{ context.is_automation() }}
