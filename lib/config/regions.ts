/**
 * AWS regions Cordon can be deployed to or cover. Kept by hand: neither the SDK nor aws-cdk-lib
 * exposes a runtime list that works offline (cdk's RegionInfo lists regions it has facts for, which
 * lags behind launches and includes ones we cannot deploy to). Add a region here when AWS opens it.
 */
export const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'cn-north-1',
  'cn-northwest-1',
] as const;

export type AwsRegion = (typeof AWS_REGIONS)[number];

/** The region where IAM and other global services deliver their CloudTrail events to EventBridge. */
export const GLOBAL_EVENTS_REGION: AwsRegion = 'us-east-1';
