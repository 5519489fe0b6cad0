{#-
id: sts_federation_token_created
title: Federation token minted by an IAM user
attack: [T1098.001]
confidence: medium
severity: high
description: >
  An IAM user called sts:GetFederationToken. The temporary credentials it returns (up to 36
  hours) keep working after the user's access key is deactivated or deleted, which is why
  attackers mint them as soon as they land on a leaked key; few modern workloads still use this
  API. Medium confidence: some legacy brokers and console-federation tools call it routinely;
  high severity: the credentials outlive the usual first response step. The evidence says
  whether the session policy passed grants every action.
tuning: |
  Known callers (a federation broker's user) go under `service_accounts` or `automation`; both
  are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. Remember that revoking the calling key does not revoke
  tokens already issued.
corroborate:
  - "what did the federated user do (CloudTrail events whose userIdentity.arn is the federated_user_arn column)?"
  - "was the calling access key recently leaked or used from a new address?"
  - "did the same key also create access keys or users (iam_access_key_created_for_other_user, iam_user_created_outside_automation)?"
response:
  - "Deactivate the calling key: aws iam update-access-key --user-name '{{ finding.user_name }}' --access-key-id '{{ finding.access_key_id }}' --status Inactive"
  - "Federation tokens outlive the key: deny sessions issued before now to the user with an aws:TokenIssueTime deny policy (tokens are evaluated against the user's policies)"
  - "Trace the federated user's activity in CloudTrail (userIdentity.arn = {{ finding.federated_user_arn }})"
references:
  - https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
  - https://attack.mitre.org/techniques/T1098/001/
tests:
  - fixture: cloudtrail/iam/federation_token.json
    context: contexts/iam_default.yaml
    expect: [{user_name: backup-admin, federated_user_arn: "arn:aws:sts::111122223333:federated-user/ops-backup", policy_grants_all: true, source_ip: 185.220.101.47}, {event_name: GetFederationToken, finding_kind: attempt}]
  - {fixture: cloudtrail/iam/federation_token.json, expect: 3, name: broker_without_context}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: GetFederationToken, finding_kind: attempt}]}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, context: contexts/iam_default.yaml, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
{#- True when the session policy allows every action on every resource. -#}
{% macro policy_grants_all() -%}
{{ iam.grants_all_actions("json_extract_scalar(requestparameters, '$.policy')") }}
{%- endmacro %}
{% macro token_evidence() -%}
concat('GetFederationToken by IAM user ', coalesce(useridentity.username, '?'),
       ' for federated user ', coalesce(json_extract_scalar(requestparameters, '$.name'), '?'),
       CASE WHEN {{ policy_grants_all() }} THEN ' with a session policy allowing every action'
            WHEN json_extract_scalar(requestparameters, '$.policy') IS NULL THEN ' without a session policy'
            ELSE ' with a limiting session policy' END)
{%- endmacro %}
SELECT
  {{ findings.finding_columns(token_evidence()) }},
  useridentity.username AS user_name,
  json_extract_scalar(responseelements, '$.federatedUser.arn') AS federated_user_arn,
  {{ policy_grants_all() }} AS policy_grants_all
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'sts.amazonaws.com'
  AND eventname = 'GetFederationToken'
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_service_account() }}
