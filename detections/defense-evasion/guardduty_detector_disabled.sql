{#-
id: guardduty_detector_disabled
title: GuardDuty detector deleted, disabled or stripped of protection plans
attack: [T1685]
confidence: high
severity: high
description: >
  A GuardDuty detector was deleted (DeleteDetector), suspended (UpdateDetector with enable false)
  or had protection plans turned off (features set to DISABLED, or the older dataSources with
  enable false: S3 logs, Kubernetes audit logs, EBS malware scanning). GuardDuty then raises no
  findings for the region or for the plans turned off. Confidence is high because detectors are
  rarely switched off outside a teardown; severity is high because it blinds threat detection
  for what follows.
tuning: |
  Changing only the finding publishing frequency, or enabling plans, is not reported. Regional
  teardown by your IaC pipeline is excluded when its roles are listed under `automation`. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - CloudTrail, Config or flow log changes by the same principal in the same hour
  - GuardDuty filters, trusted IP lists or member changes by the same principal
  - the detector's last findings before it went quiet (aws guardduty list-findings in the region)
response:
  - "Re-enable the detector: aws guardduty update-detector --detector-id {{ finding.detector_id }} --enable --region {{ finding.aws_region }}"
  - "If it was deleted, create one and re-attach members: aws guardduty create-detector --enable --region {{ finding.aws_region }}"
  - "Check which plans are on: aws guardduty get-detector --detector-id {{ finding.detector_id }} --region {{ finding.aws_region }}"
references:
  - https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateDetector.html
  - https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DeleteDetector.html
  - https://attack.mitre.org/techniques/T1562/001/
tests:
  - fixture: cloudtrail/evasion/guardduty_disabled.json
    expect:
      - {event_name: UpdateDetector, aws_region: us-east-1, evidence: "GuardDuty detector b4c6a1e2f3d5e7f9a1b3c5d7e9f1a3b5 in us-east-1: detector suspended"}
      - {event_name: DeleteDetector, aws_region: eu-west-1, detector_id: c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7, evidence: "GuardDuty detector c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7 in eu-west-1: detector deleted"}
      - {aws_region: us-west-2, evidence: "GuardDuty detector e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2 in us-west-2: protection plans disabled: RUNTIME_MONITORING, S3_DATA_EVENTS"}
      - {aws_region: ap-southeast-2, evidence: "GuardDuty detector f0e1d2c3b4a5968778695a4b3c2d1e0f in ap-southeast-2: protection plans disabled: S3 logs, Kubernetes audit logs"}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0, name: publishing_frequency_and_plans_enabled}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
WITH calls AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.detectorId') AS detector_id,
         json_extract_scalar(requestparameters, '$.enable') AS enable,
         concat_ws(', ',
           nullif(array_join(transform(
             filter(CAST(json_extract(requestparameters, '$.features') AS ARRAY(JSON)),
                    f -> json_extract_scalar(f, '$.status') = 'DISABLED'),
             f -> json_extract_scalar(f, '$.name')), ', '), ''),
           CASE WHEN json_extract_scalar(requestparameters, '$.dataSources.s3Logs.enable') = 'false' THEN 'S3 logs' END,
           CASE WHEN json_extract_scalar(requestparameters, '$.dataSources.kubernetes.auditLogs.enable') = 'false'
                THEN 'Kubernetes audit logs' END,
           CASE WHEN json_extract_scalar(requestparameters,
                                         '$.dataSources.malwareProtection.scanEc2InstanceWithFindings.ebsVolumes')
                     = 'false'
                THEN 'EBS malware scanning' END) AS plans_off
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'guardduty.amazonaws.com'
    AND eventname IN ('DeleteDetector', 'UpdateDetector')
    AND NOT {{ context.is_automation() }}
),
detector_changes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         detector_id,
         CASE WHEN eventname = 'DeleteDetector' THEN 'detector deleted'
              ELSE concat_ws('; ',
                CASE WHEN enable = 'false' THEN 'detector suspended' END,
                CASE WHEN plans_off <> '' THEN concat('protection plans disabled: ', plans_off) END) END AS changes
  FROM calls
)
SELECT
  {{ findings.finding_columns("concat('GuardDuty detector ', coalesce(detector_id, '?'),
                                      ' in ', awsregion, ': ', changes)") }},
  detector_id
FROM detector_changes
WHERE changes <> ''
