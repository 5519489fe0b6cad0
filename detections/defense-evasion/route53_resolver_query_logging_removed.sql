{#-
id: route53_resolver_query_logging_removed
title: Route 53 Resolver DNS query logging removed
attack: [T1685.002]
confidence: medium
severity: medium
description: >
  DisassociateResolverQueryLogConfig detached DNS query logging from a VPC, or
  DeleteResolverQueryLogConfig deleted a query logging configuration. DNS lookups from the VPC
  (command-and-control domains, DNS tunnelling, exfiltration to attacker domains) stop being
  recorded, and GuardDuty's own DNS analysis is unaffected only if it still sees the resolver.
  Confidence is medium because VPCs are re-plumbed during network changes; severity is medium
  because the loss is limited to DNS visibility.
tuning: |
  Network stacks managed as code are excluded when their pipeline roles are listed under
  `automation`. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - DeleteFlowLogs or log group deletions by the same principal
  - the VPC named in the evidence still exists (the change is not part of deleting it)
  - DNS lookups to new domains from the VPC's instances right after (from another DNS source)
response:
  - "List what is still logged: aws route53resolver list-resolver-query-log-config-associations --region {{ finding.aws_region }}"
  - "Re-attach logging to the VPC: aws route53resolver associate-resolver-query-log-config --resolver-query-log-config-id {{ finding.query_log_config }} --resource-id <vpc-id> --region {{ finding.aws_region }}"
references:
  - https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_DisassociateResolverQueryLogConfig.html
  - https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_DeleteResolverQueryLogConfig.html
tests:
  - fixture: cloudtrail/evasion/resolver_query_logging_removed.json
    expect:
      - {event_name: DisassociateResolverQueryLogConfig, principal_arn: "arn:aws:iam::111122223333:user/svc-reporting", query_log_config: rqlc-8ca61fe7c055415a, evidence: "DNS query logging rqlc-8ca61fe7c055415a detached from vpc-0c2d4e6f8a0b1c3d5 in us-east-1"}
      - {event_name: DeleteResolverQueryLogConfig, evidence: "DNS query logging rqlc-8ca61fe7c055415a (prod-dns-logs) deleted in us-east-1"}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, expect: [{event_name: DisassociateResolverQueryLogConfig}], name: iac_change_without_context}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{#- The configuration deleted (with its name), or the VPC it was detached from. -#}
{% macro logging_evidence() -%}
concat('DNS query logging ', coalesce(json_extract_scalar(requestparameters, '$.resolverQueryLogConfigId'), '?'),
       CASE WHEN eventname = 'DeleteResolverQueryLogConfig'
            THEN concat(coalesce(concat(' (', json_extract_scalar(responseelements, '$.resolverQueryLogConfig.name'),
                                        ')'), ''), ' deleted')
            ELSE concat(' detached from ', coalesce(json_extract_scalar(requestparameters, '$.resourceId'), '?')) END,
       ' in ', awsregion)
{%- endmacro %}
SELECT
  {{ findings.finding_columns(logging_evidence()) }},
  json_extract_scalar(requestparameters, '$.resolverQueryLogConfigId') AS query_log_config
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'route53resolver.amazonaws.com'
  AND eventname IN ('DisassociateResolverQueryLogConfig', 'DeleteResolverQueryLogConfig')
  AND NOT {{ context.is_automation() }}
