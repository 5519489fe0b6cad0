{#-
id: lambda_layer_attached_outside_automation
title: Lambda layer of a known account attached to a function outside automation
attack: [T1546, T1525]
confidence: medium
severity: high
description: >
  UpdateFunctionConfiguration set layers on an existing function, every layer from the function's
  own account or a known one, and the caller is not automation or an AWS service. A layer (or a
  Lambda extension packaged as one) runs inside every invocation, sees the event and the role's
  credentials, and survives code deployments that do not touch layers; attackers publish the layer
  in the victim account so no foreign account appears. Layers from unknown accounts are
  lambda_code_from_outside_account's concern. Medium confidence: layer changes normally come with a
  pipeline deploy, but people attach shared layers by hand too; high severity: attacker code runs
  with the function's role.
tuning: |
  List deployment pipelines under `automation` (with their user agent or network when the same
  principal is also used by people). The request names the full layer list, so a function that
  already had the layer matches as well; check the previous configuration. Failed calls (errorcode
  set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - "who published the layer version, and when (PublishLayerVersion by the same principal shortly before)?"
  - "what does the layer contain (aws lambda get-layer-version-by-arn --arn <layer>): an extensions/ folder runs as a separate process"
  - "did the same principal change the function's code, role or resource policy too?"
response:
  - "Inspect the function's layers: aws lambda get-function-configuration --function-name '{{ finding.function_name }}'"
  - "Set the known-good layer list (repeat the value for each of your layers): aws lambda update-function-configuration --function-name '{{ finding.function_name }}' --layers KNOWN_GOOD_LAYER_ARN"
  - "Contain the caller: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
  - https://docs.aws.amazon.com/lambda/latest/dg/lambda-extensions.html
  - https://attack.mitre.org/techniques/T1546/
tests:
  - fixture: cloudtrail/iam/lambda_same_account_changes.json
    context: contexts/iac.yaml
    expect: [{event_name: UpdateFunctionConfiguration20150331v2, function_name: orders-webhook, layers: "arn:aws:lambda:us-east-1:111122223333:layer:shared-utils:7", principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"}]
    name: own_account_layer_by_application_key
  - {fixture: cloudtrail/iam/lambda_same_account_changes.json, expect: 2, name: pipeline_unlisted_without_context}
  - {fixture: cloudtrail/iam/lambda_layers.json, context: contexts/iac.yaml, expect: 0, name: outside_layer_and_timeout_change}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0, name: terraform_apply}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
WITH layer_changes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         filter({{ iam.string_list('requestparameters', '$.layers') }}, l -> l IS NOT NULL) AS layers,
         regexp_replace(coalesce(json_extract_scalar(requestparameters, '$.functionName'), '?'),
                        '^arn:aws[a-z-]*:lambda:[^:]+:[0-9]{12}:function:', '') AS function_name
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'lambda.amazonaws.com'
    AND eventname LIKE 'UpdateFunctionConfiguration%'
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
)
SELECT
  {{ findings.finding_columns("concat('layer(s) ', array_join(layers, ', '), ' set on function ', function_name)") }},
  function_name,
  array_join(layers, ', ') AS layers
FROM layer_changes
WHERE cardinality(layers) > 0
  -- Layers of other accounts are lambda_code_from_outside_account's: here every layer is the event's
  -- own account's or a known one.
  AND cardinality(filter(layers, l -> NOT (split_part(l, ':', 5) = coalesce(recipientaccountid, '')
                                           OR {{ context.trusted_account("split_part(l, ':', 5)") }}))) = 0
