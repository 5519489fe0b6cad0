{#-
id: organization_leave_attempt
title: Account left, or tried to leave, its AWS Organization
attack: [T1666, T1685]
confidence: high
severity: critical
description: >
  LeaveOrganization was called from a member account. Once out, the account is free of the
  organisation's service control policies, drops out of the organisation trail, delegated
  GuardDuty/Security Hub/Config and centralised backups, and can be billed and controlled
  separately: a classic way to keep a compromised account while shedding its guardrails (T1666,
  T1685). Attempts that failed (an SCP usually denies it) are reported too, with the error as the
  outcome, because trying is itself the signal. Confidence is high because accounts leave only
  through a deliberate, rare process; severity is critical because every central control is lost
  at once.
tuning: |
  Account closure or transfer pipelines are excluded when their roles are listed under
  `automation`. Failed calls are kept on purpose as attempts (outcome shows the error code); an SCP denying
  organizations:LeaveOrganization is what makes them fail.
corroborate:
  - the management account's aws organizations list-accounts no longer shows the account
  - root user or new IAM user activity in the account around the same time (CreateLoginProfile, root console logins)
  - CloudTrail, GuardDuty or Config changes in the account before the call
response:
  - "From the management account, check membership: aws organizations describe-account --account-id {{ finding.account_id }}"
  - "If it left, invite it back and accept from the account: aws organizations invite-account-to-organization --target Id={{ finding.account_id }},Type=ACCOUNT"
  - "Make sure an SCP denies organizations:LeaveOrganization for every account: aws organizations list-policies-for-target --target-id {{ finding.account_id }} --filter SERVICE_CONTROL_POLICY"
references:
  - https://docs.aws.amazon.com/organizations/latest/APIReference/API_LeaveOrganization.html
  - https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_remove.html
  - https://attack.mitre.org/techniques/T1666/
tests:
  - fixture: cloudtrail/evasion/leave_organization.json
    expect:
      - {event_name: LeaveOrganization, principal_arn: "arn:aws:iam::111122223333:user/svc-reporting", outcome: Success, evidence: "account 111122223333 left its AWS Organization"}
      - {principal_arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PowerUserAccess_4b5c6d7e8f9a0b1c/carol@example.com", outcome: AccessDenied, evidence: "account 111122223333 tried to leave its AWS Organization [attempt failed: AccessDenied]", finding_kind: attempt}
  - {fixture: cloudtrail/evasion/leave_organization_vending.json, expect: 1, name: vending_without_context}
  - {fixture: cloudtrail/evasion/leave_organization_vending.json, context: contexts/evasion.yaml, expect: 0, name: vending_pipeline}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0, name: describe_organization}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
SELECT
  {{ findings.finding_columns("concat('account ', coalesce(recipientaccountid, useridentity.accountid, '?'),
                            CASE WHEN errorcode IS NULL THEN ' left its AWS Organization'
                                 ELSE ' tried to leave its AWS Organization' END)") }},
  coalesce(errorcode, 'Success') AS outcome
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'organizations.amazonaws.com'
  AND eventname = 'LeaveOrganization'
  AND NOT {{ context.is_automation() }}
