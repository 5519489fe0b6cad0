{#-
id: identity_center_access_granted_outside_iac
title: Identity Center permission set or account assignment created outside IaC
attack: [T1098.003]
confidence: medium
severity: high
description: >
  A permission set was created (CreatePermissionSet) or a user or group was assigned a permission
  set on an account (CreateAccountAssignment) in IAM Identity Center by a principal outside
  infrastructure-as-code. From the management or delegated-admin account, this grants any
  directory user, including one the attacker controls, role access to any member account. Medium
  confidence: where Identity Center is managed as code, hand-made changes are rare but do happen
  in emergencies; high severity: access to every assigned account.
tuning: |
  List the IaC roles that manage Identity Center under `automation`; they are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. Deletions and read calls never fire. Look at CreateAccountAssignment first: it is
  the call that actually grants access.
corroborate:
  - "which policies were put on the permission set (AttachManagedPolicyToPermissionSet, PutInlinePolicyToPermissionSet with AdministratorAccess or '*')?"
  - "who is the principal assigned (aws identitystore describe-user / describe-group with the principal id), and was it created recently (sso-directory/identitystore CreateUser)?"
  - "do sign-ins by that user follow (sso ConsoleLogin / Federate events) from a new address?"
response:
  - "Remove an assignment: aws sso-admin delete-account-assignment --instance-arn '{{ finding.instance_arn }}' --target-id '{{ finding.target_account }}' --target-type AWS_ACCOUNT --permission-set-arn '{{ finding.permission_set_arn }}' --principal-type '{{ finding.assignee_type }}' --principal-id '{{ finding.assignee_id }}'"
  - "See where a permission set is provisioned: aws sso-admin list-accounts-for-provisioned-permission-set --instance-arn '{{ finding.instance_arn }}' --permission-set-arn '{{ finding.permission_set_arn }}'"
  - "See the policies on a permission set: aws sso-admin list-managed-policies-in-permission-set --instance-arn '{{ finding.instance_arn }}' --permission-set-arn '{{ finding.permission_set_arn }}'"
references:
  - https://docs.aws.amazon.com/singlesignon/latest/userguide/sso-info-in-cloudtrail.html
  - https://attack.mitre.org/techniques/T1098/003/
tests:
  - fixture: cloudtrail/iam/sso_permission_sets.json
    context: contexts/iam_default.yaml
    expect:
      - {event_name: CreatePermissionSet, permission_set_arn: "arn:aws:sso:::permissionSet/ssoins-72233af8ea2d1f14/ps-c9d8e7f6a5b4c3d2"}
      - {event_name: CreateAccountAssignment, target_account: "111122223333", assignee_type: USER, assignee_id: f4c8e2a6-1b3d-7059-8e7f-2a4b6c8d0e1f}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, expect: 2, name: terraform_without_context}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: CreateAccountAssignment, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
SELECT
  {{ findings.finding_columns("CASE eventname WHEN 'CreatePermissionSet'
      THEN concat('permission set ', coalesce(json_extract_scalar(requestparameters, '$.name'), '?'),
      ' created (session ', coalesce(json_extract_scalar(requestparameters, '$.sessionDuration'), 'default'), ')')
      ELSE concat(coalesce(json_extract_scalar(requestparameters, '$.principalType'), '?'), ' ',
      coalesce(json_extract_scalar(requestparameters, '$.principalId'), '?'), ' assigned ',
      coalesce(json_extract_scalar(requestparameters, '$.permissionSetArn'), '?'), ' on account ',
      coalesce(json_extract_scalar(requestparameters, '$.targetId'), '?')) END") }},
  json_extract_scalar(requestparameters, '$.instanceArn') AS instance_arn,
  coalesce(json_extract_scalar(requestparameters, '$.permissionSetArn'),
      json_extract_scalar(responseelements, '$.permissionSet.permissionSetArn')) AS permission_set_arn,
  json_extract_scalar(requestparameters, '$.targetId') AS target_account,
  json_extract_scalar(requestparameters, '$.principalType') AS assignee_type,
  json_extract_scalar(requestparameters, '$.principalId') AS assignee_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'sso.amazonaws.com'
  AND eventname IN ('CreatePermissionSet', 'CreateAccountAssignment')
  AND NOT {{ context.is_automation() }}
