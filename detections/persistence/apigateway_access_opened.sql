{#-
id: apigateway_access_opened
title: API Gateway method or route opened to unauthenticated callers
attack: [T1133]
confidence: low
severity: medium
description: >
  PutMethod, UpdateMethod (REST APIs) or CreateRoute, UpdateRoute (HTTP and WebSocket APIs) set
  authorization to NONE, or UpdateRestApi changed the API's resource policy, by a principal that is
  not automation. Removing authorization turns an internal endpoint into a public entry point into
  the backend (a Lambda function, a VPC link). Low confidence: many APIs are public by design; the
  API id and method in the evidence show what changed.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error
  in the evidence.
corroborate:
  - "is the API internet-facing and what does the method reach (integration)?"
  - "requests to the method from new addresses in the API's access logs afterwards?"
response:
  - "Look at the method: aws apigateway get-method --rest-api-id API_ID --resource-id RESOURCE_ID --http-method METHOD"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateMethod.html
  - https://attack.mitre.org/techniques/T1133/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: UpdateMethod, api_id: a1b2c3d4e5}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{% macro request() -%}
coalesce(requestparameters, '')
{%- endmacro %}
SELECT
  {{ findings.finding_columns("concat(eventname, ' on API ',
      coalesce(json_extract_scalar(requestparameters, '$.restApiId'), json_extract_scalar(requestparameters, '$.apiId'),
      '?'), CASE WHEN eventname = 'UpdateRestApi' THEN ': resource policy changed'
      ELSE ': authorization NONE' END)") }},
  coalesce(json_extract_scalar(requestparameters, '$.restApiId'),
      json_extract_scalar(requestparameters, '$.apiId')) AS api_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'apigateway.amazonaws.com'
  AND ((eventname IN ('PutMethod', 'UpdateMethod', 'CreateRoute', 'UpdateRoute')
        AND (upper(coalesce(json_extract_scalar(requestparameters, '$.authorizationType'), '')) = 'NONE'
             OR regexp_like({{ request() }}, '"path"\s*:\s*"/authorizationType"\s*,\s*"value"\s*:\s*"NONE"')))
       OR (eventname = 'UpdateRestApi' AND regexp_like({{ request() }}, '"path"\s*:\s*"/policy')))
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
