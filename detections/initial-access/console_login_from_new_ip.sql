{#-
id: console_login_from_new_ip
title: Console sign-in from an address new for the principal
attack: [T1078.004]
confidence: low
severity: medium
description: >
  A principal signed in to the console from a source address it did not sign in from in the
  previous `lookback_days` days, although it did sign in during that time (a principal with no
  earlier sign-in has no baseline and never fires). The baseline is computed in SQL from each
  sign-in's own time, so hunting old logs works as well as hunting today's. Stolen passwords and
  session cookies are used from the attacker's infrastructure, which is new for the victim. Low
  confidence: travel, new home routers and VPN changes are new addresses too; medium severity: a
  console session with the principal's rights.
tuning: |
  Sign-ins from `trusted_cidrs` (office, VPN egress) never fire. `lookback_days` (default 30)
  sets the baseline length: longer means fewer repeats after travel but a longer memory of
  addresses an attacker once used. `min_prior_logins` (default 1) is the baseline size a
  principal needs before its new addresses count. Only successful sign-ins count, both in the
  baseline and as findings. Addresses are compared exactly (no subnet or ASN grouping).
corroborate:
  - "was MFA used (console_login_without_mfa), and were there failed sign-ins just before?"
  - "does the address appear elsewhere in CloudTrail for other principals, or in threat intelligence (Tor exits, VPS ranges)?"
  - "what did the session do next (IAM writes, secrets reads, CloudTrail or GuardDuty changes)?"
response:
  - "Ask the owner whether the sign-in at {{ finding.event_time }} from {{ finding.source_ip }} was theirs"
  - "If not, revoke the session (aws:TokenIssueTime deny policy) and reset the password and MFA: for an IAM user with aws iam update-login-profile, for an Identity Center user in the identity provider"
references:
  - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
  - https://attack.mitre.org/techniques/T1078/004/
parameters:
  lookback_days: 30
  min_prior_logins: 1
attempts_opt_out: "a failed ConsoleLogin carries no errorcode; failures are console_login_failure_burst's subject"
tests:
  - fixture: cloudtrail/iam/console_login_history.json
    context: contexts/iam_default.yaml
    expect:
      - {principal_arn: "arn:aws:iam::111122223333:user/alice", source_ip: 185.220.101.47, event_time: "2024-03-13T14:02:05Z", prior_logins: 4}
      - {principal_arn: "arn:aws:iam::111122223333:user/erin", source_ip: 198.51.100.50, event_time: "2024-03-12T18:02:37Z", prior_logins: 1}
  - fixture: cloudtrail/iam/console_login_history.json
    expect: [{source_ip: 185.220.101.47}, {source_ip: 198.51.100.50}, {source_ip: 203.0.113.99, principal_arn: "arn:aws:iam::111122223333:user/carol"}]
    name: office_address_without_context
  - fixture: cloudtrail/iam/console_login_history.json
    context: contexts/iam_default.yaml
    params: {lookback_days: 60}
    expect:
      - {source_ip: 185.220.101.47}
      - {principal_arn: "arn:aws:iam::111122223333:user/erin", source_ip: 192.0.2.10, event_time: "2024-03-10T16:45:51Z"}
    name: longer_baseline_remembers_erin_home
  - fixture: cloudtrail/iam/console_login_history.json
    context: contexts/iam_default.yaml
    params: {min_prior_logins: 2}
    expect: [{source_ip: 185.220.101.47}]
    name: erin_baseline_too_small
  - {fixture: cloudtrail/iam/console_logins.json, context: contexts/iam_default.yaml, expect: 0, name: no_baseline_yet}
  - {fixture: cloudtrail/iam/console_login_failures.json, context: contexts/iam_default.yaml, expect: 0, name: failed_sign_ins_are_no_baseline}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- The evidence: the new address, the principal's earlier sign-ins, and whether MFA was used. -#}
{% macro login_evidence() -%}
concat('console sign-in from ', coalesce(sourceipaddress, '?'), ', an address not seen for this principal in ',
       CAST(prior_logins AS VARCHAR), ' sign-in(s) from ', CAST(prior_ips AS VARCHAR),
       ' other address(es) in the previous ', CAST({{ param('lookback_days') }} AS VARCHAR), ' days (MFA used: ',
       coalesce(json_extract_scalar(additionaleventdata, '$.MFAUsed'), 'unknown'), ')')
{%- endmacro %}
WITH logins AS (
  SELECT
    eventid AS login_id,
    {{ findings.principal_key() }} AS login_principal,
    sourceipaddress AS login_ip,
    {{ trail.event_epoch() }} AS login_epoch
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
    AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
),
earlier AS (
  -- Each login's earlier sign-ins by the same principal: in the window (within the look-back of it),
  -- then in the look-back days before the window (from the history, per address with its count).
  SELECT cur.login_id, prev.login_ip AS ip, 1 AS logins
  FROM logins AS cur
  JOIN logins AS prev
    ON prev.login_principal = cur.login_principal
    AND prev.login_epoch < cur.login_epoch
    AND prev.login_epoch >= cur.login_epoch - {{ param('lookback_days') }} * 86400
  UNION ALL
  SELECT cur.login_id, seen.value AS ip, seen.events AS logins
  FROM logins AS cur
  JOIN {{ history.principal_history(param('lookback_days').value, ['console_login_ip']) }} AS seen
    ON seen.principal = cur.login_principal
),
history AS (
  SELECT
    earlier.login_id AS history_login_id,
    sum(earlier.logins) AS prior_logins,
    count(DISTINCT earlier.ip) AS prior_ips,
    sum(CASE WHEN earlier.ip = logins.login_ip THEN earlier.logins ELSE 0 END) AS prior_logins_same_ip
  FROM earlier
  JOIN logins ON logins.login_id = earlier.login_id
  GROUP BY earlier.login_id
)
SELECT
  {{ findings.finding_columns(login_evidence(), attempts=false) }},
  prior_logins,
  prior_ips
FROM {{ cloudtrail }}
JOIN history ON eventid = history_login_id
WHERE {{ trail.in_window() }}
  AND eventsource = 'signin.amazonaws.com'
  AND eventname = 'ConsoleLogin'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  AND prior_logins >= {{ param('min_prior_logins') }}
  AND prior_logins_same_ip = 0
  AND NOT {{ context.trusted_network() }}
