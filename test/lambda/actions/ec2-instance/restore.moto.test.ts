import { ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { isolateInstance, restoreInstance } from '../../../../lambda/actions/ec2-instance';
import { incidentSnapshots, readInstanceState, stageInstance } from '../../../support/ec2-staging';
import { uniqueName } from '../../../support/moto';
import { emulatorIam, recordingEc2 } from './support';

const NOW = new Date('2026-12-01T10:00:00.000Z');

describe('restoreInstance, on the emulator', () => {
  const iam = emulatorIam();

  it('puts back the groups, the protection and the tags, starts what it stopped, and keeps the snapshots', async () => {
    const { ec2 } = recordingEc2();
    const staged = await stageInstance(ec2, iam);
    const before = await readInstanceState(ec2, staged.instanceId);
    const incidentId = uniqueName('inc');
    const record = await isolateInstance({
      ec2,
      instanceId: staged.instanceId,
      region: 'us-east-1',
      incidentId,
      now: NOW,
      stop: true,
    });
    const dry = await restoreInstance({ ec2, record, dryRun: true });
    expect(dry.outcomes.map((o) => o.status)).toEqual(dry.outcomes.map(() => 'planned'));
    const restored = await restoreInstance({ ec2, record });
    expect(restored.complete).toBe(true);
    expect(restored.outcomes.map((o) => `${o.status} ${o.action}`).sort()).toEqual(
      [
        'done restore-network-interface-groups',
        'done restore-termination-protection',
        'done restore-instance-tags',
        'done start-instance',
      ].sort(),
    );
    const after = await readInstanceState(ec2, staged.instanceId);
    expect({ ...after, state: undefined }).toEqual({ ...before, state: undefined });
    expect(after.state).toMatch(/^(pending|running)$/);
    expect(await incidentSnapshots(ec2, incidentId)).toHaveLength(1);
    expect(restored.manualSteps.join(' ')).toContain('kept as evidence');
  });

  it('leaves an interface someone moved since, and says so', async () => {
    const { ec2 } = recordingEc2();
    const staged = await stageInstance(ec2, iam);
    const record = await isolateInstance({
      ec2,
      instanceId: staged.instanceId,
      region: 'us-east-1',
      incidentId: uniqueName('inc'),
      now: NOW,
    });
    const eni = (await readInstanceState(ec2, staged.instanceId)).interfaces[0].id!;
    await ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, Groups: [staged.groupIds[1]] }),
    );
    const restored = await restoreInstance({ ec2, record });
    expect(restored.outcomes.find((o) => o.action === 'restore-network-interface-groups')).toMatchObject({
      status: 'already-done',
      detail: `changed since isolation (now in ${staged.groupIds[1]}): left as it is`,
    });
    expect((await readInstanceState(ec2, staged.instanceId)).interfaces[0].groups).toEqual([
      staged.groupIds[1],
    ]);
  });
});
