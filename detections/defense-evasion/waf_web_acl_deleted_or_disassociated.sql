{#-
id: waf_web_acl_deleted_or_disassociated
title: WAF web ACL deleted or removed from a resource
attack: [T1686.001]
confidence: medium
severity: high
description: >
  DeleteWebACL or DisassociateWebACL (WAFv2, and the classic WAF and WAF Regional APIs) by a
  principal that is not automation. Removing the web ACL in front of a load balancer, API or
  CloudFront distribution exposes the application to the attacks the rules blocked. Medium
  confidence: teams rebuild ACLs by hand during incidents; high severity: the application's filter
  is gone.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error
  in the evidence.
corroborate:
  - "which resource lost its ACL (requestParameters.resourceArn), and is it internet-facing?"
  - "did a new ACL get associated right after (a replacement, not a removal)?"
  - "other defense-evasion by the same principal?"
response:
  - "Re-associate the ACL: aws wafv2 associate-web-acl --web-acl-arn WEB_ACL_ARN --resource-arn '{{ finding.resource }}' --region {{ finding.aws_region }}"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/waf/latest/APIReference/API_DisassociateWebACL.html
  - https://attack.mitre.org/techniques/T1562/007/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: DisassociateWebACL, resource: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/public-web/50dc6c495c0c9188"}, {event_name: DeleteWebACL, resource: public-web-acl}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- set resource = "coalesce(json_extract_scalar(requestparameters, '$.resourceArn'),
    json_extract_scalar(requestparameters, '$.name'), json_extract_scalar(requestparameters, '$.webACLId'))" %}
SELECT
  {{ findings.finding_columns("concat(eventname, ' ', coalesce(" ~ resource ~ ", '?'))") }},
  {{ resource }} AS resource
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource IN ('wafv2.amazonaws.com', 'waf.amazonaws.com', 'waf-regional.amazonaws.com')
  AND eventname IN ('DeleteWebACL', 'DisassociateWebACL')
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
