{#-
id: iam_user_created_outside_automation
title: IAM user created outside infrastructure-as-code
attack: [T1136.003]
confidence: low
severity: medium
description: >
  An IAM user was created by a principal that is not one of the account's IaC or pipeline roles.
  Attackers create their own IAM user (often with a helpdesk- or support-sounding name) as a
  second way in. Low confidence: administrators still create users by hand in many accounts;
  medium severity: a user alone grants nothing until keys, a password or policies are added.
tuning: |
  List IaC and pipeline roles under `automation`; their CreateUser calls are excluded, as are calls AWS services make for you. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. In accounts where users are
  only ever made by IaC, raise the confidence locally: every hit is then out of process.
corroborate:
  - "did the same principal add credentials or permissions to the new user within the hour (CreateAccessKey, CreateLoginProfile, AttachUserPolicy, AddUserToGroup on the same userName)?"
  - is the caller a human listed in `humans`, and is its source IP one it used before?
  - does the user name imitate a service or support account, and does it carry tags your IaC normally sets?
response:
  - "Review the user's policies: aws iam list-attached-user-policies --user-name '{{ finding.new_user }}'"
  - "Review the user's keys: aws iam list-access-keys --user-name '{{ finding.new_user }}'"
  - "Block the user while investigating: aws iam attach-user-policy --user-name '{{ finding.new_user }}' --policy-arn arn:aws:iam::aws:policy/AWSDenyAll"
  - "Remove its console password: aws iam delete-login-profile --user-name '{{ finding.new_user }}'"
references:
  - https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
  - https://attack.mitre.org/techniques/T1136/003/
tests:
  - fixture: cloudtrail/iam/iam_backdoor_user_chain.json
    context: contexts/iam_default.yaml
    expect: [{event_name: CreateUser, principal_arn: "arn:aws:iam::111122223333:user/backup-admin", new_user: support-helpdesk}]
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, expect: [{new_user: svc-metrics}], name: terraform_without_context}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0, name: terraform_is_automation}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: CreateUser, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro new_user() %}json_extract_scalar(requestparameters, '$.userName'){% endmacro %}
{%- macro actor_name() -%}
coalesce(useridentity.username, useridentity.sessioncontext.sessionissuer.username, useridentity.arn, '?')
{%- endmacro %}
{%- macro evidence() -%}
concat('IAM user ', coalesce({{ new_user() }}, '?'),
    ' created by ', coalesce(useridentity.type, '?'), ' ', {{ actor_name() }})
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ new_user() }} AS new_user
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname = 'CreateUser'
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
