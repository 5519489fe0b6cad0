{#-
id: ec2_image_deregistration_burst
title: Burst of AMI deregistrations by one principal
attack: [T1485, T1490]
confidence: medium
severity: high
description: >
  One principal deregistered at least `threshold` distinct AMIs within `window_minutes`. Images are
  the restore points of a fleet: destructive intruders and extortion crews remove them (and then
  their snapshots) so that instances cannot be rebuilt. Confidence is medium because image
  clean-up jobs do the same on a schedule until they are listed; severity is high because, once
  the backing snapshots are gone too, the images cannot be recovered (unless the Recycle Bin keeps
  them).
tuning: |
  Automation, service accounts and AWS services (Data Lifecycle Manager acts as a service) are
  excluded; list AMI clean-up jobs under `automation`. Failed calls (errorcode set) are excluded.
  Tune `threshold` and `window_minutes` in `parameters.ec2_image_deregistration_burst`.
corroborate:
  - DeleteSnapshot of the images' snapshots by the same principal right after
  - DeleteRule or UpdateRule on Recycle Bin (rbin) retention rules beforehand
  - TerminateInstances, DeleteDBSnapshot or S3 deletions by the same principal (wider destruction)
response:
  - "Restore from the Recycle Bin while you can: aws ec2 list-images-in-recycle-bin --region {{ finding.aws_region }} then aws ec2 restore-image-from-recycle-bin --image-id <id>"
  - "Protect what is left: aws rbin create-rule --resource-type EC2_IMAGE --retention-period RetentionPeriodValue=30,RetentionPeriodUnit=DAYS --region {{ finding.aws_region }}"
  - "Contain the caller: deactivate key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeregisterImage.html
  - https://docs.aws.amazon.com/ebs/latest/userguide/recycle-bin.html
  - https://attack.mitre.org/techniques/T1485/
parameters:
  threshold: 5
  window_minutes: 60
attempts_opt_out: "a burst threshold over successful calls; failed calls are access_denied_burst's subject"
tests:
  - {fixture: cloudtrail/exfil/ami_mass_deregister.json, context: contexts/exfil_org.yaml, expect: [{principal_arn: "arn:aws:iam::111122223333:user/ci-legacy", images: 7, event_name: DeregisterImage}], name: destructive_wipe}
  - {fixture: cloudtrail/exfil/ami_mass_deregister.json, params: {threshold: 10}, expect: 0, name: below_threshold}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: ci_image_cleanup}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: [{images: 8}], name: ci_cleanup_without_context}
  - {fixture: cloudtrail/exfil/human_admin_day.json, expect: 0, name: admin_deregisters_one}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{% macro burst_evidence() -%}
concat(CAST(count(DISTINCT image_id) AS varchar), ' AMIs deregistered in ', awsregion, ': ',
       {{ exfil.sample_list('array_agg(DISTINCT image_id)', 10) }})
{%- endmacro %}
WITH deregistrations AS (
  SELECT eventtime, eventname, eventid, useridentity, sourceipaddress, awsregion, recipientaccountid, useragent,
         json_extract_scalar(requestparameters, '$.imageId') AS image_id
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname = 'DeregisterImage'
    AND errorcode IS NULL
    AND NOT {{ context.is_expected_principal() }}
)
SELECT
  {{ findings.aggregate_finding_columns(burst_evidence()) }},
  count(DISTINCT image_id) AS images
FROM deregistrations
GROUP BY {{ findings.principal_key() }}, awsregion, {{ trail.time_bucket(param('window_minutes').value) }}
HAVING count(DISTINCT image_id) >= {{ param('threshold') }}
