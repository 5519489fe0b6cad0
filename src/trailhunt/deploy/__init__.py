"""What goes to AWS: scheduled SQL, EventBridge patterns, CloudFormation, DDL, CloudTrail Lake."""
