import { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { enabledRegions } from '../../../lambda/sweep/regions';
import { emulatorClientConfig, sharedMotoUrl } from '../../support/moto';

describe('enabledRegions', () => {
  it("lists the account's regions of the watched partition (moto lists GovCloud's too; one account has one partition)", async () => {
    const ec2 = new EC2Client(emulatorClientConfig(sharedMotoUrl()));
    const { regions, note } = await enabledRegions(ec2, ['us-east-1']);
    expect(note).toBeUndefined();
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2']));
    expect(regions.filter((region) => region.startsWith('us-gov-') || region.startsWith('cn-'))).toEqual([]);
    expect([...regions].sort()).toEqual(regions);
  });

  it('falls back to the watched regions, and says so, when the regions cannot be listed', async () => {
    // aws-sdk-client-mock: a refusal the emulator does not give.
    const ec2 = new EC2Client({ region: 'us-east-1' });
    mockClient(ec2)
      .onAnyCommand()
      .rejects(Object.assign(new Error('not allowed'), { name: 'UnauthorizedOperation' }));
    const { regions, note } = await enabledRegions(ec2, ['eu-west-1', 'us-east-1', 'eu-west-1']);
    expect(regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(note).toContain('UnauthorizedOperation: not allowed');
    expect(note).toContain('sweep the others by hand');
  });
});
