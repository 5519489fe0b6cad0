{#-
id: ec2_serial_console_access
title: EC2 serial console access enabled or used
attack: [T1021.008]
confidence: medium
severity: high
description: >
  EnableSerialConsoleAccess turns on the account-wide (per region) EC2 serial console, and
  SendSerialConsoleSSHPublicKey connects to an instance through it. The serial console reaches the
  instance's console port without any network path, security group or SSH daemon, so it is a way in
  that ignores the usual network controls; most accounts leave it off for good. Confidence is
  medium because break-glass recovery uses it; severity is high because it is console access to
  the instance.
tuning: |
  Automation (an IaC module managing the account setting) and AWS services are excluded; humans
  are NOT, since serial-console use by a person is rare enough to review every time. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. Disabling access and reading its status are not reported.
corroborate:
  - a password set or reset for an OS user on the instance (serial console needs one) or a user-data change (ec2_user_data_modified)
  - the same principal stopping or rebooting the instance around the connection
  - the source IP and user agent compared with the principal's history
response:
  - "Turn it back off: aws ec2 disable-serial-console-access --region {{ finding.aws_region }}"
  - "Review instance {{ finding.instance_id }} console logs and OS auth logs for the session"
  - "Deny ec2:EnableSerialConsoleAccess and ec2-instance-connect:SendSerialConsoleSSHPublicKey by SCP where it is not needed"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-serial-console.html
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableSerialConsoleAccess.html
  - https://attack.mitre.org/techniques/T1021/008/
tests:
  - fixture: cloudtrail/exfil/serial_console.json
    context: contexts/exfil_org.yaml
    expect:
      - {event_name: EnableSerialConsoleAccess, instance_id: null, principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}
      - {event_name: SendSerialConsoleSSHPublicKey, instance_id: i-0b2c3d4e5f6a70819}
    name: enabled_then_connected
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: terraform_manages_setting}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, expect: [{event_name: EnableSerialConsoleAccess}], name: terraform_without_context}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: EnableSerialConsoleAccess, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro instance_id() %}json_extract_scalar(requestparameters, '$.instanceId'){% endmacro %}
{%- macro evidence() -%}
CASE WHEN eventname = 'EnableSerialConsoleAccess'
    THEN concat('EC2 serial console access enabled in ', awsregion)
    ELSE concat('serial console SSH key pushed to ', coalesce({{ instance_id() }}, '?'),
        ' port ', coalesce(json_extract_scalar(requestparameters, '$.serialPort'), '0')) END
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ instance_id() }} AS instance_id
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND ((eventsource = 'ec2.amazonaws.com' AND eventname = 'EnableSerialConsoleAccess')
       OR (eventsource = 'ec2-instance-connect.amazonaws.com' AND eventname = 'SendSerialConsoleSSHPublicKey'))
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
