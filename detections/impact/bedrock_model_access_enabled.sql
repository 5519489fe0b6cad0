{#-
id: bedrock_model_access_enabled
title: Amazon Bedrock model access requested or granted outside automation
attack: [T1496.004]
confidence: medium
severity: high
description: >
  A principal that is not automation submitted the Anthropic use-case form
  (PutUseCaseForModelAccess), accepted a model offer (CreateFoundationModelAgreement) or added a
  model entitlement (PutFoundationModelEntitlement). "LLMjacking" crews do exactly this with stolen
  keys in accounts that never used Bedrock, then resell access to the models at the victim's
  expense. Confidence is medium because teams starting with Bedrock do it once too; severity is high
  because invocation costs of the largest models run to tens of thousands of dollars a day.
tuning: |
  List the IaC roles that manage model access under `automation`. One row per principal with the
  steps and models in the evidence. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. Since Bedrock
  enables serverless models on first invocation, pair this with bedrock_invocation_by_new_identity,
  which sees abuse that skips these calls.
corroborate:
  - GetFoundationModelAvailability, ListFoundationModels or GetModelInvocationLoggingConfiguration by the same principal first
  - InvokeModel/Converse by the same principal afterwards, especially failed probes (ValidationException, AccessDeniedException)
  - the principal's source IP and user agent compared with how Bedrock is used in the account (if at all)
response:
  - "Check invocation volume: aws cloudwatch get-metric-statistics --namespace AWS/Bedrock --metric-name Invocations --dimensions Name=ModelId,Value=<model from the evidence> --start-time {{ finding.first_seen }} --end-time <now> --period 3600 --statistics Sum --region {{ finding.aws_region }}"
  - "Contain the caller: deactivate key {{ finding.access_key_id }} or revoke the role's sessions"
  - "Deny bedrock:InvokeModel* and model-access actions by SCP in accounts that do not use Bedrock"
references:
  - https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html
  - https://sysdig.com/blog/llmjacking-stolen-cloud-credentials-used-in-new-ai-attack/
  - https://attack.mitre.org/techniques/T1496/004/
tests:
  - {fixture: cloudtrail/exfil/bedrock_access.json, context: contexts/exfil_org.yaml, expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", event_name: PutUseCaseForModelAccess, event_count: 3, models: "anthropic.claude-3-opus-20240229-v1:0"}, {event_name: PutFoundationModelEntitlement, finding_kind: attempt}], name: stolen_key_enables_models}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_accepts_offer}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: [{event_name: CreateFoundationModelAgreement}], name: terraform_without_context}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: CreateFoundationModelAgreement, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{% macro models(n=5) -%}
{{ exfil.sample_list("array_agg(DISTINCT json_extract_scalar(requestparameters, '$.modelId'))", n) }}
{%- endmacro %}
{% macro access_evidence() -%}
concat('Bedrock model access steps ', {{ exfil.sample_list('array_agg(DISTINCT eventname)') }},
       ' for models ', coalesce(nullif({{ models() }}, ''), '(not named)'))
{%- endmacro %}
SELECT
  {{ findings.aggregate_finding_columns(access_evidence(), attempts=true) }},
  {{ models(20) }} AS models
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'bedrock.amazonaws.com'
  AND eventname IN ('PutUseCaseForModelAccess', 'CreateFoundationModelAgreement', 'PutFoundationModelEntitlement')
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
GROUP BY {{ findings.principal_key() }}, {{ findings.attempt_group() }}
