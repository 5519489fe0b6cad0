{#-
id: rolesanywhere_trust_anchor_changed
title: IAM Roles Anywhere trust anchor created or changed outside IaC
attack: [T1556, T1098.001]
confidence: medium
severity: high
description: >
  An IAM Roles Anywhere trust anchor was created (CreateTrustAnchor) or its certificate source
  replaced (UpdateTrustAnchor) by a principal outside infrastructure-as-code. A trust anchor makes
  AWS accept X.509 certificates signed by its CA in exchange for role credentials, so an attacker
  who registers their own CA can mint credentials from anywhere for every role whose trust policy
  admits rolesanywhere.amazonaws.com, with no IAM user or key to revoke. Medium confidence:
  platform teams set this up by hand at times; high severity: a durable, key-less way back in.
tuning: |
  IaC roles under `automation` are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. A CERTIFICATE_BUNDLE source
  (a CA pasted in) is more suspicious than AWS_ACM_PCA (a private CA in the account); the
  evidence shows the source type.
corroborate:
  - "was a Roles Anywhere profile created or changed right after (CreateProfile, UpdateProfile), and which roles does it list?"
  - "which roles trust rolesanywhere.amazonaws.com (aws iam list-roles, then their trust policies)?"
  - "are there CreateSession calls (rolesanywhere.amazonaws.com) using the anchor afterwards?"
response:
  - "Disable the anchor: aws rolesanywhere disable-trust-anchor --trust-anchor-id '{{ finding.trust_anchor_id }}'"
  - "List the profiles that can use it and disable unknown ones: aws rolesanywhere list-profiles"
  - "Delete the anchor once investigated: aws rolesanywhere delete-trust-anchor --trust-anchor-id '{{ finding.trust_anchor_id }}'"
references:
  - https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html
  - https://attack.mitre.org/techniques/T1556/
tests:
  - fixture: cloudtrail/iam/rolesanywhere_trust_anchors.json
    context: contexts/iam_default.yaml
    expect:
      - {event_name: CreateTrustAnchor, trust_anchor_id: 4d07f6a0-1c50-44d3-951b-b68b783daa0a, source_type: CERTIFICATE_BUNDLE, source_ip: 185.220.101.47}
      - {event_name: UpdateTrustAnchor, trust_anchor_id: 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, expect: [{source_type: AWS_ACM_PCA}], name: terraform_without_context}
  - {fixture: cloudtrail/iam/benign_terraform_apply.json, context: contexts/iam_default.yaml, expect: 0}
  - {fixture: cloudtrail/iam/iam_denied_attempts.json, expect: [{event_name: CreateTrustAnchor, finding_kind: attempt}]}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
SELECT
  {{ findings.finding_columns("concat(eventname, ' ',
      coalesce(json_extract_scalar(requestparameters, '$.name'),
      json_extract_scalar(requestparameters, '$.trustAnchorId'), '?'), ' with source ',
      coalesce(json_extract_scalar(requestparameters, '$.source.sourceType'), 'unchanged'))") }},
  coalesce(json_extract_scalar(responseelements, '$.trustAnchor.trustAnchorId'),
      json_extract_scalar(requestparameters, '$.trustAnchorId')) AS trust_anchor_id,
  json_extract_scalar(requestparameters, '$.source.sourceType') AS source_type
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'rolesanywhere.amazonaws.com'
  AND eventname IN ('CreateTrustAnchor', 'UpdateTrustAnchor')
  AND NOT {{ context.is_automation() }}
