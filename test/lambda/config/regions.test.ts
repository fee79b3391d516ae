import {
  AWS_PARTITIONS,
  AWS_REGIONS,
  GLOBAL_EVENTS_REGION,
  globalEventsRegionOf,
  partitionOfRegion,
} from '../../../lambda/config/regions';

describe('regions and partitions', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-west-1', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
  ] as const)('puts %s in partition %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });

  it.each([
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['ap-southeast-7', 'aws'],
    ['not-a-region', 'aws'],
  ])('puts any region name %s in partition %s', (region: string, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });

  it('knows where each partition delivers its global (IAM) events', () => {
    expect(globalEventsRegionOf('aws')).toBe('us-east-1');
    expect(globalEventsRegionOf('aws-us-gov')).toBe('us-gov-west-1');
    expect(globalEventsRegionOf('aws-cn')).toBe('cn-north-1');
    expect(GLOBAL_EVENTS_REGION).toBe('us-east-1');
  });

  it("has a global events region in each partition's own regions, and every region in a partition", () => {
    for (const partition of AWS_PARTITIONS) {
      expect(partitionOfRegion(globalEventsRegionOf(partition))).toBe(partition);
    }
    expect(new Set(AWS_REGIONS.map(partitionOfRegion))).toEqual(new Set(AWS_PARTITIONS));
  });
});
