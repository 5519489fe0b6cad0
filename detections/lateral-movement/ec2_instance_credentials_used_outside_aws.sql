{#-
id: ec2_instance_credentials_used_outside_aws
title: EC2 instance-profile credentials used from a public IP outside your networks
attack: [T1550.001, T1552.005]
confidence: medium
severity: high
description: >
  A role session named after an EC2 instance id (assumed-role/<role>/i-..., hex digits in either
  case, as anonymised recordings write them), i.e. instance-profile
  credentials delivered by the metadata service, made API calls from a public IPv4 address that is
  not in your trusted networks. Those credentials should only be used from the instance itself,
  through your NAT gateways, elastic IPs or VPC endpoints; elsewhere they were stolen (SSRF against
  IMDS, a compromised container, a leaked debug dump). Confidence is medium because instances with
  their own public IP call AWS from that IP until your egress ranges are listed; severity is high
  because the thief has the instance role's permissions.
tuning: |
  List NAT gateway elastic IPs, instance public IP ranges and office egress in `trusted_cidrs`
  (IPv4). Private (RFC 1918, 100.64/10) addresses, VPC-endpoint calls and AWS service host names
  (ec2.amazonaws.com, ...) never match. IPv6 sources are not judged. One row per session and source
  IP; all outcomes count (an attacker's failed calls are evidence too). Every eventsource is read,
  since a stolen session can call any service.
corroborate:
  - the same session used from the instance's own address shortly before (the theft window)
  - GuardDuty UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS for the role
  - whether the instance enforces IMDSv2 (userIdentity.sessionContext.ec2RoleDelivery 2.0 only says how these credentials were fetched)
  - discovery calls (GetCallerIdentity, List*) from the outside IP, then data access
response:
  - "Revoke the role's current sessions: in the console Revoke active sessions on role {{ finding.role_name }} (deny on aws:TokenIssueTime)"
  - "Force IMDSv2 on the instance: aws ec2 modify-instance-metadata-options --instance-id {{ finding.instance_id }} --http-tokens required --http-put-response-hop-limit 1"
  - "Investigate the instance {{ finding.instance_id }} for SSRF or compromise before it fetches new credentials"
references:
  - https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html#unauthorizedaccess-iam-instancecredentialexfiltrationoutsideaws
  - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html
  - https://attack.mitre.org/techniques/T1552/005/
attempts_opt_out: "all outcomes are counted in one finding per session and address (an attacker's failed calls are evidence too)"
tests:
  - fixture: cloudtrail/exfil/instance_creds_outside.json
    context: contexts/exfil_org.yaml
    expect: [{principal_arn: "arn:aws:sts::111122223333:assumed-role/web-app-instance-role/i-0a1b2c3d4e5f60718", source_ip: 185.220.101.47, instance_id: i-0a1b2c3d4e5f60718, role_name: web-app-instance-role, event_count: 4, event_name: GetCallerIdentity}]
    name: stolen_instance_credentials
  - {fixture: cloudtrail/exfil/instance_creds_outside.json, expect: [{source_ip: 185.220.101.47}, {source_ip: 198.51.100.4, event_count: 1}], name: nat_gateway_unlisted_without_context}
  - {fixture: cloudtrail/exfil/instance_creds_inside.json, context: contexts/exfil_org.yaml, expect: 0, name: vpc_nat_and_service_calls}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'exfil.sql' as exfil with context %}
{%- import 'findings.sql' as findings with context %}
{#- The evidence of one instance's credentials used from one address (an aggregate). -#}
{% macro use_evidence() -%}
concat('instance credentials of ', split_part(useridentity.arn, '/', 3),
       ' (role ', coalesce(min(useridentity.sessioncontext.sessionissuer.username), '?'), ') used from ',
       sourceipaddress, ': ', CAST(count(*) AS varchar), ' call(s), ',
       {{ exfil.sample_list('array_agg(DISTINCT eventname)', 10) }})
{%- endmacro %}
SELECT
  {{ findings.aggregate_finding_columns(use_evidence()) }},
  split_part(useridentity.arn, '/', 3) AS instance_id,
  min(useridentity.sessioncontext.sessionissuer.username) AS role_name
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource LIKE '%.amazonaws.com'
  AND useridentity.type = 'AssumedRole'
  AND regexp_like(useridentity.arn, '^arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role/[^/]+/i-[0-9a-fA-F]{8,17}$')
  AND vpcendpointid IS NULL
  AND {{ exfil.is_public_ipv4() }}
  AND NOT {{ context.trusted_network() }}
GROUP BY {{ findings.principal_key() }}, useridentity.arn, sourceipaddress
