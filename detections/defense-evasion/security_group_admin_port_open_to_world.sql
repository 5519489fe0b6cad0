{#-
id: security_group_admin_port_open_to_world
title: Security group opens an administration port to the whole internet
attack: [T1686.001]
confidence: medium
severity: high
description: >
  AuthorizeSecurityGroupIngress added, or ModifySecurityGroupRules changed, an inbound rule from
  the whole internet (any /0 range: 0.0.0.0/0, ::/0) whose protocol and port range cover an
  administration port: SSH 22, RDP 3389
  and the ports in `extra_admin_ports` (WinRM 5985/5986 by default). All-traffic rules (protocol
  -1) and wide ranges (3000-3400) count, since they expose the port as much as a single-port rule.
  Both request shapes are read: the ipPermissions list and the top-level cidrIp/ipProtocol/
  fromPort/toPort the CLI (`--cidr --port`) and SDKs send with an empty ipPermissions.
  Confidence is medium because engineers still open SSH "for a minute"; severity is high because
  internet-wide scanners find and brute-force such ports within minutes.
tuning: |
  Bastion stacks managed as code are excluded when their pipeline roles are listed under
  `automation`. Add other remote-administration ports your estate uses (VNC 5900, database
  consoles) to `parameters.security_group_admin_port_open_to_world.extra_admin_ports` as strings.
  Rules from narrower ranges (your office) or from other security groups are not reported.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - the group is attached to instances with public IPs (aws ec2 describe-network-interfaces --filters Name=group-id,Values=<group>)
  - successful logins on the port from new addresses (OS logs, GuardDuty UnauthorizedAccess:EC2/SSHBruteForce or RDPBruteForce)
  - the same principal launching instances, creating key pairs or importing keys
response:
  - "Look at the group's rules: aws ec2 describe-security-group-rules --filters Name=group-id,Values={{ finding.security_group }} --region {{ finding.aws_region }}"
  - "Remove the open IPv4 rule: aws ec2 revoke-security-group-ingress --group-id {{ finding.security_group }} --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}] --region {{ finding.aws_region }}"
  - "Or revoke by rule id: aws ec2 revoke-security-group-ingress --group-id {{ finding.security_group }} --security-group-rule-ids <sgr-id> --region {{ finding.aws_region }}"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySecurityGroupRules.html
  - https://attack.mitre.org/techniques/T1562/007/
parameters:
  extra_admin_ports: ["5985", "5986"]
tests:
  - fixture: cloudtrail/evasion/sg_admin_ports_open.json
    expect:
      - event_name: AuthorizeSecurityGroupIngress
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        security_group: sg-0a1b2c3d4e5f60718
        admin_ports: "22"
        evidence: "security group sg-0a1b2c3d4e5f60718 opened tcp 22 from 0.0.0.0/0"
      - {security_group: sg-0f9e8d7c6b5a40312, admin_ports: "22, 3389, 5985, 5986", evidence: "security group sg-0f9e8d7c6b5a40312 opened all traffic from ::/0"}
      - {security_group: sg-07c6b5a4f3e2d1c0b, admin_ports: "3389", evidence: "security group sg-07c6b5a4f3e2d1c0b opened tcp 3000-3400 from 0.0.0.0/0"}
      - {event_name: ModifySecurityGroupRules, security_group: sg-0c4d5e6f7a8b9c0d1, admin_ports: "3389", evidence: "security group sg-0c4d5e6f7a8b9c0d1 opened tcp 3389 from 0.0.0.0/0"}
      - {event_name: AuthorizeSecurityGroupIngress, finding_kind: attempt}
  - fixture: cloudtrail/evasion/sg_cli_cidr_form.json
    expect: [{event_name: AuthorizeSecurityGroupIngress, security_group: sg-0b7e2d4c6a8f10325, admin_ports: "22", evidence: "security group sg-0b7e2d4c6a8f10325 opened tcp 22 from 0.0.0.0/0"}]
    name: cli_cidr_form_mirrors_stratus_recording
  - {fixture: cloudtrail/evasion/sg_ingress_benign.json, expect: 0, name: web_office_and_group_sources}
  - {fixture: cloudtrail/evasion/sg_ingress_benign.json, params: {extra_admin_ports: ["5900"]}, expect: [{security_group: sg-0e5d4c3b2a1f0e9d8, admin_ports: "5900"}], name: vnc_listed_as_admin_port}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, expect: 2, name: iac_bastions_without_context}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'json.sql' as json with context %}
{%- set admin_ports -%}
ARRAY[22, 3389{% for port in param('extra_admin_ports').value %}, CAST({{ sql.literal(port) }} AS INTEGER){% endfor %}]
{%- endset %}
{#- Administration ports a rule of protocol `proto` and ports `low`..`high` (SQL expressions) exposes. -#}
{% macro exposed(proto, low, high) -%}
CASE WHEN {{ proto }} IN ('-1', 'all') THEN {{ admin_ports }}
     WHEN lower({{ proto }}) IN ('tcp', 'udp', '6', '17')
       THEN filter({{ admin_ports }}, port -> port BETWEEN CAST({{ low }} AS INTEGER) AND CAST({{ high }} AS INTEGER))
     ELSE CAST(ARRAY[] AS ARRAY(INTEGER)) END
{%- endmacro %}
{#- "tcp 22", "tcp 3000-3400" or "all traffic". -#}
{% macro ports_text(proto, low, high) -%}
CASE WHEN {{ proto }} IN ('-1', 'all') THEN 'all traffic'
     ELSE concat({{ proto }}, ' ', coalesce({{ low }}, '?'),
                 CASE WHEN {{ low }} <> {{ high }} THEN concat('-', {{ high }}) ELSE '' END) END
{%- endmacro %}
{#- The rule fields of the three request forms: `p`, an ipPermissions item; `m`, a
    ModifySecurityGroupRules rule; and the top-level form (CLI --cidr: one rule in
    cidrIp/ipProtocol/fromPort/toPort of requestparameters). -#}
{% macro permission(key) -%}
json_extract_scalar(p, '$.{{ key }}')
{%- endmacro %}
{% macro modification(key) -%}
json_extract_scalar(m, '$.SecurityGroupRule.{{ key }}')
{%- endmacro %}
{% macro top_level(key) -%}
json_extract_scalar(requestparameters, '$.{{ key }}')
{%- endmacro %}
{% macro modification_rules() -%}
{{ json.json_items("json_extract(requestparameters, '$.ModifySecurityGroupRulesRequest.SecurityGroupRule')") }}
{%- endmacro %}
{#- The world-open sources of each form. A /0 range is the whole internet whatever its address
    part (0.0.0.0/0, ::/0). -#}
{% macro permission_world() -%}
concat(
  filter(coalesce(transform(CAST(json_extract(p, '$.ipRanges.items') AS ARRAY(JSON)),
                            r -> json_extract_scalar(r, '$.cidrIp')), ARRAY[]), c -> c LIKE '%/0'),
  filter(coalesce(transform(CAST(json_extract(p, '$.ipv6Ranges.items') AS ARRAY(JSON)),
                            r -> json_extract_scalar(r, '$.cidrIpv6')), ARRAY[]), c -> c LIKE '%/0'))
{%- endmacro %}
{% macro modification_world() -%}
filter(ARRAY[{{ modification('CidrIpv4') }}, {{ modification('CidrIpv6') }}], c -> c LIKE '%/0')
{%- endmacro %}
{% macro top_level_world() -%}
filter(ARRAY[{{ top_level('cidrIp') }}], c -> c LIKE '%/0')
{%- endmacro %}
{#- The admin ports and the "tcp 22" text of each form's rule. -#}
{% macro permission_exposed() -%}
{{ exposed(permission('ipProtocol'), permission('fromPort'), permission('toPort')) }}
{%- endmacro %}
{% macro permission_text() -%}
{{ ports_text(permission('ipProtocol'), permission('fromPort'), permission('toPort')) }}
{%- endmacro %}
{% macro modification_exposed() -%}
{{ exposed(modification('IpProtocol'), modification('FromPort'), modification('ToPort')) }}
{%- endmacro %}
{% macro modification_text() -%}
{{ ports_text(modification('IpProtocol'), modification('FromPort'), modification('ToPort')) }}
{%- endmacro %}
{% macro top_level_exposed() -%}
{{ exposed(top_level('ipProtocol'), top_level('fromPort'), top_level('toPort')) }}
{%- endmacro %}
{% macro top_level_text() -%}
{{ ports_text(top_level('ipProtocol'), top_level('fromPort'), top_level('toPort')) }}
{%- endmacro %}
WITH rule_changes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         coalesce(json_extract_scalar(requestparameters, '$.groupId'),
                  json_extract_scalar(requestparameters, '$.groupName'),
                  json_extract_scalar(requestparameters, '$.ModifySecurityGroupRulesRequest.GroupId'))
           AS security_group,
         filter(coalesce(CAST(json_extract(requestparameters, '$.ipPermissions.items') AS ARRAY(JSON)), ARRAY[]),
                p -> cardinality({{ permission_world() }}) > 0
                     AND cardinality({{ permission_exposed() }}) > 0) AS open_permissions,
         filter({{ modification_rules() }},
                m -> cardinality({{ modification_world() }}) > 0
                     AND cardinality({{ modification_exposed() }}) > 0) AS open_modifications,
         CASE WHEN cardinality({{ top_level_world() }}) > 0 AND cardinality({{ top_level_exposed() }}) > 0
              THEN ARRAY[concat({{ top_level_text() }}, ' from ', array_join({{ top_level_world() }}, ' and '))]
              ELSE CAST(ARRAY[] AS ARRAY(VARCHAR)) END AS open_top_level,
         CASE WHEN cardinality({{ top_level_world() }}) > 0 THEN {{ top_level_exposed() }}
              ELSE CAST(ARRAY[] AS ARRAY(INTEGER)) END AS top_level_ports
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname IN ('AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules')
    AND NOT {{ context.is_automation() }}
),
openings AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode, security_group,
         concat(
           transform(open_permissions,
                     p -> concat({{ permission_text() }}, ' from ', array_join({{ permission_world() }}, ' and '))),
           transform(open_modifications,
                     m -> concat({{ modification_text() }}, ' from ', array_join({{ modification_world() }}, ' and '))),
           open_top_level
         ) AS descriptions,
         array_sort(array_distinct(concat(
           flatten(transform(open_permissions, p -> {{ permission_exposed() }})),
           flatten(transform(open_modifications, m -> {{ modification_exposed() }})),
           top_level_ports))) AS ports
  FROM rule_changes
)
SELECT
  {{ findings.finding_columns("concat('security group ', coalesce(security_group, '?'),
                                      ' opened ', array_join(descriptions, '; '))") }},
  security_group,
  array_join(transform(ports, x -> CAST(x AS VARCHAR)), ', ') AS admin_ports
FROM openings
WHERE cardinality(descriptions) > 0
