{#-
id: bedrock_invocation_by_new_identity
title: Bedrock model invoked by an identity with no Bedrock use in the baseline
attack: [T1496.004]
confidence: medium
severity: high
description: >
  An identity (the role behind a session, or the user) called InvokeModel,
  InvokeModelWithResponseStream, Converse or ConverseStream in the hunt window and never in the
  `lookback_days` before, while the logs show at least `min_history_days` of history before its
  first call. LLMjacking with stolen keys starts exactly like this, often with deliberately invalid
  requests (ValidationException means the model is reachable, AccessDeniedException that it is
  not). Confidence is medium because a new application or team also starts somewhere; severity is
  high because model invocation is billed per token at the victim's cost.
tuning: |
  Automation and AWS services are excluded; service accounts are not, since stolen application keys
  are a common source. Identities are compared by role (sessionIssuer ARN) so new sessions of a
  known role are not new. `lookback_days` sets the baseline (it widens the scan, and so the Athena
  cost, of this detection), and `min_history_days` stops everything looking new when the logs only
  start at the beginning of the window. Failed calls count: probing errors are part of the pattern,
  and the evidence lists them.
corroborate:
  - bedrock_model_access_enabled, GetModelInvocationLoggingConfiguration or ListFoundationModels by the same principal
  - the source IP and user agent compared with the application that normally calls Bedrock
  - AWS/Bedrock CloudWatch metrics (Invocations, InputTokenCount) jumping after the first call
response:
  - "Contain the caller: deactivate key {{ finding.access_key_id }} or revoke the role's sessions"
  - "Gauge the spend: aws cloudwatch get-metric-statistics --namespace AWS/Bedrock --metric-name InputTokenCount --start-time {{ finding.first_seen }} --end-time <now> --period 3600 --statistics Sum --region {{ finding.aws_region }}"
  - "Turn on model invocation logging to see prompts if abuse continues: aws bedrock put-model-invocation-logging-configuration --region {{ finding.aws_region }}"
references:
  - https://docs.aws.amazon.com/bedrock/latest/userguide/logging-using-cloudtrail.html
  - https://sysdig.com/blog/llmjacking-stolen-cloud-credentials-used-in-new-ai-attack/
  - https://attack.mitre.org/techniques/T1496/004/
parameters:
  lookback_days: 30
  min_history_days: 7
attempts_opt_out: "failed calls are counted in the same finding (failed_calls)"
tests:
  - fixture: cloudtrail/exfil/bedrock_invocations.json
    context: contexts/exfil_org.yaml
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", event_count: 5, failed_calls: 2, first_seen: "2024-03-10T22:00:00Z", event_name: InvokeModel}]
    name: stolen_key_probes_then_invokes
  - {fixture: cloudtrail/exfil/bedrock_invocations.json, expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}, {principal_arn: "arn:aws:sts::111122223333:assumed-role/github-actions-deploy/GitHubActions", event_name: Converse}], name: ci_role_new_without_context}
  - {fixture: cloudtrail/exfil/bedrock_invocations.json, context: contexts/exfil_org.yaml, params: {min_history_days: 10}, expect: 0, name: history_too_short_to_judge}
  - {fixture: cloudtrail/exfil/bedrock_access.json, context: contexts/exfil_org.yaml, expect: 0, name: model_access_without_invocation}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- Who invoked: the role behind a session, else the caller itself. -#}
{% macro identity() -%}
coalesce(useridentity.sessioncontext.sessionissuer.arn, useridentity.arn, useridentity.principalid)
{%- endmacro %}
{#- The evidence of one newcomer's invocations (an aggregate over them). -#}
{% macro newcomer_evidence() -%}
concat('first Bedrock use by ', min(newcomers.identity), ': ', CAST(count(*) AS varchar), ' call(s), ',
       CAST(sum(CASE WHEN errorcode IS NULL THEN 0 ELSE 1 END) AS varchar), ' failed (',
       coalesce(nullif({{ exfil.sample_list("array_agg(DISTINCT errorcode)") }}, ''), 'none'), '), models ',
       {{ exfil.sample_list("array_agg(DISTINCT json_extract_scalar(requestparameters, '$.modelId'))") }},
       '; logs since ', min(history.history_start))
{%- endmacro %}
WITH seen AS (
  -- The days before the window: who invoked a model then, and when those logs start.
  SELECT principal, dimension, value, first_seen
  FROM {{ history.principal_history(param('lookback_days').value, ['api', 'caller_service']) }} AS history
),
invocations AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
    errorcode, requestparameters, {{ identity() }} AS identity
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'bedrock.amazonaws.com'
    AND eventname IN ('InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream')
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
),
history AS (
  SELECT min(history_start) AS history_start
  FROM (
    SELECT min(eventtime) AS history_start
    FROM {{ cloudtrail }}
    WHERE {{ trail.in_window() }}
      AND eventsource LIKE '%.amazonaws.com'
    UNION ALL
    SELECT min(first_seen) AS history_start FROM seen WHERE dimension = 'caller_service'
  ) AS starts
),
invoked_before AS (
  SELECT DISTINCT principal AS identity
  FROM seen
  WHERE dimension = 'api'
    AND value IN ('bedrock.amazonaws.com:InvokeModel', 'bedrock.amazonaws.com:InvokeModelWithResponseStream',
                  'bedrock.amazonaws.com:Converse', 'bedrock.amazonaws.com:ConverseStream')
),
newcomers AS (
  SELECT invocations.identity, min(invocations.eventtime) AS first_call
  FROM invocations
  LEFT JOIN invoked_before ON invoked_before.identity = invocations.identity
  WHERE invoked_before.identity IS NULL
  GROUP BY invocations.identity
)
SELECT
  {{ findings.aggregate_finding_columns(newcomer_evidence()) }},
  sum(CASE WHEN errorcode IS NULL THEN 0 ELSE 1 END) AS failed_calls
FROM invocations
JOIN newcomers ON invocations.identity = newcomers.identity
CROSS JOIN history
WHERE {{ trail.event_epoch('newcomers.first_call') }} - {{ trail.event_epoch('history.history_start') }}
      >= {{ param('min_history_days') }} * 86400
GROUP BY {{ findings.principal_key() }}
