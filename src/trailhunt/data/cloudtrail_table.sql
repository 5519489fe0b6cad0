-- The CloudTrail table as AWS documents it for Athena ("Querying AWS CloudTrail logs").
-- Field names keep the camelCase spelling CloudTrail writes in its JSON records; Athena (Hive)
-- folds them to lower case. This file is the single source of truth for the schema: the
-- validator, the DuckDB loader, the Trino conformance table and `trailhunt ddl` all derive from it.
CREATE EXTERNAL TABLE cloudtrail_logs (
  eventVersion STRING,
  userIdentity STRUCT<
    type: STRING,
    principalId: STRING,
    arn: STRING,
    accountId: STRING,
    invokedBy: STRING,
    accessKeyId: STRING,
    userName: STRING,
    onBehalfOf: STRUCT<userId: STRING, identityStoreArn: STRING>,
    sessionContext: STRUCT<
      attributes: STRUCT<mfaAuthenticated: STRING, creationDate: STRING>,
      sessionIssuer: STRUCT<type: STRING, principalId: STRING, arn: STRING, accountId: STRING, userName: STRING>,
      ec2RoleDelivery: STRING,
      webIdFederationData: STRUCT<federatedProvider: STRING, attributes: MAP<STRING, STRING>>
    >
  >,
  eventTime STRING,
  eventSource STRING,
  eventName STRING,
  awsRegion STRING,
  sourceIPAddress STRING,
  userAgent STRING,
  errorCode STRING,
  errorMessage STRING,
  requestParameters STRING,
  responseElements STRING,
  additionalEventData STRING,
  requestID STRING,
  eventID STRING,
  readOnly STRING,
  resources ARRAY<STRUCT<ARN: STRING, accountId: STRING, type: STRING>>,
  eventType STRING,
  apiVersion STRING,
  recipientAccountId STRING,
  serviceEventDetails STRING,
  sharedEventID STRING,
  vpcEndpointId STRING,
  vpcEndpointAccountId STRING,
  eventCategory STRING,
  addendum STRUCT<reason: STRING, updatedFields: STRING, originalRequestID: STRING, originalEventID: STRING>,
  sessionCredentialFromConsole STRING,
  edgeDeviceDetails STRING,
  tlsDetails STRUCT<tlsVersion: STRING, cipherSuite: STRING, clientProvidedHostHeader: STRING>
)
