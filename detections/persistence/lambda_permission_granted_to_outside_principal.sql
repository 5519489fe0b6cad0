{#-
id: lambda_permission_granted_to_outside_principal
title: Lambda function made invocable by another account or by everyone
attack: [T1546]
confidence: medium
severity: high
description: >
  A Lambda resource-based policy statement was added (AddPermission20150331 or
  AddPermission20150331v2) whose principal is "*", an account id or ARN of an account that is
  neither this one nor known, or an AWS service acting for such an account (sourceAccount). A
  function callable from outside is a backdoor that runs with the function's role whenever the
  attacker invokes it (a public function URL is the "*" case). Medium confidence: cross-account
  event wiring exists but its accounts are usually known; high severity: code execution with the
  function role's permissions on demand.
tuning: |
  List partner accounts under `trusted_accounts` (and your own under `account_ids`). Service
  principals without a sourceAccount, or with a known one, never fire. Conditions such as
  principalOrgID are shown in the evidence but not evaluated: "*" limited to an organisation
  still fires. Automation is not excluded (an outside principal is the point); failed calls are reported as attempts, one confidence level lower.
corroborate:
  - "is the function invoked from outside afterwards (CloudTrail data events for Invoke, or the function's logs)?"
  - "what can the function's execution role do (aws lambda get-function-configuration, then the role's policies)?"
  - "did the same principal also change the function's code or layers (lambda_code_from_outside_account)?"
response:
  - "Remove the statement: aws lambda remove-permission --function-name '{{ finding.function_name }}' --statement-id '{{ finding.statement_id }}'"
  - "Review the whole resource policy: aws lambda get-policy --function-name '{{ finding.function_name }}'"
  - "If a function URL exists, check its auth type: aws lambda get-function-url-config --function-name '{{ finding.function_name }}'"
references:
  - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
  - https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
  - https://attack.mitre.org/techniques/T1546/
tests:
  - fixture: cloudtrail/iam/lambda_add_permission.json
    context: contexts/iam_default.yaml
    expect:
      - {function_name: payments-webhook, statement_id: public-invoke, granted_to: "*", outside_account: "*"}
      - {function_name: nightly-report, granted_to: "999988887777", outside_account: "999988887777"}
      - {function_name: invoice-export, granted_to: s3.amazonaws.com, outside_account: "999988887777"}
  - {fixture: cloudtrail/iam/lambda_add_permission.json, expect: 4, name: partner_unknown_without_context}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0, name: own_bucket_trigger}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: AddPermission20150331v2, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
WITH permissions AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.functionName') AS function_name,
         json_extract_scalar(requestparameters, '$.statementId') AS statement_id,
         json_extract_scalar(requestparameters, '$.principal') AS granted_to,
         json_extract_scalar(requestparameters, '$.sourceAccount') AS source_account,
         json_extract_scalar(requestparameters, '$.principalOrgID') AS principal_org_id,
         json_extract_scalar(requestparameters, '$.action') AS permission_action
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'lambda.amazonaws.com'
    AND eventname IN ('AddPermission20150331', 'AddPermission20150331v2')
),
grantees AS (
  SELECT permissions.*,
         -- A service principal acts for its source account; an AWS principal names its own.
         CASE WHEN regexp_like(granted_to, '\.amazonaws\.com(\.cn)?$') THEN source_account
              ELSE {{ iam.principal_account('granted_to') }} END AS outside_account
  FROM permissions
)
SELECT
  {{ findings.finding_columns("concat(eventname, ' on function ', coalesce(function_name, '?'),
      ' lets ', coalesce(granted_to, '?'),
      CASE WHEN source_account IS NOT NULL THEN concat(' (source account ', source_account, ')') ELSE '' END,
      CASE WHEN principal_org_id IS NOT NULL THEN concat(' (organisation ', principal_org_id, ')') ELSE '' END,
      ' call ', coalesce(permission_action, '?'))") }},
  function_name,
  statement_id,
  granted_to,
  outside_account
FROM grantees
WHERE outside_account IS NOT NULL
  AND outside_account <> coalesce(recipientaccountid, '')
  AND NOT {{ context.trusted_account('outside_account') }}
