{#-
id: iam_role_trust_policy_allows_outside_account
title: Role trust policy admits an outside AWS account or everyone
attack: [T1098.003]
confidence: medium
severity: high
description: >
  A role was created, or its trust policy replaced, so that an Allow statement admits an AWS
  principal from an account that is neither this account nor a known one, or admits everyone
  ("*"). Backdooring a role's trust policy lets an attacker assume it from their own account long
  after the original foothold is gone. The trust document is parsed: Principal.AWS may be a string
  or an array of ARNs or bare account ids, and Deny statements and Service or Federated
  principals are ignored. Medium confidence: new vendor integrations look the same until their
  account is listed; high severity: the role's permissions are handed to another account.
tuning: |
  List your own accounts under `account_ids` and partner/vendor accounts under `trusted_accounts`
  in the context; the event's own account is always known. Automation is not excluded: a
  pipeline trusting an unknown account is just as open. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. Conditions
  (sts:ExternalId, aws:PrincipalOrgID) are not evaluated: "*" restricted to your organisation
  still fires, so check the statement before escalating.
corroborate:
  - "is the outside account known to anyone in the organisation (vendor onboarding, AWS Marketplace subscription)?"
  - "does an AssumeRole into the role from that account follow (CloudTrail in this account, eventName AssumeRole, resources = the role ARN)?"
  - "what permissions does the role hold: aws iam list-attached-role-policies / list-role-policies?"
response:
  - "Inspect the trust policy: aws iam get-role --role-name '{{ finding.role_name }}' --query Role.AssumeRolePolicyDocument"
  - "Restore a known-good trust policy (from IaC or the previous version in CloudTrail): aws iam update-assume-role-policy --role-name '{{ finding.role_name }}' --policy-document file://trust-known-good.json"
  - "Revoke sessions already issued to the role: attach an aws:TokenIssueTime deny policy (IAM console: Roles, Revoke active sessions)"
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
  - https://attack.mitre.org/techniques/T1098/003/
tests:
  - fixture: cloudtrail/iam/trust_policy_changes.json
    context: contexts/iam_default.yaml
    expect:
      - {event_name: UpdateAssumeRolePolicy, role_name: legacy-jenkins, outside_accounts: "999988887777", source_ip: 185.220.101.47}
      - {event_name: CreateRole, role_name: ops-support, outside_accounts: "*"}
      - {event_name: CreateRole, role_name: vendor-monitoring, outside_accounts: "464622532012"}
  - fixture: cloudtrail/iam/trust_policy_changes.json
    context: contexts/iam_vendor_trusted.yaml
    expect: [{role_name: legacy-jenkins}, {role_name: ops-support}]
    name: vendor_account_trusted
  - fixture: cloudtrail/iam/trust_policy_changes.json
    expect: 4
    name: partner_unknown_without_context
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0, name: trusted_partner_role}
  - {fixture: cloudtrail/iam/sso_provisioning.json, context: contexts/iam_default.yaml, expect: 0, name: saml_federated_trust}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, context: contexts/iam_default.yaml, expect: 0, name: service_principal_trust}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: UpdateAssumeRolePolicy, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
WITH trust_changes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.roleName') AS role_name,
         coalesce(json_extract_scalar(requestparameters, '$.policyDocument'),
                  json_extract_scalar(requestparameters, '$.assumeRolePolicyDocument')) AS trust_document
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'iam.amazonaws.com'
    AND eventname IN ('UpdateAssumeRolePolicy', 'CreateRole')
),
admitted AS (
  SELECT trust_changes.*,
         {{ iam.outside_accounts(iam.trust_principals('trust_document')) }} AS outside
  FROM trust_changes
)
SELECT
  {{ findings.finding_columns("concat(eventname, ' on role ', coalesce(role_name, '?'),
      ' admits AWS account(s) ', array_join(outside, ', '))") }},
  role_name,
  array_join(outside, ', ') AS outside_accounts
FROM admitted
WHERE cardinality(outside) > 0
