{#-
id: iam_admin_policy_attached
title: Administrator-equivalent managed policy attached
attack: [T1098.003]
confidence: medium
severity: high
description: >
  A principal attached an AWS managed policy that is administrator-equivalent
  (AdministratorAccess, IAMFullAccess, PowerUserAccess by default) to a user, role or group
  outside infrastructure-as-code. Escalating a foothold to admin this way is the most common
  privilege escalation in AWS intrusions. Medium confidence: admins grant these by hand too;
  high severity: the grantee can do almost anything in the account.
tuning: |
  `parameters.iam_admin_policy_attached.admin_policies` lists the policy names (the part after
  `arn:aws:iam::aws:policy/`, paths included, e.g. `job-function/SystemAdministrator`) treated as
  admin-equivalent. IaC roles under `automation` and AWS services acting for you (IAM Identity
  Center provisioning its AWSReservedSSO roles) are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
  Customer managed policies are judged by their document when created
  (iam_managed_policy_grants_full_admin), not here.
corroborate:
  - "is the grantee new (created in the last day: iam_user_created_outside_automation) or the caller itself (self-escalation)?"
  - "did the caller get AccessDenied errors just before (probing for permissions)?"
  - does the grantee use the new rights soon after from an unusual address?
response:
  - "Detach the policy: aws iam detach-{{ finding.target_type }}-policy --{{ finding.target_type }}-name '{{ finding.target_name }}' --policy-arn '{{ finding.policy_arn }}'"
  - "List what else is attached: aws iam list-attached-{{ finding.target_type }}-policies --{{ finding.target_type }}-name '{{ finding.target_name }}'"
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
  - https://attack.mitre.org/techniques/T1098/003/
parameters:
  admin_policies: [AdministratorAccess, IAMFullAccess, PowerUserAccess]
tests:
  - fixture: cloudtrail/iam/attach_admin_policies.json
    context: contexts/iam_default.yaml
    expect:
      - {event_name: AttachRolePolicy, target_type: role, target_name: legacy-jenkins, policy_arn: "arn:aws:iam::aws:policy/PowerUserAccess"}
      - {event_name: AttachGroupPolicy, target_type: group, target_name: deployers, policy_arn: "arn:aws:iam::aws:policy/IAMFullAccess"}
  - fixture: cloudtrail/iam/iam_backdoor_user_chain.json
    expect: [{event_name: AttachUserPolicy, target_type: user, target_name: support-helpdesk, source_ip: 185.220.101.47}]
  - fixture: cloudtrail/iam/attach_admin_policies.json
    params: {admin_policies: [AdministratorAccess]}
    expect: 0
    name: narrower_admin_list
  - {fixture: cloudtrail/iam/sso_provisioning.json, expect: 0, name: identity_center_provisioning}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, context: contexts/iam_default.yaml, expect: 0, name: read_only_grant}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: AttachRolePolicy, finding_kind: attempt}]}
  - {fixture: cloudtrail/iam/sso_provisioning_other_partitions.json, expect: 0, name: service_linked_role_govcloud_and_china}
  - fixture: cloudtrail/iam/service_role_lookalike_govcloud.json
    name: customer_role_under_a_lookalike_path
    expect: [{principal_arn: "arn:aws-us-gov:sts::444455556666:assumed-role/sso-sync/sync-1710328181", aws_region: us-gov-west-1}]
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
WITH attachments AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         CASE eventname WHEN 'AttachUserPolicy' THEN 'user' WHEN 'AttachRolePolicy' THEN 'role' ELSE 'group' END
           AS target_type,
         coalesce(json_extract_scalar(requestparameters, '$.userName'),
                  json_extract_scalar(requestparameters, '$.roleName'),
                  json_extract_scalar(requestparameters, '$.groupName')) AS target_name,
         json_extract_scalar(requestparameters, '$.policyArn') AS policy_arn
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'iam.amazonaws.com'
    AND eventname IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy')
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
)
SELECT
  {{ findings.finding_columns("concat(policy_arn, ' attached to ', target_type, ' ', coalesce(target_name, '?'))") }},
  target_type,
  target_name,
  policy_arn
FROM attachments
-- An AWS managed policy (arn:aws:iam::aws:policy/<path><name>) whose path and name are listed.
WHERE regexp_like(policy_arn, '^arn:aws[a-z-]*:iam::aws:policy/')
  AND substr(policy_arn, strpos(policy_arn, ':policy/') + 8) IN {{ trail.param_list('admin_policies') }}
