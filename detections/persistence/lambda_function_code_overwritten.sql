{#-
id: lambda_function_code_overwritten
title: Lambda function code replaced by a principal that is not automation
attack: [T1525, T1546]
confidence: medium
severity: high
description: >
  UpdateFunctionCode (the API's dated event names UpdateFunctionCode20150331 and ...v2) replaced a
  function's code, and the caller is not automation or an AWS service. New code inherits the
  function's role, triggers and network access, so an overwritten function is a quiet backdoor that
  runs on every invocation. Deployments normally go through a pipeline; a code push from a person
  or an application key is out of process. Medium confidence: in accounts without a listed pipeline
  every deploy matches, so list it; high severity: attacker code runs with the function's role.
tuning: |
  List deployment pipelines (CI roles, Terraform, SAM/CDK deployers) under `automation`; a
  principal that is automation only from its pipeline's user agent or network can be listed with
  those conditions (see the context example). Direct zip uploads (no s3Bucket or imageUri, the CLI's
  `--zip-file`) are marked in the evidence: a pipeline deploys artifacts from a bucket or registry.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error
  in the evidence.
corroborate:
  - "did the same principal also change the function's configuration (layers, environment, role) or add a resource policy (AddPermission)?"
  - "does the new code hash (responseElements.codeSha256) match an artifact your pipeline built?"
  - "is the caller's source address and user agent one this principal uses for deployments?"
response:
  - "Compare with the last known-good version: aws lambda list-versions-by-function --function-name '{{ finding.function_name }}'"
  - "Roll back by publishing the known-good artifact again: aws lambda update-function-code --function-name '{{ finding.function_name }}' --s3-bucket BUCKET --s3-key KEY"
  - "Contain the caller: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
  - https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
  - https://attack.mitre.org/techniques/T1525/
tests:
  - fixture: cloudtrail/iam/lambda_same_account_changes.json
    context: contexts/iac.yaml
    expect:
      - {event_name: UpdateFunctionCode20150331v2, function_name: orders-webhook, code_source: direct upload, finding_kind: finding, principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"}
      - {function_name: payments-refunds, finding_kind: attempt}
    name: overwrite_and_denied_overwrite
  - {fixture: cloudtrail/iam/lambda_same_account_changes.json, expect: 3, name: pipeline_unlisted_without_context}
  - {fixture: cloudtrail/iam/lambda_layers.json, context: contexts/iac.yaml, expect: [{function_name: image-resizer, code_source: image}, {function_name: thumbnailer}, {function_name: ocr-worker}], name: human_and_jenkins_deploys}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0, name: terraform_apply}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{% macro function_name() -%}
regexp_replace(coalesce(json_extract_scalar(requestparameters, '$.functionName'), '?'),
               '^arn:aws[a-z-]*:lambda:[^:]+:[0-9]{12}:function:', '')
{%- endmacro %}
{#- Where the new code came from: a container image, an S3 object, or the request itself. -#}
{% macro code_source() -%}
CASE WHEN coalesce(json_extract_scalar(requestparameters, '$.imageUri'),
                   json_extract_scalar(requestparameters, '$.code.imageUri')) IS NOT NULL THEN 'image'
     WHEN json_extract_scalar(requestparameters, '$.s3Bucket') IS NOT NULL
       THEN concat('s3://', json_extract_scalar(requestparameters, '$.s3Bucket'), '/',
                   coalesce(json_extract_scalar(requestparameters, '$.s3Key'), ''))
     ELSE 'direct upload' END
{%- endmacro %}
{% macro replacement_evidence() -%}
concat('code of function ', {{ function_name() }}, ' replaced (', {{ code_source() }}, ')')
{%- endmacro %}
SELECT
  {{ findings.finding_columns(replacement_evidence()) }},
  {{ function_name() }} AS function_name,
  {{ code_source() }} AS code_source
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'lambda.amazonaws.com'
  AND eventname LIKE 'UpdateFunctionCode%'
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
