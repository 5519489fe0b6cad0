{#-
id: ec2_instance_connect_ssh_key_pushed
title: EC2 Instance Connect SSH key pushed by a principal that is not automation or a known human
attack: [T1021.008, T1021.004]
confidence: medium
severity: high
description: >
  A principal outside the context's automation, service accounts and humans called
  SendSSHPublicKey, which installs an SSH public key on an instance for 60 seconds. With
  ec2-instance-connect permission and network reach, stolen cloud credentials become an SSH shell
  on the instance as the named OS user. Confidence is medium because engineers not yet listed use
  it from the console; severity is high because it is interactive access to the instance.
tuning: |
  List the people who use EC2 Instance Connect (SSO role ARNs) under `humans` and bastion or
  tooling roles under `automation`/`service_accounts`. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence. The serial-console variant (SendSerialConsoleSSHPublicKey) is
  reported by ec2_serial_console_access.
corroborate:
  - a new inbound SSH connection to the instance within a minute (VPC flow logs, or an EC2 Instance Connect Endpoint OpenTunnel event)
  - the principal's source IP compared with the instance's security group rules for port 22
  - commands run on the instance afterwards (auth logs, GuardDuty runtime)
response:
  - "Check the instance for the session: look in /var/log/secure or auth.log on {{ finding.instance_id }} for {{ finding.os_user }} logins around {{ finding.event_time }}"
  - "Contain the caller: deactivate key {{ finding.access_key_id }} or revoke the role's sessions, and remove ec2-instance-connect:SendSSHPublicKey from it"
  - "Close SSH exposure: aws ec2 describe-security-groups for {{ finding.instance_id }} and revoke 0.0.0.0/0 on port 22"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-connect-methods.html
  - https://docs.aws.amazon.com/ec2-instance-connect/latest/APIReference/API_SendSSHPublicKey.html
  - https://attack.mitre.org/techniques/T1021/008/
tests:
  - {fixture: cloudtrail/exfil/instance_connect_key.json, context: contexts/exfil_org.yaml, expect: [{event_name: SendSSHPublicKey, instance_id: i-0b2c3d4e5f6a70819, os_user: ubuntu, source_ip: 185.220.101.47}], name: stolen_key_pushes_ssh_key}
  - {fixture: cloudtrail/exfil/human_admin_day.json, context: contexts/exfil_org.yaml, expect: 0, name: listed_admin}
  - {fixture: cloudtrail/exfil/human_admin_day.json, expect: [{instance_id: i-0a1b2c3d4e5f60718, os_user: ec2-user}], name: admin_unlisted_without_context}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: SendSSHPublicKey, finding_kind: attempt}], name: denied_attempt}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- macro instance_id() %}json_extract_scalar(requestparameters, '$.instanceId'){% endmacro %}
{%- macro os_user() %}json_extract_scalar(requestparameters, '$.instanceOSUser'){% endmacro %}
{%- macro evidence() -%}
concat('SSH public key pushed to ', coalesce({{ instance_id() }}, '?'),
    ' for OS user ', coalesce({{ os_user() }}, '?'))
{%- endmacro %}
SELECT
  {{ findings.finding_columns(evidence()) }},
  {{ instance_id() }} AS instance_id,
  {{ os_user() }} AS os_user
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ec2-instance-connect.amazonaws.com'
  AND eventname = 'SendSSHPublicKey'
  AND NOT {{ context.is_expected_principal() }}
  AND NOT {{ context.is_human() }}
