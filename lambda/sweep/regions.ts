/**
 * The regions a sweep reads: every region enabled in the account (EC2 DescribeRegions answers
 * only those by default), since a stolen key is used wherever the attacker likes, not only where
 * Cordon watches. When they cannot be listed, the regions Cordon watches, and the report says so.
 */
import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { errorOf } from '../actions/types';
import { partitionOfRegion } from '../config/regions';

export const ENABLED_REGIONS_PERMISSIONS = ['ec2:DescribeRegions'] as const;

export async function enabledRegions(
  ec2: EC2Client,
  watched: readonly string[],
): Promise<{ readonly regions: readonly string[]; readonly note?: string }> {
  try {
    const answer = await ec2.send(new DescribeRegionsCommand({}));
    // Only the partition of the regions Cordon watches: one account lives in one partition.
    const partition = partitionOfRegion(watched[0] ?? 'us-east-1');
    const regions = (answer.Regions ?? [])
      .map((region) => region.RegionName)
      .filter((name): name is string => typeof name === 'string' && name !== '')
      .filter((name) => partitionOfRegion(name) === partition)
      .sort();
    if (regions.length > 0) return { regions };
    throw new Error('DescribeRegions answered no region');
  } catch (thrown) {
    const error = errorOf(thrown);
    return {
      regions: [...new Set(watched)].sort(),
      note: `the enabled regions could not be listed (${error.name}: ${error.message}): only the watched regions ${[...new Set(watched)].join(', ')} were read; sweep the others by hand`,
    };
  }
}
