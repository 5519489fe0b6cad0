{#-
id: guardduty_trusted_ip_list_changed
title: GuardDuty trusted IP list created or changed
attack: [T1685]
confidence: medium
severity: high
description: >
  CreateIPSet with activate true, or UpdateIPSet not deactivating the list, changed a GuardDuty
  trusted IP list. GuardDuty raises no findings for traffic and API calls from listed addresses, so
  an attacker who adds its own egress addresses becomes invisible to the detector. The list's S3
  location is in the evidence: a bucket outside your accounts is a strong signal. Confidence is
  medium because security teams maintain these lists; severity is high because it disables
  detection for chosen sources without any visible change to the detector.
tuning: |
  Lists managed as code are excluded when the pipeline roles are listed under `automation`.
  Deactivating a list (UpdateIPSet with activate false) and threat lists (CreateThreatIntelSet,
  which add detection) are not reported. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - the list file's S3 bucket belongs to another account or was created recently
  - the addresses in the list appear as source IPs of this principal or of other findings' callers
  - other GuardDuty changes (filters, detector, members) by the same principal
response:
  - "Read the list: aws guardduty get-ip-set --detector-id {{ finding.detector_id }} --ip-set-id <id> --region {{ finding.aws_region }}"
  - "Deactivate it: aws guardduty update-ip-set --detector-id {{ finding.detector_id }} --ip-set-id <id> --no-activate --region {{ finding.aws_region }}"
  - "Fetch the list file and compare it with your egress ranges: aws s3 cp '{{ finding.ip_set_location }}' -"
references:
  - https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_upload-lists.html
  - https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateIPSet.html
  - https://attack.mitre.org/techniques/T1562/001/
tests:
  - fixture: cloudtrail/evasion/guardduty_ipset.json
    expect:
      - event_name: CreateIPSet
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        ip_set_location: "https://s3.amazonaws.com/gd-lists-7731/trusted.txt"
        evidence: "GuardDuty trusted IP list corp-egress created and activated, from https://s3.amazonaws.com/gd-lists-7731/trusted.txt"
      - {event_name: UpdateIPSet, aws_region: eu-west-1, detector_id: c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, expect: [{event_name: CreateIPSet}], name: iac_list_without_context}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0, name: list_deactivated_and_threat_list}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro ip_set_location() %}json_extract_scalar(requestparameters, '$.location'){% endmacro %}
{%- macro activate() %}json_extract_scalar(requestparameters, '$.activate'){% endmacro %}
{%- macro evidence() -%}
concat('GuardDuty trusted IP list ',
       coalesce(json_extract_scalar(requestparameters, '$.name'),
                json_extract_scalar(requestparameters, '$.ipSetId'), '?'),
       CASE eventname WHEN 'CreateIPSet' THEN ' created and activated' ELSE ' updated' END,
       coalesce(concat(', from ', {{ ip_set_location() }}), ''))
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ ip_set_location() }} AS ip_set_location,
  json_extract_scalar(requestparameters, '$.detectorId') AS detector_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'guardduty.amazonaws.com'
  AND ((eventname = 'CreateIPSet' AND {{ activate() }} = 'true')
       OR (eventname = 'UpdateIPSet' AND coalesce({{ activate() }}, 'true') <> 'false'))
  AND NOT {{ context.is_automation() }}
