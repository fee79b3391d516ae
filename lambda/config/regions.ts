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

/**
 * Every AWS partition but `aws`, by the prefix of its region names (the prefixes of the region
 * patterns in the SDK's endpoint rules, `partitions.json` in `@aws-sdk/core`). A region with none of
 * these prefixes is in `aws`. Kept here rather than calling the SDK's `partition()`: that one is
 * endpoint-resolution internals, replaceable at run time (`setPartitionInfo`), and not a dependency
 * of ours.
 */
const PARTITION_PREFIXES = {
  'aws-cn': 'cn-',
  'aws-us-gov': 'us-gov-',
  'aws-iso': 'us-iso-',
  'aws-iso-b': 'us-isob-',
  'aws-iso-e': 'eu-isoe-',
  'aws-iso-f': 'us-isof-',
  'aws-eusc': 'eusc-',
} as const satisfies Readonly<Record<string, string>>;

type PrefixedPartition = keyof typeof PARTITION_PREFIXES;

/** Every AWS partition: each is a separate AWS, with its own accounts and IAM. */
export type Partition = 'aws' | PrefixedPartition;

/** The partition of a region name, read from the same table as `partitionOfRegion`, for types. */
type PartitionOf<R extends string> = R extends unknown
  ? [PrefixMatch<R>] extends [never]
    ? 'aws'
    : PrefixMatch<R>
  : never;
type PrefixMatch<R extends string> = {
  [P in PrefixedPartition]: R extends `${(typeof PARTITION_PREFIXES)[P]}${string}` ? P : never;
}[PrefixedPartition];

/** The partitions of the regions of AWS_REGIONS (derived from the table above). */
export type AwsPartition = PartitionOf<AwsRegion>;

/** The partitions of AWS_REGIONS, as a list (a test checks it against AwsPartition's regions). */
export const AWS_PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const satisfies readonly AwsPartition[];

const PARTITION_BY_PREFIX: readonly (readonly [string, PrefixedPartition])[] = Object.entries(
  PARTITION_PREFIXES,
).map(([partition, prefix]) => [prefix, partition as PrefixedPartition]);

/**
 * The partition any region name belongs to, by its documented fixed prefix: `aws-cn` for cn-*,
 * `aws-us-gov` for us-gov-*, `aws-iso` for us-iso-*, `aws-iso-b` for us-isob-*, `aws-iso-e` for
 * eu-isoe-*, `aws-iso-f` for us-isof-*, `aws-eusc` for eusc-*, else `aws`. Typed narrowly for a
 * region of AWS_REGIONS.
 */
export function partitionOfRegion(region: AwsRegion): AwsPartition;
export function partitionOfRegion(region: string): Partition;
export function partitionOfRegion(region: string): Partition {
  for (const [prefix, partition] of PARTITION_BY_PREFIX) if (region.startsWith(prefix)) return partition;
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
