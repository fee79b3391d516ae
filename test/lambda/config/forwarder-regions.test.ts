import { parseConfig } from '../../../lambda/config/load';
import { forwarderRegions } from '../../../lambda/config/forwarder-regions';

describe('forwarderRegions', () => {
  it.each([
    [{}, []],
    [{ regions: ['eu-west-1'] }, ['eu-west-1']],
    [{ homeRegion: 'eu-west-1' }, ['us-east-1']],
    [{ homeRegion: 'eu-west-1', regions: ['us-east-1', 'eu-central-1'] }, ['us-east-1', 'eu-central-1']],
    [{ homeRegion: 'us-gov-east-1' }, ['us-gov-west-1']],
    [{ homeRegion: 'cn-northwest-1' }, ['cn-north-1']],
  ])('for %j: %j (the partition IAM region when it is not home)', (config, expected) => {
    expect(forwarderRegions(parseConfig(config))).toEqual(expected);
  });
});
