{#-
id: iam_access_key_created_for_self
title: IAM user created an access key for itself (lead)
attack: [T1098.001]
confidence: low
severity: medium
description: >
  An IAM user created a new access key for itself (requestParameters.userName absent or its own
  name), and it is not a listed human calling from a trusted network, nor automation. An intruder
  holding a stolen key or console session mints a second key so that access survives the
  rotation of the first. Low confidence: key rotation is routine; a lead that never escalates
  alone and feeds corroboration (recon before it, an admin grant after it). Medium severity: a
  second working credential.
tuning: |
  List people under `humans` and the office/VPN egress under `trusted_cidrs`: their own key
  rotations from there are excluded. Automation is excluded. Keys created for other users are
  iam_access_key_created_for_other_user. Failed calls (errorcode set) are reported as attempts, one
  confidence level lower, with the error in the evidence.
corroborate:
  - "is the new key used from an address the user never used (filter on userIdentity.accessKeyId)?"
  - "did the same principal enumerate (discovery_api_burst, access_denied_burst) or grant itself rights just before?"
  - "did the user already have two keys, or delete an old one right after (rotation) or not (a second credential)?"
response:
  - "List the user's keys: aws iam list-access-keys --user-name '{{ finding.target_user }}'"
  - "Deactivate the new key if it is not the owner's: aws iam update-access-key --user-name '{{ finding.target_user }}' --access-key-id '{{ finding.new_access_key_id }}' --status Inactive"
references:
  - https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html
  - https://attack.mitre.org/techniques/T1098/001/
tests:
  - fixture: cloudtrail/lone/lone_calls_attack.json
    context: contexts/iam_default.yaml
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/svc-reporting", target_user: svc-reporting, new_access_key_id: AKIAZ4ETQ2NXN3WK8Q5L}]
    name: service_user_key_from_outside
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, context: contexts/iam_default.yaml, expect: 0, name: listed_human_rotates_from_office}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, expect: [{target_user: alice}], name: unlisted_human_is_a_lead}
  - {fixture: cloudtrail/iam/access_key_other_user.json, context: contexts/iam_default.yaml, expect: 0, name: keys_for_other_users}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
{%- macro new_access_key_id() %}json_extract_scalar(responseelements, '$.accessKey.accessKeyId'){% endmacro %}
{%- macro evidence() -%}
concat('access key ', coalesce({{ new_access_key_id() }}, '?'),
    ' created by IAM user ', coalesce(useridentity.username, '?'), ' for itself')
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  useridentity.username AS target_user,
  {{ new_access_key_id() }} AS new_access_key_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname = 'CreateAccessKey'
  AND useridentity.type = 'IAMUser'
  AND NOT {{ iam.targets_other_user() }}
  AND NOT ({{ context.is_human() }} AND {{ context.trusted_network() }})
  AND NOT {{ context.is_automation() }}
