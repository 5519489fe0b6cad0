{#-
id: ec2_snapshot_shared_externally
title: EBS snapshot shared with an outside account or made public
attack: [T1537]
confidence: high
severity: high
description: >
  A principal added create-volume permission on an EBS snapshot for an account that is neither yours
  nor trusted, or for the group "all" (public). Whoever receives the permission can copy the snapshot
  and mount the whole disk in their own account, so this is a complete copy of the volume's data
  leaving the organisation. Confidence is high because legitimate sharing goes to a small, known set
  of accounts; severity is high because a disk image usually holds credentials and customer data.
tuning: |
  Add partner, backup and organization accounts to `trusted_accounts` (your own `account_ids` are
  always trusted). Automation is NOT excluded: a pipeline sharing with an unknown account is exactly
  what a compromised pipeline would do, so fix the trust list rather than the principal list.
  Removals (createVolumePermission.remove) are ignored. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - CreateSnapshot or CopySnapshot of the same volume by the same principal shortly before (filter eventName CreateSnapshot, responseElements.snapshotId = the snapshot)
  - other sharing by the same principal within a day (ModifyImageAttribute, ModifyDBSnapshotAttribute, PutBucketPolicy)
  - whether the source IP or access key was ever seen for this principal before
response:
  - "Revoke the share: aws ec2 modify-snapshot-attribute --snapshot-id {{ finding.snapshot_id }} --attribute createVolumePermission --operation-type remove --user-ids <account-id from {{ finding.shared_with }}> --region {{ finding.aws_region }}"
  - "If it was made public: aws ec2 modify-snapshot-attribute --snapshot-id {{ finding.snapshot_id }} --attribute createVolumePermission --operation-type remove --group-names all --region {{ finding.aws_region }}"
  - "Check who holds it now: aws ec2 describe-snapshot-attribute --snapshot-id {{ finding.snapshot_id }} --attribute createVolumePermission --region {{ finding.aws_region }}"
  - "Block public sharing account-wide: aws ec2 enable-snapshot-block-public-access --state block-all-sharing --region {{ finding.aws_region }}"
  - "Contain the caller: deactivate access key {{ finding.access_key_id }} (aws iam update-access-key --status Inactive) or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html
  - https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html
  - https://attack.mitre.org/techniques/T1537/
tests:
  - fixture: cloudtrail/exfil/ebs_snapshot_shared.json
    expect:
      - {event_name: ModifySnapshotAttribute, snapshot_id: snap-0a1b2c3d4e5f60789, shared_with: "999988887777", principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}
      - {snapshot_id: snap-0f9e8d7c6b5a40321, shared_with: "all, 444455556666"}
    name: shared_to_attacker_and_public_and_unlisted_partner
  - {fixture: cloudtrail/exfil/ebs_snapshot_shared.json, context: contexts/exfil_org.yaml, expect: [{snapshot_id: snap-0a1b2c3d4e5f60789}, {snapshot_id: snap-0f9e8d7c6b5a40321, shared_with: "all"}], name: partner_is_trusted_but_public_is_not}
  - {fixture: cloudtrail/exfil/ebs_snapshot_shared_trusted.json, context: contexts/exfil_org.yaml, expect: [{event_name: ModifySnapshotAttribute, finding_kind: attempt}], name: partner_share_removal_and_denied}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_shares_with_partner}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: 1, name: partner_untrusted_without_context}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: ModifySnapshotAttribute, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
WITH shares AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.snapshotId') AS snapshot_id,
         {{ exfil.ec2_permission_outside("json_extract(requestparameters, '$.createVolumePermission.add')") }}
           AS shared_with
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname = 'ModifySnapshotAttribute'
)
SELECT
  {{ findings.finding_columns("concat('snapshot ', coalesce(snapshot_id, '?'),
      ' create-volume permission added for ', shared_with)") }},
  snapshot_id,
  shared_with
FROM shares
WHERE shared_with <> ''
