{#-
id: sts_assume_role_cross_account_untrusted
title: Cross-account AssumeRole with an account that is neither yours nor trusted
attack: [T1550.001, T1078.004]
confidence: medium
severity: high
description: >
  A successful sts:AssumeRole where the caller's account and the role's account differ and one of
  them is not yours or trusted: an outside account assuming one of your roles (inbound: an
  over-broad trust policy or a backdoor trust added by an attacker), or one of your principals
  assuming a role in an unknown account (outbound: stolen credentials being moved to the
  attacker's infrastructure, or a vendor nobody recorded). Confidence is medium because SaaS
  vendors assume roles from their own accounts until they are listed; severity is high because the
  session has whatever the role can do.
tuning: |
  List vendor, partner and organization accounts in `trusted_accounts` (your `account_ids` are
  always trusted); with an empty context every cross-account AssumeRole is reported. AWS services
  (userIdentity type AWSService) are excluded. Web identity and SAML federation are other
  detections' concern. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - UpdateAssumeRolePolicy or CreateRole on the role shortly before, and by whom (a freshly added trust)
  - "what the resulting session did: filter on userIdentity.arn = the assumed-role ARN in responseElements.assumedRoleUser.arn"
  - the externalId (present for vendor integrations, absent in most abuse) and the caller's source IP
response:
  - "Inspect the trust policy: aws iam get-role --role-name <name from {{ finding.role_arn }}> --query Role.AssumeRolePolicyDocument"
  - "Cut the trust: aws iam update-assume-role-policy --role-name <role> --policy-document file://trust-without-{{ finding.caller_account }}.json"
  - "Kill live sessions: in the console use Revoke active sessions on the role (adds a deny on aws:TokenIssueTime)"
  - "Outbound case: deactivate the calling key {{ finding.access_key_id }} and find where else it was used"
references:
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html#stscloudtrailexample-assumerole
  - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
  - https://attack.mitre.org/techniques/T1550/001/
tests:
  - fixture: cloudtrail/exfil/assume_role_cross_account.json
    context: contexts/exfil_org.yaml
    expect:
      - {event_name: AssumeRole, direction: inbound, caller_account: "999988887777", role_arn: "arn:aws:iam::111122223333:role/vendor-readonly", principal_arn: "AIDA6ON6E4XEGITEXAMPLE"}
      - {direction: outbound, caller_account: "111122223333", role_arn: "arn:aws:iam::999988887777:role/OrganizationAccountAccessRole", principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}
    name: attacker_account_in_and_out
  - {fixture: cloudtrail/exfil/assume_role_trusted.json, context: contexts/exfil_org.yaml, expect: [{event_name: AssumeRole, finding_kind: attempt}], name: partner_service_and_denied}
  - {fixture: cloudtrail/exfil/assume_role_trusted.json, expect: 3, name: partner_unlisted_without_context}
  - {fixture: cloudtrail/exfil/human_admin_day.json, expect: 0, name: same_account_role}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{#- The account of the role assumed. -#}
{% macro role_account() -%}
split_part(json_extract_scalar(requestparameters, '$.roleArn'), ':', 5)
{%- endmacro %}
{#- 'outbound' when the event is logged in the caller's account, 'inbound' in the role's. -#}
{% macro direction() -%}
CASE WHEN useridentity.accountid = coalesce(recipientaccountid, useridentity.accountid) THEN 'outbound'
     ELSE 'inbound' END
{%- endmacro %}
{% macro assume_evidence() -%}
concat({{ direction() }}, ': account ', useridentity.accountid, ' assumed ',
       coalesce(json_extract_scalar(requestparameters, '$.roleArn'), '?'), ' as session ',
       coalesce(json_extract_scalar(requestparameters, '$.roleSessionName'), '?'),
       CASE WHEN json_extract_scalar(requestparameters, '$.externalId') IS NULL THEN ' (no external id)'
            ELSE ' (with external id)' END)
{%- endmacro %}
SELECT
  {{ findings.finding_columns(assume_evidence()) }},
  json_extract_scalar(requestparameters, '$.roleArn') AS role_arn,
  useridentity.accountid AS caller_account,
  {{ direction() }} AS direction
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'sts.amazonaws.com'
  AND eventname = 'AssumeRole'
  AND useridentity.type <> 'AWSService'
  AND regexp_like(useridentity.accountid, '^[0-9]{12}$')
  AND regexp_like({{ role_account() }}, '^[0-9]{12}$')
  AND useridentity.accountid <> {{ role_account() }}
  AND (NOT {{ context.trusted_account('useridentity.accountid') }} OR NOT {{ context.trusted_account(role_account()) }})
