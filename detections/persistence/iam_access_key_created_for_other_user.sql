{#-
id: iam_access_key_created_for_other_user
title: IAM access key created for another user
attack: [T1098.001]
confidence: medium
severity: high
description: >
  A principal created a long-lived access key for an IAM user other than itself (a role or the
  root user naming any user counts as "other"). Attackers with iam:CreateAccessKey mint keys on
  existing users to keep access after the stolen credential is revoked. Medium confidence:
  administrators rarely create keys for someone else now that IaC and SSO exist, but it happens;
  high severity: the new key is a working credential outside the victim's control.
tuning: |
  IaC that provisions keys for service users is excluded by listing its roles under `automation`.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. A user creating its own key (requestParameters.userName
  absent or equal to the caller's user name, compared case-insensitively) never fires; the root
  user's own key is `iam_root_access_key_created`.
corroborate:
  - "is the new key used (filter CloudTrail on userIdentity.accessKeyId = the new key id) from an address the target user never used?"
  - did the same principal also attach policies, create users or login profiles in the same hour (iam_admin_policy_attached, iam_user_created_outside_automation)?
  - "is the caller's source IP new for it (console_login_from_new_ip) or outside trusted_cidrs?"
response:
  - "Deactivate the new key: aws iam update-access-key --user-name '{{ finding.target_user }}' --access-key-id '{{ finding.new_access_key_id }}' --status Inactive"
  - "Delete it once confirmed malicious: aws iam delete-access-key --user-name '{{ finding.target_user }}' --access-key-id '{{ finding.new_access_key_id }}'"
  - "List the user's other keys: aws iam list-access-keys --user-name '{{ finding.target_user }}'"
  - "Trace the caller's credential {{ finding.access_key_id }} in CloudTrail (userIdentity.accessKeyId) and revoke it if it is not its owner's"
references:
  - https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html
  - https://attack.mitre.org/techniques/T1098/001/
tests:
  - fixture: cloudtrail/iam/access_key_other_user.json
    context: contexts/iam_default.yaml
    expect:
      - {principal_arn: "arn:aws:iam::111122223333:user/backup-admin", target_user: svc-reporting, source_ip: 185.220.101.47}
      - {principal_arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/alice@example.com", target_user: bob}
  - {fixture: cloudtrail/iam/access_key_other_user.json, expect: 3, name: terraform_fires_without_context}
  - fixture: cloudtrail/iam/iam_backdoor_user_chain.json
    expect: [{event_name: CreateAccessKey, target_user: support-helpdesk, new_access_key_id: AKIA5TVGSHI4HUWV6NGI}]
  - fixture: cloudtrail/iam/root_activity.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:root", target_user: deploy-bot}]
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, context: contexts/iam_default.yaml, expect: 0, name: own_key_rotation}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: CreateAccessKey, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
{%- macro target_user() %}json_extract_scalar(requestparameters, '$.userName'){% endmacro %}
{%- macro new_access_key_id() %}json_extract_scalar(responseelements, '$.accessKey.accessKeyId'){% endmacro %}
{%- macro actor_name() -%}
coalesce(useridentity.username, useridentity.sessioncontext.sessionissuer.username, useridentity.arn, '?')
{%- endmacro %}
{%- macro evidence() -%}
concat('access key ', coalesce({{ new_access_key_id() }}, '?'), ' created for IAM user ', {{ target_user() }},
    ' by ', coalesce(useridentity.type, '?'), ' ', {{ actor_name() }})
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ target_user() }} AS target_user,
  {{ new_access_key_id() }} AS new_access_key_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname = 'CreateAccessKey'
  AND {{ iam.targets_other_user() }}
  AND NOT {{ context.is_automation() }}
