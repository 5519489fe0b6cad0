{#-
id: vpc_flow_logs_deleted
title: VPC flow logs deleted outside a VPC teardown
attack: [T1685.002]
confidence: medium
severity: medium
description: >
  DeleteFlowLogs removed flow logs, so traffic to and from the VPC, subnet or interface is no
  longer recorded: connections to attacker infrastructure and lateral movement go unseen. Deletions
  followed by DeleteVpc from the same principal in the same region within
  `teardown_minutes` are a VPC being torn down and are not reported. Confidence is medium because
  flow logs are recreated during network changes; severity is medium because CloudTrail still
  records the control-plane calls.
tuning: |
  Network changes by your IaC pipeline are excluded when its roles are listed under `automation`.
  Widen `parameters.vpc_flow_logs_deleted.teardown_minutes` (default 60) if your manual teardowns
  take longer. Flow logs created before the data starts cannot be tied to their resource, so their
  deletion is reported even in a real teardown. Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - no new flow log created for the same resource soon after (CreateFlowLogs)
  - CloudTrail, GuardDuty or DNS query logging changes by the same principal
  - new security group rules or instances in the same VPC after the deletion
response:
  - "See which resources lost their flow logs: aws ec2 describe-flow-logs --region {{ finding.aws_region }}"
  - "Recreate the flow log: aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL --log-destination-type s3 --log-destination <bucket arn> --region {{ finding.aws_region }}"
  - "Disable the caller's key while you investigate: aws iam update-access-key --access-key-id {{ finding.access_key_id }} --status Inactive --user-name <user>"
references:
  - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteFlowLogs.html
  - https://stratus-red-team.cloud/attack-techniques/AWS/aws.defense-evasion.vpc-remove-flow-logs/
parameters:
  teardown_minutes: 60
  history_days: 90
tests:
  - fixture: cloudtrail/evasion/flow_logs_deleted.json
    expect:
      - event_name: DeleteFlowLogs
        principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"
        flow_logs: "fl-0b99f482856f6f98b, fl-03c1d5e7f9a1b3c5d"
        evidence: "flow log(s) fl-0b99f482856f6f98b, fl-03c1d5e7f9a1b3c5d deleted in us-east-1"
  - {fixture: cloudtrail/evasion/flow_logs_teardown.json, expect: 0, name: vpc_teardown}
  - fixture: cloudtrail/evasion/flow_logs_decoy_vpc.json
    expect: [{event_name: DeleteFlowLogs, flow_logs: fl-0c2d4e6f8a0b1c3d5, principal_arn: "arn:aws:iam::111122223333:user/svc-reporting"}]
    name: another_vpc_deleted_is_no_teardown
  - {fixture: cloudtrail/evasion/flow_logs_teardown.json, params: {teardown_minutes: 2}, expect: [{flow_logs: fl-0e17aa62a21d4bbfe}], name: vpc_deleted_too_late}
  - {fixture: cloudtrail/evasion/benign_terraform_apply.json, context: contexts/evasion.yaml, expect: 0}
  - {fixture: cloudtrail/evasion/benign_admin_day.json, expect: 0}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- import 'history.sql' as history with context %}
{#- The flow log ids (fl-...) named anywhere in JSON column `column`. -#}
{% macro flow_log_ids(column) -%}
regexp_extract_all(coalesce({{ column }}, ''), 'fl-[0-9a-fA-F]+')
{%- endmacro %}
WITH deletions AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         {{ findings.principal_key() }} AS principal,
         {{ flow_log_ids('requestparameters') }} AS flow_log_ids,
         array_join({{ flow_log_ids('requestparameters') }}, ', ') AS flow_logs
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname = 'DeleteFlowLogs'
    AND NOT {{ context.is_automation() }}
),
creations AS (
  -- Which resource (VPC, subnet, interface) each flow log seen created was attached to.
  SELECT {{ flow_log_ids('responseelements') }} AS flow_log_ids,
         regexp_extract_all(coalesce(requestparameters, ''), '(vpc|subnet|eni)-[0-9a-fA-F]+') AS resource_ids
  FROM {{ history.config_history(param('history_days').value) }} AS config
  WHERE eventsource = 'ec2.amazonaws.com'
    AND eventname = 'CreateFlowLogs'
    AND errorcode IS NULL
),
resource_deletions AS (
  SELECT {{ findings.principal_key() }} AS principal, awsregion, eventtime,
         coalesce(json_extract_scalar(requestparameters, '$.vpcId'),
                  json_extract_scalar(requestparameters, '$.subnetId'),
                  json_extract_scalar(requestparameters, '$.networkInterfaceId')) AS resource_id
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname IN ('DeleteVpc', 'DeleteSubnet', 'DeleteNetworkInterface')
    AND errorcode IS NULL
),
teardowns AS (
  -- Deletions whose every flow log belonged to a resource the same principal deleted soon after.
  SELECT d.eventid AS deletion_event_id
  FROM deletions AS d
  JOIN creations AS c
    ON cardinality(array_intersect(d.flow_log_ids, c.flow_log_ids)) > 0
  JOIN resource_deletions AS v
    ON v.principal = d.principal
   AND v.awsregion = d.awsregion
   AND contains(c.resource_ids, v.resource_id)
   AND v.eventtime >= d.eventtime
   AND {{ trail.event_epoch('v.eventtime') }} - {{ trail.event_epoch('d.eventtime') }}
       <= {{ param('teardown_minutes') }} * 60
  GROUP BY d.eventid
  HAVING cardinality(array_distinct(flatten(array_agg(array_intersect(d.flow_log_ids, c.flow_log_ids)))))
         = max(cardinality(d.flow_log_ids))
)
SELECT
  {{ findings.finding_columns("concat('flow log(s) ', flow_logs, ' deleted in ', awsregion)") }},
  flow_logs
FROM deletions
LEFT JOIN teardowns ON teardowns.deletion_event_id = deletions.eventid
WHERE teardowns.deletion_event_id IS NULL
