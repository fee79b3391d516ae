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

/** The AWS partitions of the regions above: each is a separate AWS, with its own accounts and IAM. */
export const AWS_PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;

export type AwsPartition = (typeof AWS_PARTITIONS)[number];

/** The partition a region of AWS_REGIONS belongs to: `aws-us-gov` for us-gov-*, `aws-cn` for cn-*, else `aws`. */
export function partitionOfRegion(region: AwsRegion): AwsPartition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/**
 * Where IAM and the other global services of each partition deliver their CloudTrail events to
 * EventBridge: us-east-1 for `aws`, us-gov-west-1 for `aws-us-gov`, cn-north-1 for `aws-cn`.
 */
const GLOBAL_EVENTS_REGIONS: Readonly<Record<AwsPartition, AwsRegion>> = {
  aws: 'us-east-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-cn': 'cn-north-1',
};

/** The region where the partition's global services (IAM, STS's global endpoint, ...) send their events. */
export function globalEventsRegionOf(partition: AwsPartition): AwsRegion {
  return GLOBAL_EVENTS_REGIONS[partition];
}

/** The region where IAM and other global services of the commercial partition (`aws`) deliver their events. */
export const GLOBAL_EVENTS_REGION: AwsRegion = globalEventsRegionOf('aws');
