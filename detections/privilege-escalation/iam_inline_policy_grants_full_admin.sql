{#-
id: iam_inline_policy_grants_full_admin
title: Inline IAM policy grants full administrator rights
attack: [T1098.003]
confidence: high
severity: high
description: >
  An inline policy put on a user, role or group contains an Allow statement granting every action
  ("*" or "*:*") on every resource. The document (a JSON string in requestParameters) is parsed:
  Statement may be one object or an array and Action/Resource a string or an array, so Deny
  statements, scoped resources and wildcard service actions (s3:*) do not match. High
  confidence: hand-written inline admin grants outside IaC are rare and a classic escalation
  (iam:PutUserPolicy on oneself, marked grants_self and "on itself" in the evidence); high
  severity: the grantee becomes administrator.
tuning: |
  IaC roles under `automation` and AWS services (Identity Center writing permission-set policies
  into AWSReservedSSO roles) are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. `parameters.admin_actions` lists
  the action strings (compared lower-case) that mean "everything"; add `iam:*` to also catch
  IAM-only escalation grants. Conditions in the statement are not evaluated: an admin grant
  limited by a Condition still fires. NotAction statements are not treated as admin.
corroborate:
  - is the grantee the caller itself (self-escalation through iam:Put*Policy)?
  - "what did the grantee do in the next hour (new IAM writes, secrets reads, CloudTrail changes)?"
  - "was the caller denied on other privileged calls just before?"
response:
  - "Delete the inline policy: aws iam delete-{{ finding.target_type }}-policy --{{ finding.target_type }}-name '{{ finding.target_name }}' --policy-name '{{ finding.policy_name }}'"
  - "Review the remaining inline policies: aws iam list-{{ finding.target_type }}-policies --{{ finding.target_type }}-name '{{ finding.target_name }}'"
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
  - https://attack.mitre.org/techniques/T1098/003/
parameters:
  admin_actions: ["*", "*:*"]
tests:
  - fixture: cloudtrail/iam/inline_policy_admin.json
    context: contexts/iam_default.yaml
    expect:
      - {event_name: PutUserPolicy, target_type: user, target_name: backup-admin, policy_name: backup-extra, grants_self: true, evidence: "PutUserPolicy backup-extra on backup-admin (on itself) allows every action on every resource"}
      - {event_name: PutRolePolicy, target_type: role, target_name: legacy-jenkins, policy_name: jenkins-ops, grants_self: true}
  - fixture: cloudtrail/iam/inline_policy_admin.json
    params: {admin_actions: ["*"]}
    expect: [{policy_name: backup-extra}]
    name: star_colon_star_not_listed
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, context: contexts/iam_default.yaml, expect: 0, name: deny_star_force_mfa_policy}
  - {fixture: cloudtrail/iam/sso_provisioning.json, expect: 0, name: identity_center_provisioning}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: PutRolePolicy, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
WITH admin_grants AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         CASE eventname WHEN 'PutUserPolicy' THEN 'user' WHEN 'PutRolePolicy' THEN 'role' ELSE 'group' END
           AS target_type,
         coalesce(json_extract_scalar(requestparameters, '$.userName'),
                  json_extract_scalar(requestparameters, '$.roleName'),
                  json_extract_scalar(requestparameters, '$.groupName')) AS target_name,
         json_extract_scalar(requestparameters, '$.policyName') AS policy_name,
         -- The grantee is the caller: its own IAM user, or the role behind its session.
         coalesce((eventname = 'PutUserPolicy' AND useridentity.type = 'IAMUser'
                   AND lower(json_extract_scalar(requestparameters, '$.userName')) = lower(useridentity.username))
                  OR (eventname = 'PutRolePolicy'
                      AND lower(json_extract_scalar(requestparameters, '$.roleName'))
                          = lower(useridentity.sessioncontext.sessionissuer.username)), FALSE) AS grants_self
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'iam.amazonaws.com'
    AND eventname IN ('PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy')
    AND {{ iam.grants_all_actions("json_extract_scalar(requestparameters, '$.policyDocument')",
                                      param('admin_actions').value) }}
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
)
SELECT
  {{ findings.finding_columns("concat(eventname, ' ', coalesce(policy_name, '?'), ' on ', coalesce(target_name, '?'),
      CASE WHEN grants_self THEN ' (on itself)' ELSE '' END, ' allows every action on every resource')") }},
  target_type,
  target_name,
  policy_name,
  grants_self
FROM admin_grants
