{#-
id: discovery_api_burst
title: Burst of many distinct List/Describe/Get APIs across services by one principal
attack: [T1580, T1526, T1087.004]
confidence: low
severity: medium
description: >
  One principal called many DIFFERENT read APIs (List*, Describe*, Get*) across several services
  within a few minutes. Enumeration tools (Pacu, ScoutSuite, enumerate-iam, cloudfox) and attackers
  testing what a stolen key can reach fan out exactly like this, while applications repeat a handful
  of calls. Inventory tools, IaC plans and console pages fan out the same way, and an engineer
  exploring an account is not rare: confidence is low, so other signals from the same principal
  have to lift it. Severity is medium because discovery precedes, but is not itself, damage.
tuning: |
  Automation, service accounts and AWS services are excluded (`automation`, `service_accounts`; a
  Terraform plan or a CSPM scanner must be listed there). Console sessions
  (sessionCredentialFromConsole = true, or when that field is absent the console's user agents:
  AWS Internal, console.*.amazonaws.com, aws-internal SDKs) are excluded by default because every
  console page fans out over many Describe calls; set `parameters.discovery_api_burst.console_sessions: include` to hunt
  stolen console sessions too. Thresholds: `threshold` distinct API names and `min_services` distinct
  services within fixed `window_minutes` buckets (a burst straddling a bucket edge is split).
  Failed calls count too: recon with a weak key is mostly AccessDenied, which is part of the signal.
  The query spans every eventsource on purpose; only management events are read.
corroborate:
  - the same principal's source IP or user agent never seen before for it (Boto3/Python from a VPS, Kali, pacu)
  - sts GetCallerIdentity as the first call of the burst
  - AccessDenied burst, GetAccountAuthorizationDetails or secret reads (GetSecretValue, GetParameter) by the same principal within the hour
  - write calls following the burst (CreateAccessKey, CreateUser, RunInstances, ModifySnapshotAttribute)
response:
  - "List everything the principal did around the burst: filter CloudTrail on principal {{ finding.principal_arn }} between {{ finding.first_seen }} and an hour after {{ finding.last_seen }}"
  - "If the key is not expected to be used from {{ finding.source_ip }}: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user>"
  - "For a role session: attach an explicit deny on aws:TokenIssueTime older than now (the console's Revoke active sessions) to the role behind {{ finding.principal_arn }}"
references:
  - https://attack.mitre.org/techniques/T1580/
  - https://attack.mitre.org/techniques/T1526/
  - https://github.com/RhinoSecurityLabs/pacu
  - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
parameters:
  threshold: 20
  min_services: 3
  window_minutes: 10
  console_sessions: exclude
attempts_opt_out: "failed calls count in the burst itself (recon with a weak key is mostly AccessDenied)"
tests:
  - fixture: cloudtrail/exfil/recon_burst.json
    expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", distinct_apis: 25, distinct_services: 14, source_ip: 185.220.101.47, event_name: GetCallerIdentity}]
    name: stolen_key_enumeration
  - {fixture: cloudtrail/exfil/recon_burst.json, context: contexts/exfil_org.yaml, expect: 1, name: attacker_not_in_context}
  - {fixture: cloudtrail/exfil/recon_burst.json, params: {threshold: 30}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/exfil/recon_burst.json, params: {window_minutes: 1}, expect: 0, name: spread_over_one_minute_buckets}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_plan_is_automation}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: [{principal_arn: "arn:aws:sts::111122223333:assumed-role/terraform-apply/tf-run-8812"}], name: terraform_plan_without_context}
  - {fixture: cloudtrail/exfil/human_admin_day.json, context: contexts/exfil_org.yaml, expect: 0, name: console_browsing_excluded}
  - {fixture: cloudtrail/exfil/human_admin_day_no_console_flag.json, context: contexts/exfil_org.yaml, expect: 0, name: console_user_agent_without_session_flag}
  - {fixture: cloudtrail/exfil/human_admin_day_no_console_flag.json, context: contexts/exfil_org.yaml, params: {console_sessions: include}, expect: 1, name: console_user_agent_included_on_request}
  - {fixture: cloudtrail/exfil/human_admin_day.json, context: contexts/exfil_org.yaml, params: {console_sessions: include}, expect: [{principal_arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_5f3c2b1a9d8e7f60/alice@example.com", distinct_apis: 23}], name: console_included_on_request}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{#- The evidence of one principal's burst (an aggregate over its read calls). -#}
{% macro burst_evidence() -%}
concat(CAST(count(DISTINCT eventname) AS varchar), ' distinct read APIs across ',
       CAST(count(DISTINCT eventsource) AS varchar), ' services (',
       {{ exfil.sample_list("array_agg(DISTINCT split_part(eventsource, '.', 1))", 8) }}, '), ',
       CAST(sum(CASE WHEN errorcode IS NULL THEN 0 ELSE 1 END) AS varchar), ' failed; e.g. ',
       {{ exfil.sample_list('array_agg(DISTINCT eventname)', 10) }})
{%- endmacro %}
SELECT
  {{ findings.aggregate_finding_columns(burst_evidence()) }},
  count(DISTINCT eventname) AS distinct_apis,
  count(DISTINCT eventsource) AS distinct_services
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND coalesce(eventcategory, 'Management') = 'Management'
  AND eventsource LIKE '%.amazonaws.com'
  AND (eventname LIKE 'List%' OR eventname LIKE 'Describe%' OR eventname LIKE 'Get%')
  AND NOT {{ context.is_expected_principal() }}
  {%- if param('console_sessions').value == 'exclude' %}
  AND NOT {{ context.is_console_call() }}
  {%- endif %}
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(DISTINCT eventname) >= {{ param('threshold') }}
  AND count(DISTINCT eventsource) >= {{ param('min_services') }}
