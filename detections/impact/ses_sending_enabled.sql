{#-
id: ses_sending_enabled
title: SES sending enabled or production access requested outside automation
attack: [T1496.004]
confidence: medium
severity: high
description: >
  A principal that is not automation re-enabled SES sending for the account
  (UpdateAccountSendingEnabled, PutAccountSendingAttributes with sending enabled) or asked to leave
  the SES sandbox (PutAccountDetails with productionAccessEnabled). Spammers and phishers with
  stolen keys turn a victim's SES into a mail cannon with its good sender reputation; lifting the
  sandbox or a sending pause is the step that makes that possible. Confidence is medium because
  teams launching email do the same once; severity is high because the account's domain
  reputation and AWS standing suffer.
tuning: |
  List the IaC roles that manage SES under `automation`. Pausing sending (enabled false) is not
  reported. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - GetSendQuota, GetAccount or ListIdentities by the same principal just before (checking limits)
  - identity verification in bulk (ses_identity_verification_burst) and new domains or look-alike sender addresses
  - a support case to raise sending limits, and SES sending metrics (Send, Bounce, Complaint) rising
response:
  - "Pause sending: aws ses update-account-sending-enabled --no-enabled --region {{ finding.aws_region }}"
  - "Review identities: aws sesv2 list-email-identities --region {{ finding.aws_region }} and delete unknown ones"
  - "Contain the caller: deactivate key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/ses/latest/APIReference/API_UpdateAccountSendingEnabled.html
  - https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutAccountDetails.html
  - https://permiso.io/blog/s/aws-ses-pionage-detecting-ses-abuse/
  - https://www.wiz.io/blog/wiz-discovers-cloud-email-abuse-campaign
  - https://attack.mitre.org/techniques/T1496/004/
tests:
  - fixture: cloudtrail/exfil/ses_abuse.json
    context: contexts/exfil_org.yaml
    expect:
      - {event_name: UpdateAccountSendingEnabled, change: sending enabled, principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}
      - {event_name: PutAccountDetails, change: production access requested}
    name: stolen_key_opens_ses
  - {fixture: cloudtrail/exfil/human_admin_day.json, expect: 0, name: admin_pauses_sending}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_manages_sending}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: [{event_name: PutAccountSendingAttributes, change: sending enabled}], name: terraform_without_context}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: UpdateAccountSendingEnabled, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
WITH sending_changes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.websiteURL') AS website_url,
         CASE WHEN json_extract_scalar(requestparameters, '$.productionAccessEnabled') = 'true'
                THEN 'production access requested'
              WHEN coalesce(json_extract_scalar(requestparameters, '$.enabled'),
                            json_extract_scalar(requestparameters, '$.sendingEnabled')) = 'true'
                THEN 'sending enabled' END AS change
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ses.amazonaws.com'
    AND eventname IN ('UpdateAccountSendingEnabled', 'PutAccountSendingAttributes', 'PutAccountDetails')
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
)
SELECT
  {{ findings.finding_columns("concat('SES ', change, ' in ', awsregion,
      coalesce(concat(' for ', website_url), ''))") }},
  change
FROM sending_changes
WHERE change IS NOT NULL
