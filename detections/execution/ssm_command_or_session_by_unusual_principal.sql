{#-
id: ssm_command_or_session_by_unusual_principal
title: SSM SendCommand or StartSession by a principal that is not automation or a known human
attack: [T1651, T1021.008]
confidence: medium
severity: high
description: >
  A principal outside the context's automation, service accounts and humans ran commands on
  instances with SSM SendCommand (AWS-RunShellScript, AWS-RunPowerShellScript, ...) or opened an
  interactive shell with StartSession. Both give code execution on the instance as root/SYSTEM
  without SSH keys or open ports, which makes them the preferred way from stolen cloud credentials
  into workloads. Confidence is medium because engineers not yet listed as humans do this too;
  severity is high because it is arbitrary execution on the target instances.
tuning: |
  List CI/CD and patching roles under `automation` or `service_accounts` and the people (SSO role
  ARNs) who use Session Manager under `humans`. AWS-driven runs (State Manager, Maintenance Windows
  with invokedBy, AWSService identities) are excluded. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - the principal's source IP and user agent compared with its history
  - DescribeInstanceInformation by the same principal just before (finding managed instances)
  - the command's output and invocation (aws ssm list-command-invocations --command-id from responseElements) and the SSM session logs, if shipped to S3/CloudWatch
  - new outbound connections or processes on the target instances afterwards (GuardDuty runtime, EDR)
response:
  - "See what ran: aws ssm list-command-invocations --details --instance-id <id from {{ finding.targets }}> --region {{ finding.aws_region }}"
  - "End open sessions: aws ssm describe-sessions --state Active --region {{ finding.aws_region }} then aws ssm terminate-session --session-id <id>"
  - "Contain the caller: deactivate key {{ finding.access_key_id }} or revoke the role's sessions; isolate the targets {{ finding.targets }} if commands ran"
references:
  - https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-cloudtrail-logs.html
  - https://attack.mitre.org/techniques/T1651/
  - https://attack.mitre.org/techniques/T1021/008/
tests:
  - fixture: cloudtrail/exfil/ssm_remote_exec.json
    context: contexts/exfil_org.yaml
    expect:
      - {event_name: SendCommand, document_name: AWS-RunShellScript, targets: "i-0a1b2c3d4e5f60718, i-0b2c3d4e5f6a70819", principal_arn: "arn:aws:iam::111122223333:user/ci-legacy"}
      - {event_name: StartSession, document_name: null, targets: i-0b2c3d4e5f6a70819}
    name: stolen_key_runs_shell_and_session
  - {fixture: cloudtrail/exfil/human_admin_day.json, context: contexts/exfil_org.yaml, expect: 0, name: listed_admin_session}
  - {fixture: cloudtrail/exfil/human_admin_day.json, expect: [{event_name: StartSession, targets: i-0a1b2c3d4e5f60718}], name: admin_unlisted_without_context}
  - {fixture: cloudtrail/exfil/automation_busy_day.json, context: contexts/exfil_org.yaml, expect: 0, name: ci_deploy_by_tag}
  - {fixture: cloudtrail/exfil/denied_exfil_attempts.json, expect: [{event_name: SendCommand, finding_kind: attempt}, {event_name: StartSession, finding_kind: attempt}], name: denied_attempts}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- set targets = "coalesce(nullif(array_join(CAST(json_extract(requestparameters, '$.instanceIds') AS ARRAY(VARCHAR)),
    ', '), ''), json_extract_scalar(requestparameters, '$.target'),
    json_format(json_extract(requestparameters, '$.targets')))" %}
SELECT
  {{ findings.finding_columns("concat(eventname, ' ',
      coalesce(json_extract_scalar(requestparameters, '$.documentName'), 'interactive session'), ' on ',
      coalesce(" ~ targets ~ ", '?'))") }},
  json_extract_scalar(requestparameters, '$.documentName') AS document_name,
  {{ targets }} AS targets
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ssm.amazonaws.com'
  AND eventname IN ('SendCommand', 'StartSession')
  AND NOT {{ context.is_expected_principal() }}
  AND NOT {{ context.is_human() }}
