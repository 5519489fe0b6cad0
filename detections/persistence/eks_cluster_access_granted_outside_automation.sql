{#-
id: eks_cluster_access_granted_outside_automation
title: EKS access entry created or cluster-admin access policy associated
attack: [T1098.006]
confidence: medium
severity: high
description: >
  CreateAccessEntry (a new IAM principal allowed into an EKS cluster) or AssociateAccessPolicy with
  an admin policy (AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy) by a principal that is not
  automation. An intruder with eks:* grants their own IAM identity Kubernetes cluster-admin and
  keeps access inside the cluster. Medium confidence: platform engineers grant access by hand in
  small teams; high severity: cluster-admin runs anything on every node.
tuning: |
  List the pipelines that manage these resources under `automation` (with their user agent or
  network when the same principal is also used by people); AWS services acting for you are excluded.
  Associations of non-admin policies (view, edit) are not reported. Failed calls (errorcode set) are
  reported as attempts, one confidence level lower, with the error in the evidence.
corroborate:
  - "is the principal granted access the caller itself (self-grant)?"
  - "Kubernetes audit logs: what did the new principal do in the cluster?"
  - "did the caller create users, keys or roles in IAM just before?"
response:
  - "List the cluster's access entries: aws eks list-access-entries --cluster-name '{{ finding.cluster }}' --region {{ finding.aws_region }}"
  - "Remove an unknown entry: aws eks delete-access-entry --cluster-name '{{ finding.cluster }}' --principal-arn '{{ finding.granted_principal }}' --region {{ finding.aws_region }}"
  - "Contain the caller if the change is not known: deactivate access key {{ finding.access_key_id }} or revoke the role's sessions"
references:
  - https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
  - https://attack.mitre.org/techniques/T1098/006/
tests:
  - {fixture: cloudtrail/lone/lone_calls_attack.json, context: contexts/iac.yaml, expect: [{event_name: CreateAccessEntry, cluster: prod, granted_principal: "arn:aws:iam::111122223333:user/svc-reporting"}, {event_name: AssociateAccessPolicy, access_policy: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"}], name: attacker_key}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, context: contexts/iac.yaml, expect: 0, name: pipeline_and_safe_direction}
  - {fixture: cloudtrail/lone/lone_calls_benign.json, expect: 1, name: pipeline_unlisted_without_context}
-#}
{%- import 'cloudtrail.sql' as trail with context %}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}
WITH access_changes AS (
  SELECT eventtime, eventname, useridentity, sourceipaddress, awsregion, recipientaccountid, eventid, useragent,
         errorcode,
         json_extract_scalar(requestparameters, '$.clusterName') AS cluster,
         json_extract_scalar(requestparameters, '$.principalArn') AS granted_principal,
         json_extract_scalar(requestparameters, '$.policyArn') AS access_policy,
         -- arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy -> AmazonEKSClusterAdminPolicy
         split_part(coalesce(json_extract_scalar(requestparameters, '$.policyArn'), ''), '/', 2) AS policy_name
  FROM {{ cloudtrail }}
  WHERE {{ trail.in_window() }}
    AND eventsource = 'eks.amazonaws.com'
    AND eventname IN ('CreateAccessEntry', 'AssociateAccessPolicy')
    AND NOT {{ context.is_automation() }}
    AND NOT {{ context.is_aws_service() }}
)
SELECT
  {{ findings.finding_columns("concat(eventname, ' on cluster ', coalesce(cluster, '?'),
      ' for ', coalesce(granted_principal, '?'),
      CASE WHEN access_policy IS NOT NULL THEN concat(' (', policy_name, ')') ELSE '' END)") }},
  cluster,
  granted_principal,
  access_policy
FROM access_changes
WHERE eventname = 'CreateAccessEntry'
   OR policy_name IN ('AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminPolicy')
