{#-
id: ec2_traffic_mirroring_created
title: EC2 traffic mirroring set up outside automation
attack: [T1040]
confidence: medium
severity: high
description: >
  CreateTrafficMirrorSession, CreateTrafficMirrorTarget or CreateTrafficMirrorFilter by a principal
  that is not automation. A mirror session copies every packet of an instance's network interface to
  a target the caller chooses, which is how an intruder sniffs credentials and data in transit
  without touching the instance. Medium confidence: network monitoring (IDS appliances) uses
  mirroring, normally set up by IaC; high severity: the traffic of production interfaces leaves for
  the attacker's target.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Failed calls (errorcode set) are reported as attempts, one confidence level lower, with the error
  in the evidence.
corroborate:
  - "does the mirror target (an ENI or NLB) belong to an instance you know, and who launched it?"
  - "which interfaces are mirrored (requestParameters NetworkInterfaceId) and what runs on them?"
  - "did the same principal launch instances, import key pairs or open security groups just before?"
response:
  - "List mirror sessions: aws ec2 describe-traffic-mirror-sessions --region {{ finding.aws_region }}"
  - "Delete an unknown session: aws ec2 delete-traffic-mirror-session --traffic-mirror-session-id SESSION_ID --region {{ finding.aws_region }}"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/vpc/latest/mirroring/what-is-traffic-mirroring.html
  - https://attack.mitre.org/techniques/T1040/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: CreateTrafficMirrorTarget}, {event_name: CreateTrafficMirrorFilter}, {event_name: CreateTrafficMirrorSession, mirrored_interface: eni-0a9b8c7d6e5f40312}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
{%- set interface = "json_extract_scalar(requestparameters,
    '$.CreateTrafficMirrorSessionRequest.NetworkInterfaceId')" %}
SELECT
  {{ findings.finding_columns("concat(eventname, ' in ', awsregion, CASE WHEN " ~ interface ~ " IS NOT NULL
      THEN concat(': mirrors ', " ~ interface ~ ") ELSE '' END)") }},
  {{ interface }} AS mirrored_interface
FROM {{ cloudtrail }}
WHERE {{ trail.in_window() }}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname IN ('CreateTrafficMirrorSession', 'CreateTrafficMirrorTarget', 'CreateTrafficMirrorFilter')
  AND NOT {{ context.is_automation() }}
  AND NOT {{ context.is_aws_service() }}
