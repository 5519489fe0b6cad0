{#-
id: ssm_parameter_decrypt_burst
title: Many SSM parameters read with decryption by one principal
attack: [T1555.006]
confidence: medium
severity: high
description: >
  One principal read at least `min_parameters` distinct Parameter Store parameters with
  withDecryption=true (GetParameter, GetParameters, GetParametersByPath) within one
  `window_minutes` bucket. SecureString parameters hold passwords and tokens; dumping them after
  DescribeParameters is a standard post-compromise step, while applications read the same few
  parameters at start-up. Medium confidence: deployment tooling can read many parameters; high
  severity: decrypted credentials leave the account.
tuning: |
  `min_parameters` (default 10) and `window_minutes` (default 15, fixed buckets). IaC roles under
  `automation` and AWS services are excluded; service accounts are not (a stolen application
  credential is the main case), so raise `min_parameters` where applications legitimately read
  many. Reads without decryption never count. A GetParametersByPath call counts as one item per
  path (its results are not logged). Parameter ARNs are reduced to names and version or label
  suffixes (name:3) dropped before counting. Only successful calls count.
corroborate:
  - "did the principal call DescribeParameters or GetParametersByPath on / just before?"
  - "is this principal a normal Parameter Store reader, from this address?"
  - "are the decrypted credentials used soon after from a new place?"
response:
  - "Rotate each credential read ({{ finding.parameters }}) at its source, then store the new value: aws ssm put-parameter --name PARAMETER_NAME --type SecureString --overwrite --value NEW_VALUE"
  - "Contain the reader {{ finding.principal_arn }}: deactivate its access key {{ finding.access_key_id }}, or revoke the role's sessions with an aws:TokenIssueTime deny policy"
references:
  - https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-cloudtrail-logs.html
  - https://attack.mitre.org/techniques/T1555/006/
parameters:
  min_parameters: 10
  window_minutes: 15
attempts_opt_out: "a burst threshold over successful calls; failed calls are access_denied_burst's subject"
tests:
  - fixture: cloudtrail/iam/ssm_burst.json
    context: contexts/iam_default.yaml
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/backup-admin", distinct_parameters: 21, event_count: 4}]
  - {fixture: cloudtrail/iam/ssm_burst.json, context: contexts/iam_default.yaml, params: {min_parameters: 22}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
{#- The distinct parameters of one group (an aggregate over `reads`). -#}
{% macro distinct_items() -%}
array_sort(array_distinct(flatten(array_agg(items))))
{%- endmacro %}
{% macro burst_evidence() -%}
concat(CAST(cardinality({{ distinct_items() }}) AS VARCHAR),
       ' distinct SSM parameters read with decryption in ', CAST(count(*) AS VARCHAR), ' calls')
{%- endmacro %}
WITH requested AS (
  SELECT eventtime, eventname, eventid, useridentity, sourceipaddress, awsregion, recipientaccountid, useragent,
         -- The names (or ARNs, or the path) the call asks for.
         CASE eventname WHEN 'GetParameters' THEN {{ iam.string_list('requestparameters', '$.names') }}
                        WHEN 'GetParametersByPath'
                          THEN ARRAY[concat('path:', json_extract_scalar(requestparameters, '$.path'))]
                        ELSE ARRAY[json_extract_scalar(requestparameters, '$.name')] END AS names
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ssm.amazonaws.com'
    AND eventname IN ('GetParameter', 'GetParameters', 'GetParametersByPath')
    AND errorcode IS NULL
    AND json_extract_scalar(requestparameters, '$.withDecryption') = 'true'
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
),
reads AS (
  -- Parameter names without ARN prefix or version/label suffix (name:3).
  SELECT eventtime, eventname, eventid, useridentity, sourceipaddress, awsregion, recipientaccountid, useragent,
         filter(transform(names, n -> CASE WHEN starts_with(n, 'arn:')
                                           THEN split_part(substr(n, strpos(n, ':parameter') + 10), ':', 1)
                                           ELSE split_part(n, ':', 1) END),
                n -> n IS NOT NULL AND n <> '') AS items
  FROM requested
)
SELECT
  {{ findings.aggregate_finding_columns(burst_evidence()) }},
  cardinality({{ distinct_items() }}) AS distinct_parameters,
  array_join({{ distinct_items() }}, ', ') AS parameters
FROM reads
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING cardinality({{ distinct_items() }}) >= {{ param('min_parameters') }}
