{#-
id: ses_identity_verification_burst
title: Many SES sender identities verified by one principal in a short window
attack: [T1496.004]
confidence: medium
severity: medium
description: >
  One principal started verification of at least `threshold` distinct SES identities (email
  addresses or domains, through VerifyEmailIdentity, VerifyEmailAddress, VerifyDomainIdentity or
  CreateEmailIdentity) within `window_minutes`. Abusers of stolen SES access register a batch of
  sender addresses and look-alike domains before a spam or phishing run; normal setups verify one or
  two. Confidence is medium because a migration or new product can add many at once; severity is
  medium because verification alone sends nothing.
tuning: |
  Automation, service accounts and AWS services are excluded. Failed calls (errorcode set, e.g. an
  identity that already exists) are excluded. Tune `threshold` and `window_minutes` in
  `parameters.ses_identity_verification_burst`.
corroborate:
  - ses_sending_enabled or PutAccountDetails by the same principal
  - domains in the evidence that imitate brands or your own domain (typosquats)
  - GetSendQuota and SendEmail/SendRawEmail volume from the same principal afterwards
response:
  - "Delete the identities that are not yours: aws sesv2 delete-email-identity --email-identity <identity> --region {{ finding.aws_region }}"
  - "Pause sending while investigating: aws ses update-account-sending-enabled --no-enabled --region {{ finding.aws_region }}"
  - "Contain the caller: deactivate key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html
  - https://attack.mitre.org/techniques/T1496/004/
parameters:
  threshold: 5
  window_minutes: 60
attempts_opt_out: "a burst threshold over successful calls; failed calls are access_denied_burst's subject"
tests:
  - {fixture: cloudtrail/exfil/ses_abuse.json, context: contexts/exfil_org.yaml, expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", identities: 8, event_count: 8}], name: stolen_key_registers_senders}
  - {fixture: cloudtrail/exfil/ses_abuse.json, params: {threshold: 10}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/exfil/human_admin_day.json, expect: 0, name: admin_verifies_two}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, params: {threshold: 1}, expect: 0, name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{#- The evidence of one principal's burst (an aggregate over `verifications`). -#}
{% macro burst_evidence() -%}
concat(CAST(count(DISTINCT identity) AS varchar), ' SES identities submitted for verification: ',
       {{ exfil.sample_list('array_agg(DISTINCT identity)', 10) }})
{%- endmacro %}
WITH verifications AS (
  SELECT eventtime, eventname, eventid, useridentity, sourceipaddress, awsregion, recipientaccountid, useragent,
         coalesce(json_extract_scalar(requestparameters, '$.emailAddress'),
                  json_extract_scalar(requestparameters, '$.domain'),
                  json_extract_scalar(requestparameters, '$.emailIdentity')) AS identity
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ses.amazonaws.com'
    AND eventname IN ('VerifyEmailIdentity', 'VerifyEmailAddress', 'VerifyDomainIdentity', 'CreateEmailIdentity')
    AND errorcode IS NULL
    AND NOT {{ context.is_expected_principal() }}
)
SELECT
  {{ findings.aggregate_finding_columns(burst_evidence()) }},
  count(DISTINCT identity) AS identities
FROM verifications
GROUP BY {{ findings.principal_key() }}, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(DISTINCT identity) >= {{ param('threshold') }}
