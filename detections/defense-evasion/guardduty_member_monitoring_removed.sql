{#-
id: guardduty_member_monitoring_removed
title: GuardDuty member accounts removed from central monitoring
attack: [T1685]
confidence: medium
severity: high
description: >
  A GuardDuty member account left its administrator (DisassociateFromAdministratorAccount, or the
  older DisassociateFromMasterAccount), or the administrator stopped monitoring, disassociated or
  deleted member accounts (StopMonitoringMembers, DisassociateMembers, DeleteMembers). The security
  team's central account then stops receiving those accounts' findings, while each detector may
  still look enabled. Confidence is medium because accounts are offboarded legitimately; severity
  is high because it removes whole accounts from central detection.
tuning: |
  Account offboarding by your vending or IaC pipeline is excluded when its roles are listed under
  `automation`. StartMonitoringMembers and CreateMembers (the opposite direction) are not
  reported. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - the affected accounts are still active in your organisation (aws organizations describe-account)
  - detector, filter or trusted IP list changes in the affected accounts afterwards
  - the same principal leaving the organisation or changing CloudTrail
response:
  - "Re-invite or re-add the members: aws guardduty create-members --detector-id <admin detector> --account-details AccountId=<id>,Email=<email> --region {{ finding.aws_region }}"
  - "Resume monitoring: aws guardduty start-monitoring-members --detector-id <admin detector> --account-ids {{ finding.member_accounts }} --region {{ finding.aws_region }}"
  - "In a member account that left: aws guardduty accept-administrator-invitation --detector-id <member detector> --administrator-id <admin account> --invitation-id <id> --region {{ finding.aws_region }}"
references:
  - https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DisassociateFromAdministratorAccount.html
  - https://docs.aws.amazon.com/guardduty/latest/APIReference/API_StopMonitoringMembers.html
  - https://attack.mitre.org/techniques/T1562/001/
tests:
  - fixture: cloudtrail/evasion/guardduty_members.json
    expect:
      - event_name: DisassociateFromAdministratorAccount
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        evidence: "account 111122223333 left its GuardDuty administrator (us-east-1)"
      - {event_name: StopMonitoringMembers, member_accounts: "555566667777, 666677778888", evidence: "StopMonitoringMembers for GuardDuty member account(s) 555566667777, 666677778888 (eu-west-1)"}
      - {event_name: DeleteMembers, member_accounts: "555566667777"}
      - {event_name: DisassociateMembers, finding_kind: attempt}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, expect: [{event_name: DeleteMembers, member_accounts: "777788889999"}], name: iac_offboarding_without_context}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0, name: start_monitoring}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro member_accounts() -%}
array_join(CAST(json_extract(requestparameters, '$.accountIds') AS ARRAY(VARCHAR)), ', ')
{%- endmacro %}
{%- macro evidence() -%}
concat(CASE WHEN eventname LIKE 'DisassociateFrom%'
           THEN concat('account ', coalesce(recipientaccountid, '?'), ' left its GuardDuty administrator')
           ELSE concat(eventname, ' for GuardDuty member account(s) ', coalesce({{ member_accounts() }}, '?')) END,
       ' (', awsregion, ')')
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ member_accounts() }} AS member_accounts,
  json_extract_scalar(requestparameters, '$.detectorId') AS detector_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'guardduty.amazonaws.com'
  AND eventname IN ('DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount', 'DisassociateMembers',
                    'DeleteMembers', 'StopMonitoringMembers')
  AND NOT {{ context.is_automation() }}
