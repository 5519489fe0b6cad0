{#-
id: lambda_function_url_public
title: Lambda function URL created or changed with AuthType NONE
attack: [T1133]
confidence: medium
severity: high
description: >
  CreateFunctionUrlConfig or UpdateFunctionUrlConfig with authType NONE by a principal that is not
  automation: the function gets a public HTTPS endpoint anyone can invoke without AWS credentials.
  Attackers use it as a backdoor into the account (a function that runs with its role on request).
  Medium confidence: public webhooks are built this way, normally through IaC; high severity:
  unauthenticated invocation of code with a role.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  URLs with authType AWS_IAM are not reported. Failed calls (errorcode set) are reported as
  attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - "what does the function's role allow, and was its code changed recently (lambda_function_code_overwritten)?"
  - "invocations from new addresses in the function's logs?"
response:
  - "Remove the URL: aws lambda delete-function-url-config --function-name '{{ finding.function_name }}'"
  - "Or require IAM: aws lambda update-function-url-config --function-name '{{ finding.function_name }}' --auth-type AWS_IAM"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
  - https://attack.mitre.org/techniques/T1133/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: CreateFunctionUrlConfig, function_name: orders-webhook}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro function_name() %}json_extract_scalar(requestparameters, '$.functionName'){% endmacro %}
{%- macro evidence() -%}
concat('public function URL (AuthType NONE) on ', coalesce({{ function_name() }}, '?'))
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ function_name() }} AS function_name
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'lambda.amazonaws.com'
  AND (eventname LIKE 'CreateFunctionUrlConfig%' OR eventname LIKE 'UpdateFunctionUrlConfig%')
  AND upper(coalesce(json_extract_scalar(requestparameters, '$.authType'), '')) = 'NONE'
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
