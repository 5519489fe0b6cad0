{#-
id: ec2_ami_shared_externally
title: AMI shared with an outside account or made public
attack: [T1537]
confidence: high
severity: high
description: >
  A principal added launch permission on an AMI for an account that is neither yours nor trusted, or
  for the group "all" (public). The receiver can launch the image, or copy it and its snapshots, and
  read everything baked into the disk: code, configuration and credentials. Confidence is high
  because images are shared with a short, stable list of accounts; severity is high because an image
  is a full copy of a server's disk.
tuning: |
  List partner and organization accounts in `trusted_accounts`. Automation is not excluded (a
  compromised build pipeline sharing images out is the case to catch). Sharing with an organization
  or OU ARN is not judged (the context does not know your organization id), removals and
  description changes are ignored. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - CreateImage or CopyImage of the same image by the same principal shortly before
  - DisableImageBlockPublicAccess in the region before a public share
  - other sharing by the same principal (ModifySnapshotAttribute, ModifyDBSnapshotAttribute, PutBucketPolicy)
response:
  - "Revoke the share: aws ec2 modify-image-attribute --image-id {{ finding.image_id }} --launch-permission 'Remove=[{UserId=<account-id from {{ finding.shared_with }}>}]' --region {{ finding.aws_region }}"
  - "If it was made public: aws ec2 modify-image-attribute --image-id {{ finding.image_id }} --launch-permission 'Remove=[{Group=all}]' --region {{ finding.aws_region }}"
  - "Block public AMIs in the region: aws ec2 enable-image-block-public-access --image-block-public-access-state block-new-sharing --region {{ finding.aws_region }}"
  - "Contain the caller: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyImageAttribute.html
  - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html
  - https://attack.mitre.org/techniques/T1537/
tests:
  - fixture: cloudtrail/exfil/ami_shared.json
    expect:
      - {event_name: ModifyImageAttribute, image_id: ami-0e7d6c5b4a3f21098, shared_with: "999988887777", principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}
      - {image_id: ami-0d5e6f7a8b9c0d1e2, shared_with: "all"}
    name: shared_to_attacker_and_public
  - {fixture: cloudtrail/exfil/ami_shared_trusted.json, context: contexts/exfil_org.yaml, expect: 0, name: partner_org_removal_and_description}
  - {fixture: cloudtrail/exfil/ami_shared_trusted.json, expect: [{image_id: ami-0d5e6f7a8b9c0d1e2, shared_with: "444455556666"}], name: partner_unlisted_without_context}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_shares_with_partner}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: ModifyImageAttribute, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
WITH shares AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.imageId') AS image_id,
         {{ exfil.ec2_permission_outside("json_extract(requestparameters, '$.launchPermission.add')") }}
           AS shared_with
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname = 'ModifyImageAttribute'
)
SELECT
  {{ findings.finding_columns("concat('image ', coalesce(image_id, '?'), ' launch permission added for ',
      shared_with)") }},
  image_id,
  shared_with
FROM shares
WHERE shared_with <> ''
