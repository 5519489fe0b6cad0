{#-
id: secretsmanager_secret_read_burst
title: Many distinct Secrets Manager secrets read by one principal
attack: [T1555.006]
confidence: medium
severity: high
description: >
  One principal read the values of at least `min_secrets` distinct Secrets Manager secrets within
  one `window_minutes` bucket (GetSecretValue, and the secrets a BatchGetSecretValue names in its
  secretIdList), or made at least `min_filter_batches` BatchGetSecretValue calls that select
  secrets by filter: one such call returns every matching secret (up to 20 a page), and its
  per-secret GetSecretValue events are not always in the logs. Applications read the same few
  secrets again and again; an intruder lists the secrets and dumps them all. Medium confidence: a
  new service starting up or a migration script can read many secrets too; high severity: database
  passwords, API tokens and keys leave the account.
tuning: |
  `min_secrets` (default 10) and `window_minutes` (default 15, fixed buckets). IaC roles under
  `automation` (Terraform refreshing secret data sources) and AWS services are excluded; service
  accounts are not, since a stolen application credential dumping everything is the main case,
  so raise `min_secrets` for applications that legitimately read many secrets. Secret ids are
  compared by name (an ARN is reduced to its name), so the same secret read by name and by ARN
  counts once. Applications that load their configuration with a filtered BatchGetSecretValue
  should be listed under `service_accounts` with their network, or raise `min_filter_batches`.
  Only successful reads count; failed ones are an AccessDenied burst.
corroborate:
  - "did the principal call ListSecrets or BatchGetSecretValue with a catch-all filter just before?"
  - "is the source address usual for this principal, and is the principal normally a secrets reader?"
  - "are the secrets' credentials used soon after from a new place (database logins, third-party API logs)?"
response:
  - "Rotate each secret read ({{ finding.secrets }}) at its source, then: aws secretsmanager rotate-secret --secret-id SECRET_NAME"
  - "Contain the reader {{ finding.principal_arn }}: deactivate its access key {{ finding.access_key_id }}, or revoke the role's sessions with an aws:TokenIssueTime deny policy"
references:
  - https://docs.aws.amazon.com/secretsmanager/latest/userguide/monitoring-cloudtrail.html
  - https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html
  - https://attack.mitre.org/techniques/T1555/006/
parameters:
  min_secrets: 10
  min_filter_batches: 1
  window_minutes: 15
attempts_opt_out: "a burst threshold over successful calls; failed calls are access_denied_burst's subject"
tests:
  - fixture: cloudtrail/iam/secrets_burst.json
    context: contexts/iam_default.yaml
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/backup-admin", distinct_secrets: 13, batch_calls: 1, filter_batch_calls: 0, event_count: 15, source_ip: 185.220.101.47}]
  - {fixture: cloudtrail/iam/secrets_burst.json, context: contexts/iam_default.yaml, params: {min_secrets: 14}, expect: 0, name: below_threshold}
  - fixture: cloudtrail/iam/secrets_batch_filter.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", distinct_secrets: 0, filter_batch_calls: 2, event_name: BatchGetSecretValue}]
    name: filtered_batch_dump
  - {fixture: cloudtrail/iam/secrets_batch_filter.json, params: {min_filter_batches: 3}, expect: 0, name: filtered_batch_below_threshold}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0, name: terraform_refresh}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, expect: 1, name: terraform_without_context}
  - {fixture: cloudtrail/iam/benign_human_admin_day.json, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'iam.sql' as iam with context %}
{#- A secret's name from its id: an ARN loses its partition prefix and the 6-character suffix. -#}
{% macro secret_name(id) -%}
CASE WHEN starts_with({{ id }}, 'arn:') THEN regexp_replace(split_part({{ id }}, ':', 7), '-[A-Za-z0-9]{6}$', '')
     ELSE {{ id }} END
{%- endmacro %}
WITH reads AS (
  SELECT eventtime, eventname, eventid, useridentity, sourceipaddress, awsregion, recipientaccountid, useragent,
         filter(transform(CASE WHEN eventname = 'GetSecretValue'
                               THEN ARRAY[json_extract_scalar(requestparameters, '$.secretId')]
                               ELSE {{ iam.string_list('requestparameters', '$.secretIdList') }} END,
                          x -> {{ secret_name('x') }}), x -> x IS NOT NULL) AS secret_names,
         eventname = 'BatchGetSecretValue' AS is_batch,
         eventname = 'BatchGetSecretValue' AND json_extract(requestparameters, '$.filters') IS NOT NULL AS by_filter
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'secretsmanager.amazonaws.com'
    AND eventname IN ('GetSecretValue', 'BatchGetSecretValue')
    AND errorcode IS NULL
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
)
SELECT
  {{ findings.aggregate_finding_columns("concat(
      CAST(cardinality(array_distinct(flatten(array_agg(secret_names)))) AS VARCHAR), ' distinct secrets read (',
      CAST(count_if(is_batch) AS VARCHAR), ' BatchGetSecretValue calls, ',
      CAST(count_if(by_filter) AS VARCHAR), ' of them by filter)')") }},
  cardinality(array_distinct(flatten(array_agg(secret_names)))) AS distinct_secrets,
  count_if(is_batch) AS batch_calls,
  count_if(by_filter) AS filter_batch_calls,
  array_join(array_sort(array_distinct(flatten(array_agg(secret_names)))), ', ') AS secrets
FROM reads
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING cardinality(array_distinct(flatten(array_agg(secret_names)))) >= {{ param('min_secrets') }}
  OR count_if(by_filter) >= {{ param('min_filter_batches') }}
