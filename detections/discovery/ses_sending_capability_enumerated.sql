{#-
id: ses_sending_capability_enumerated
title: SES sending quota, status or identities enumerated by an unexpected principal
attack: [T1526]
confidence: low
severity: medium
description: >
  GetSendQuota, GetAccountSendingEnabled, ListIdentities, GetIdentityVerificationAttributes,
  ListEmailIdentities or GetAccount (SES v2) by a principal that is not automation, a service
  account or an AWS service. Crews that sell phishing and spam capacity check a stolen key first
  for SES: is sending enabled, how large is the quota, which domains are verified. One row per
  principal and hour. Low confidence: administrators look at SES settings too; a lead that
  corroboration lifts.
tuning: |
  Mail-sending applications belong under `service_accounts` with their network; their calls are
  then excluded. Failed calls count in the same finding (failed_calls): a denied quota check is the
  same probe.
corroborate:
  - "GetCallerIdentity and discovery across other services from the same key shortly before?"
  - "UpdateAccountSendingEnabled, VerifyEmailIdentity or a production access request afterwards (ses_sending_enabled, ses_identity_verification_burst)?"
  - "is the key used from an address this principal never used?"
response:
  - "Check what was sent: aws sesv2 get-account and the SES sending statistics for the period"
  - "Contain the caller if it is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/ses/latest/APIReference/API_GetSendQuota.html
  - https://attack.mitre.org/techniques/T1526/
attempts_opt_out: "reads grouped per principal and hour: failed probes are counted in the same finding (failed_calls)"
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{principal_arn: "arn:aws:iam::111122223333:user/svc-reporting", distinct_apis: 3, failed_calls: 0}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 0, name: application_sends_mail}
  - {fixture: cloudtrail/exfil/ses_abuse.json, context: contexts/exfil_org.yaml, expect: 1, name: ses_abuse_story}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{% macro enumeration_evidence() -%}
concat('SES enumerated: ', {{ exfil.sample_list('array_agg(DISTINCT eventname)') }})
{%- endmacro %}
SELECT
  {{ findings.aggregate_finding_columns(enumeration_evidence()) }},
  count(DISTINCT eventname) AS distinct_apis,
  sum(CASE WHEN errorcode IS NULL THEN 0 ELSE 1 END) AS failed_calls
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ses.amazonaws.com'
  AND eventname IN ('GetSendQuota', 'GetAccountSendingEnabled', 'ListIdentities', 'GetIdentityVerificationAttributes',
                    'ListEmailIdentities', 'GetAccount')
  AND NOT {{ context.is_expected_principal() }}
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(60) }}
