import { globalEventsRegionOf, partitionOfRegion } from './regions';
import type { CordonConfig } from './schema';

/**
 * The regions that get a forwarder: the configured ones, and the home partition's global events
 * region (where its IAM events arrive: us-east-1, us-gov-west-1 or cn-north-1) when it is not home.
 * The schema has already refused regions of another partition than home's. Pure: the stacks and
 * the Lambda (which protects the forwarders' roles) both use it.
 */
export function forwarderRegions(config: Pick<CordonConfig, 'homeRegion' | 'regions'>): string[] {
  const regions = new Set<string>(config.regions);
  const globalEventsRegion = globalEventsRegionOf(partitionOfRegion(config.homeRegion));
  if (config.homeRegion !== globalEventsRegion) regions.add(globalEventsRegion);
  return [...regions];
}
