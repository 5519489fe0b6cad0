{#-
id: iam_managed_policy_grants_full_admin
title: Customer managed policy made to grant full administrator rights
attack: [T1098.003]
confidence: high
severity: high
description: >
  A customer managed policy was created, or given a new default version, whose document has an
  Allow statement granting every action on every resource. Rewriting the default version of a
  policy already attached to oneself (iam:CreatePolicyVersion with setAsDefault) is a well-known
  escalation that needs no attach call. The document is parsed, not substring-matched. High
  confidence outside IaC; high severity: every principal the policy is attached to becomes admin.
tuning: |
  A version created with setAsDefault false changes nothing yet and does not fire (its later
  SetDefaultPolicyVersion is out of scope here). IaC roles under `automation` and AWS services are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. `parameters.admin_actions` as in iam_inline_policy_grants_full_admin.
corroborate:
  - "who is the policy attached to (aws iam list-entities-for-policy), and is the caller among them?"
  - "did the caller list policy versions or delete old versions around the same time (ListPolicyVersions, DeletePolicyVersion)?"
  - what did the principals holding the policy do next?
response:
  - "Find who holds the policy: aws iam list-entities-for-policy --policy-arn '{{ finding.policy_arn }}'"
  - "Find the previous default version: aws iam list-policy-versions --policy-arn '{{ finding.policy_arn }}'"
  - "Make the previous version the default again (a new policy has none: detach it from every entity instead): aws iam set-default-policy-version --policy-arn '{{ finding.policy_arn }}' --version-id PREVIOUS_VERSION_ID"
  - "Then delete the admin version: aws iam delete-policy-version --policy-arn '{{ finding.policy_arn }}' --version-id '{{ finding.version_id }}'"
references:
  - https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html
  - https://attack.mitre.org/techniques/T1098/003/
parameters:
  admin_actions: ["*", "*:*"]
tests:
  - fixture: cloudtrail/iam/policy_versions.json
    context: contexts/iam_default.yaml
    expect:
      - {event_name: CreatePolicyVersion, policy_arn: "arn:aws:iam::111122223333:policy/jenkins-deploy", version_id: v7}
      - {event_name: CreatePolicy, policy_arn: "arn:aws:iam::111122223333:policy/ops-maintenance", version_id: v1}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, expect: [{policy_arn: "arn:aws:iam::111122223333:policy/platform-admin"}], name: terraform_without_context}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: CreatePolicyVersion, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
WITH admin_policies AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         -- The policy as the request names it (CreatePolicy has a name, CreatePolicyVersion an ARN).
         coalesce(json_extract_scalar(requestparameters, '$.policyArn'),
                  json_extract_scalar(requestparameters, '$.policyName')) AS requested_policy,
         coalesce(json_extract_scalar(requestparameters, '$.policyArn'),
                  json_extract_scalar(responseelements, '$.policy.arn')) AS policy_arn,
         coalesce(json_extract_scalar(responseelements, '$.policyVersion.versionId'),
                  json_extract_scalar(responseelements, '$.policy.defaultVersionId')) AS version_id
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'iam.amazonaws.com'
    AND (eventname = 'CreatePolicy'
         OR (eventname = 'CreatePolicyVersion' AND json_extract_scalar(requestparameters, '$.setAsDefault') = 'true'))
    AND {{ iam.grants_all_actions("json_extract_scalar(requestparameters, '$.policyDocument')",
                                      param('admin_actions').value) }}
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
)
SELECT
  {{ findings.finding_columns("concat(eventname, ' ', coalesce(requested_policy, '?'),
      ' (default version ', coalesce(version_id, '?'), ') allows every action on every resource')") }},
  policy_arn,
  version_id
FROM admin_policies
