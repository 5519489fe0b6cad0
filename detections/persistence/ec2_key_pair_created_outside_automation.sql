{#-
id: ec2_key_pair_created_outside_automation
title: EC2 key pair created or imported outside automation
attack: [T1098.004]
confidence: low
severity: medium
description: >
  CreateKeyPair or ImportKeyPair by a principal that is not automation. An intruder imports their
  own public key so that instances launched next (or a relaunched one) accept their SSH login, and
  cryptomining crews do it right before RunInstances. Low confidence: engineers create key pairs by
  hand; a lead that corroborating launches or security group changes lift. Medium severity: a key
  alone opens nothing until an instance uses it.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error
  in the evidence.
corroborate:
  - "RunInstances naming the key (requestParameters.keyName) by the same principal soon after?"
  - "AuthorizeSecurityGroupIngress opening SSH by the same principal?"
  - "is the source address one this principal normally uses?"
response:
  - "List the region's key pairs: aws ec2 describe-key-pairs --region {{ finding.aws_region }}"
  - "Delete an unknown key pair: aws ec2 delete-key-pair --key-name '{{ finding.key_name }}' --region {{ finding.aws_region }}"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportKeyPair.html
  - https://attack.mitre.org/techniques/T1098/004/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: ImportKeyPair, key_name: ops-recovery, finding_kind: finding}, {event_name: CreateKeyPair, key_name: ops-recovery-2, finding_kind: attempt}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro key_name() %}json_extract_scalar(requestparameters, '$.keyName'){% endmacro %}
{%- macro evidence() %}concat(eventname, ' ', coalesce({{ key_name() }}, '?'), ' in ', awsregion){% endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ key_name() }} AS key_name
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname IN ('CreateKeyPair', 'ImportKeyPair')
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
