{#-
id: lambda_code_from_outside_account
title: Lambda function given a layer or image from another account
attack: [T1546, T1525]
confidence: medium
severity: high
description: >
  A function was created or updated so that it runs code owned by an account that is neither this
  one nor known: a layer ARN from another account (CreateFunction20150331,
  UpdateFunctionConfiguration20150331v2) or a container image from another account's ECR
  registry (CreateFunction20150331, UpdateFunctionCode20150331v2). A malicious layer or Lambda
  extension runs inside every invocation, sees the event and the role's credentials, and survives
  code deployments that do not touch layers. Medium confidence: vendor layers (monitoring,
  security agents) are published from vendor accounts until those are listed; high severity: code
  the attacker controls runs with the function's role.
tuning: |
  List vendor and AWS-published layer accounts you use under `trusted_accounts` (and your own
  accounts under `account_ids`); the function's own account is always known. Automation is not
  excluded (the origin of the code is the point); failed calls are reported as attempts, one confidence level lower. Zip code uploaded from an S3
  bucket cannot be attributed to an account and is out of scope.
corroborate:
  - "what does the layer or image contain (aws lambda get-layer-version-by-arn --arn <layer>; docker pull the image in a sandbox)?"
  - "does the function's traffic or role activity change after the update (new destinations, new API calls by the execution role)?"
  - "did the same principal also open the function to outside callers (lambda_permission_granted_to_outside_principal)?"
response:
  - "Inspect the function: aws lambda get-function-configuration --function-name '{{ finding.function_name }}'"
  - "Set the known-good layer list (repeat the flag value for each of your layers): aws lambda update-function-configuration --function-name '{{ finding.function_name }}' --layers KNOWN_GOOD_LAYER_ARN"
  - "Or roll the code back to an image from your own registry: aws lambda update-function-code --function-name '{{ finding.function_name }}' --image-uri KNOWN_GOOD_IMAGE_URI"
references:
  - https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
  - https://docs.aws.amazon.com/lambda/latest/dg/lambda-extensions.html
  - https://attack.mitre.org/techniques/T1546/
tests:
  - fixture: cloudtrail/iam/lambda_layers.json
    expect:
      - {event_name: UpdateFunctionConfiguration20150331v2, function_name: payments-webhook, outside_accounts: "999988887777"}
      - {event_name: CreateFunction20150331, function_name: metrics-shipper, outside_accounts: "464622532012"}
      - {event_name: UpdateFunctionCode20150331v2, function_name: image-resizer, outside_accounts: "999988887777"}
  - fixture: cloudtrail/iam/lambda_layers.json
    context: contexts/iam_vendor_trusted.yaml
    expect: [{function_name: payments-webhook}, {function_name: image-resizer}]
    name: vendor_layer_trusted
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, expect: 0, name: own_account_layer}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: UpdateFunctionConfiguration20150331v2, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
WITH code_changes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.functionName') AS function_name,
         -- The accounts of the layers (arn:aws:lambda:<region>:<account>:layer:...).
         transform(filter({{ iam.string_list('requestparameters', '$.layers') }},
                          l -> regexp_like(l, '^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:')),
                   l -> split_part(l, ':', 5)) AS layer_accounts,
         coalesce(json_extract_scalar(requestparameters, '$.imageUri'),
                  json_extract_scalar(requestparameters, '$.code.imageUri')) AS image_uri
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'lambda.amazonaws.com'
    AND eventname IN ('CreateFunction20150331', 'UpdateFunctionConfiguration20150331v2', 'UpdateFunctionCode20150331v2')
),
code_sources AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode, function_name, image_uri,
         -- The accounts of the layers and of the ECR image (<account>.dkr.ecr.<region>...) that are not yours.
         array_sort(array_distinct(filter(
           flatten(ARRAY[layer_accounts,
                         ARRAY[CASE WHEN regexp_like(image_uri, '^[0-9]{12}\.dkr\.ecr\.')
                                    THEN split_part(image_uri, '.', 1) END]]),
           acct -> acct IS NOT NULL AND acct <> coalesce(recipientaccountid, '')
                   AND NOT {{ context.trusted_account('acct') }}))) AS outside
  FROM code_changes
)
SELECT
  {{ findings.finding_columns("concat(eventname, ' on function ', coalesce(function_name, '?'),
      ' runs code from account(s) ', array_join(outside, ', '),
      CASE WHEN image_uri IS NOT NULL THEN concat(' (image ', image_uri, ')') ELSE '' END)") }},
  function_name,
  array_join(outside, ', ') AS outside_accounts
FROM code_sources
WHERE cardinality(outside) > 0
