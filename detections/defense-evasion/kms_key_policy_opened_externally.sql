{#-
id: kms_key_policy_opened_externally
title: KMS key policy opened to an outside account or to everyone
attack: [T1685, T1098]
confidence: high
severity: high
description: >
  PutKeyPolicy (or CreateKey with a policy) allowed an AWS account that is neither this account
  nor trusted, or allowed Principal "*" without a condition that pins callers to your accounts or
  organisation. The outside party can then decrypt data and snapshots encrypted under the key, or
  use and schedule it for deletion, from its own account, where your CloudTrail does not see it:
  the key's access control is weakened (T1685) and the account gains a standing backdoor
  (T1098). Confidence is high because real cross-account key sharing goes to known partners;
  severity is high because the key guards data at rest.
tuning: |
  List partner and central security accounts under `trusted_accounts`; your own organisation ids
  under `parameters.kms_key_policy_opened_externally.trusted_org_ids` so that Principal "*" with an
  aws:PrincipalOrgID condition is not reported. A Principal "*" statement counts as restricted when
  its Condition names kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount
  or aws:PrincipalOrgID/OrgPaths and every account and organisation id in it is yours or trusted
  (the AWS pattern for EBS/RDS keys). Deny statements are ignored. Policies written by your IaC
  pipeline are excluded when its roles are listed under `automation`. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - the outside account appears elsewhere in your logs (snapshot or AMI shares, AssumeRole, bucket policies)
  - CreateGrant, ReEncrypt or Decrypt calls on the key from the outside account (visible in the key owner's CloudTrail)
  - ScheduleKeyDeletion or DisableKey on the same key soon after
response:
  - "Read the policy now in force: aws kms get-key-policy --key-id '{{ finding.key_id }}' --policy-name default --region {{ finding.aws_region }}"
  - "Put back the reviewed policy: aws kms put-key-policy --key-id '{{ finding.key_id }}' --policy-name default --policy file://reviewed-policy.json --region {{ finding.aws_region }}"
  - "Revoke grants the outside account may have created: aws kms list-grants --key-id '{{ finding.key_id }}' --region {{ finding.aws_region }} then aws kms revoke-grant --key-id '{{ finding.key_id }}' --grant-id <id>"
references:
  - https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
  - https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
  - https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
parameters:
  trusted_org_ids: []
tests:
  - fixture: cloudtrail/evasion/kms_key_policy_opened.json
    expect:
      - event_name: PutKeyPolicy
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        key_id: "arn:aws:kms:us-east-1:111122223333:key/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
        outside_accounts: "999988887777"
        evidence: "key arn:aws:kms:us-east-1:111122223333:key/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9 policy allows account(s) 999988887777"
      - event_name: CreateKey
        key_id: "arn:aws:kms:us-east-1:111122223333:key/mrk-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5"
        evidence: "key arn:aws:kms:us-east-1:111122223333:key/mrk-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5 policy allows any AWS principal (Principal * without an account condition)"
  - fixture: cloudtrail/evasion/kms_key_policy_benign.json
    name: partner_not_listed_as_trusted
    expect: [{key_id: "arn:aws:kms:us-east-1:111122223333:key/1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b", outside_accounts: "444455556666"}]
  - {fixture: cloudtrail/evasion/kms_key_policy_benign.json, context: contexts/evasion.yaml, expect: 0, name: service_principal_caller_account_and_partner}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
{#- 12-digit account ids in JSON text `text` that are neither the key owner's nor trusted. -#}
{% macro outside_accounts(text) -%}
filter(regexp_extract_all(coalesce({{ text }}, ''), '[0-9]{12}'),
       a -> a <> coalesce(recipientaccountid, useridentity.accountid) AND NOT {{ context.trusted_account('a') }})
{%- endmacro %}
{#- Condition keys that limit a Principal "*" statement to named accounts or organizations. -#}
{%- set account_condition_keys = ['kms:calleraccount', 'aws:principalaccount', 'aws:principalarn', 'aws:sourceaccount',
                                  'aws:principalorgid', 'aws:principalorgpaths'] %}
WITH key_policies AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
      errorcode,
         coalesce(element_at(resources, 1).arn, json_extract_scalar(responseelements, '$.keyMetadata.arn'),
                  json_extract_scalar(requestparameters, '$.keyId')) AS key_id,
         {{ iam.allow_statements("json_extract_scalar(requestparameters, '$.policy')") }} AS allows
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'kms.amazonaws.com'
    AND eventname IN ('PutKeyPolicy', 'CreateKey')
    AND NOT {{ context.is_automation() }}
),
openings AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
      errorcode, key_id,
         array_sort(array_distinct(flatten(transform(allows,
           st -> {{ outside_accounts("json_format(json_extract(st, '$.Principal'))") }})))) AS outside,
         filter(allows, st -> regexp_like(coalesce(json_format(json_extract(st, '$.Principal')), ''), '"\*"')
           AND NOT (
             regexp_like(lower(coalesce(json_format(json_extract(st, '$.Condition')), '')),
                         {{ sql.literal(account_condition_keys | join('|')) }})
             AND cardinality({{ outside_accounts("json_format(json_extract(st, '$.Condition'))") }}) = 0
             AND cardinality(filter(regexp_extract_all(coalesce(json_format(json_extract(st, '$.Condition')), ''),
                 'o-[a-z0-9]{10,32}'),
                                    o -> NOT {{ sql.in_list('o', param('trusted_org_ids').value) }})) = 0
           )) AS open_to_all
  FROM key_policies
)
SELECT
  {{ findings.finding_columns("concat('key ', coalesce(key_id, '?'), ' policy allows ', concat_ws(' and ',
                            CASE WHEN cardinality(outside) > 0
                                THEN concat('account(s) ', array_join(outside, ', ')) END,
                            CASE WHEN cardinality(open_to_all) > 0
                                THEN 'any AWS principal (Principal * without an account condition)' END))") }},
  key_id,
  array_join(outside, ', ') AS outside_accounts
FROM openings
WHERE cardinality(outside) > 0 OR cardinality(open_to_all) > 0
