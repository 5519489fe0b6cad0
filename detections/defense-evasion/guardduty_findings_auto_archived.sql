{#-
id: guardduty_findings_auto_archived
title: GuardDuty suppression rule (auto-archive filter) created or changed
attack: [T1685]
confidence: medium
severity: high
description: >
  CreateFilter or UpdateFilter set a GuardDuty filter's action to ARCHIVE: matching findings,
  present and future, are archived as they arrive and never reach Security Hub, EventBridge rules
  or the console's current view. An attacker uses it to silence the findings its own activity
  raises (Tor callers, credential exfiltration) while GuardDuty looks healthy. Confidence is medium
  because teams do write suppression rules for known scanners; severity is high because the
  detector keeps running but reports nothing the rule matches.
tuning: |
  Suppression rules managed as code are excluded when the pipeline roles are listed under
  `automation`. Filters saved with action NOOP (saved searches) are not reported. A broad
  criterion (a finding type family, severity >= 1) or one naming IAM or credential findings makes a
  hit more urgent; the criteria are in the evidence. UpdateFilter calls that change only the
  criteria of an existing ARCHIVE rule (no action in the request) are not seen by this detection.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - the criteria match findings raised in the last days for this account (aws guardduty list-findings with the same criteria)
  - trusted IP lists, detector or member changes by the same principal
  - the caller's source IP or user agent never seen for this principal before
response:
  - "Read the rule: aws guardduty get-filter --detector-id {{ finding.detector_id }} --filter-name '{{ finding.filter_name }}' --region {{ finding.aws_region }}"
  - "Stop the auto-archiving: aws guardduty update-filter --detector-id {{ finding.detector_id }} --filter-name '{{ finding.filter_name }}' --action NOOP --region {{ finding.aws_region }}"
  - "Review what it hid: aws guardduty list-findings --detector-id {{ finding.detector_id }} --finding-criteria '{\"Criterion\":{\"service.archived\":{\"Eq\":[\"true\"]}}}' --region {{ finding.aws_region }}"
references:
  - https://docs.aws.amazon.com/guardduty/latest/ug/findings_suppression-rule.html
  - https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateFilter.html
  - https://attack.mitre.org/techniques/T1562/001/
tests:
  - fixture: cloudtrail/evasion/guardduty_suppression.json
    expect:
      - event_name: CreateFilter
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        filter_name: known-scanner-noise
        detector_id: b4c6a1e2f3d5e7f9a1b3c5d7e9f1a3b5
      - {event_name: UpdateFilter, filter_name: triage-view}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, expect: [{filter_name: suppress-vuln-scanner}], name: iac_rule_without_context}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0, name: saved_search_noop}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{% macro filter_name() -%}
coalesce(json_extract_scalar(requestparameters, '$.name'), json_extract_scalar(requestparameters, '$.filterName'))
{%- endmacro %}
{#- The evidence names the filter and the first 400 characters of its criteria. -#}
{% macro archive_evidence() -%}
concat('GuardDuty filter ',
       coalesce(json_extract_scalar(requestparameters, '$.name'),
                json_extract_scalar(requestparameters, '$.filterName'), '?'),
       ' now archives findings matching ',
       coalesce(substr(json_format(json_extract(requestparameters, '$.findingCriteria')), 1, 400),
                '(unchanged criteria)'))
{%- endmacro %}
SELECT
  {{ findings.finding_columns(archive_evidence()) }},
  {{ filter_name() }} AS filter_name,
  json_extract_scalar(requestparameters, '$.detectorId') AS detector_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'guardduty.amazonaws.com'
  AND eventname IN ('CreateFilter', 'UpdateFilter')
  AND json_extract_scalar(requestparameters, '$.action') = 'ARCHIVE'
  AND NOT {{ context.is_automation() }}
