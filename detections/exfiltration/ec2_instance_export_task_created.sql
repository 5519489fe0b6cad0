{#-
id: ec2_instance_export_task_created
title: EC2 instance exported to S3 as a VM image
attack: [T1537]
confidence: medium
severity: high
description: >
  CreateInstanceExportTask turns a running instance's disks into a VMDK, VHD or RAW image written to
  an S3 bucket, from where it can be downloaded or copied to another account. Few estates export
  instances at all, so a call outside automation is a strong lead for disk exfiltration. Medium
  confidence: migrations off AWS use it; high severity: the whole disk (data, keys, credentials)
  leaves.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error
  in the evidence.
corroborate:
  - "who owns the target bucket (requestParameters.exportToS3.s3Bucket), and is it in your account?"
  - "GetObject or replication on the export prefix afterwards?"
  - "did the same principal stop the instance or create snapshots first?"
response:
  - "Cancel a running export: aws ec2 cancel-export-task --export-task-id EXPORT_TASK_ID --region {{ finding.aws_region }}"
  - "Check the bucket for the image: aws s3 ls s3://{{ finding.s3_bucket }}/"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateInstanceExportTask.html
  - https://attack.mitre.org/techniques/T1537/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: CreateInstanceExportTask, instance_id: i-0a1b2c3d4e5f60718, s3_bucket: vm-exports-7731}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 0, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro instance_id() %}json_extract_scalar(requestparameters, '$.instanceId'){% endmacro %}
{%- macro s3_bucket() %}json_extract_scalar(requestparameters, '$.exportToS3.s3Bucket'){% endmacro %}
{%- macro evidence() -%}
concat('instance ', coalesce({{ instance_id() }}, '?'), ' exported to s3://', coalesce({{ s3_bucket() }}, '?'),
    '/', coalesce(json_extract_scalar(requestparameters, '$.exportToS3.s3Prefix'), ''))
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ instance_id() }} AS instance_id,
  {{ s3_bucket() }} AS s3_bucket
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname = 'CreateInstanceExportTask'
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
