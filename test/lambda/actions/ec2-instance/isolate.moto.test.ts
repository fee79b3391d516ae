import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  isolateInstance,
  ISOLATION_GROUP_NAME,
  UNTRACK_GROUP_NAME,
} from '../../../../lambda/actions/ec2-instance';
import { incidentSnapshots, readInstanceState, stageInstance } from '../../../support/ec2-staging';
import { uniqueName } from '../../../support/moto';
import { emulatorIam, recordingEc2, rulesOf } from './support';

const NOW = new Date('2026-12-01T10:00:00.000Z');

describe('isolateInstance, on the emulator', () => {
  const iam = emulatorIam();

  it('moves every interface through the untrack group to the isolation group, snapshots, protects and tags, and leaves it running', async () => {
    const { ec2, calls } = recordingEc2();
    const staged = await stageInstance(ec2, iam);
    const incidentId = uniqueName('inc');
    calls.length = 0;
    const result = await isolateInstance({
      ec2,
      instanceId: staged.instanceId,
      region: 'us-east-1',
      incidentId,
      now: NOW,
    });

    expect(result).toMatchObject({
      effective: true,
      failures: 0,
      vpcId: staged.vpcId,
      subject: `EC2 instance ${staged.instanceId} (us-east-1)`,
    });
    const isolation = await rulesOf(ec2, result.isolationGroupId!);
    expect(isolation).toEqual({ name: ISOLATION_GROUP_NAME, vpcId: staged.vpcId, ingress: [], egress: [] });
    const state = await readInstanceState(ec2, staged.instanceId);
    expect(state.interfaces.map((eni) => eni.groups)).toEqual([[result.isolationGroupId]]);
    expect(state).toMatchObject({
      state: 'running',
      terminationProtection: true,
      cordonTags: { 'cordon:incident': incidentId, 'cordon:isolated-at': NOW.toISOString() },
    });
    const snapshots = await incidentSnapshots(ec2, incidentId);
    expect(snapshots).toHaveLength(1);
    expect(result.snapshotIds).toEqual([snapshots[0].SnapshotId]);

    // The untrack step comes first on each interface, then the isolation group.
    const swaps = calls
      .filter((c) => c.command === 'ModifyNetworkInterfaceAttribute')
      .map((c) => c.input.Groups);
    const untrackId = swaps[0] as string[];
    expect(swaps).toEqual([untrackId, [result.isolationGroupId]]);
    const untrack = await rulesOf(ec2, untrackId[0]);
    expect(untrack.name).toBe(UNTRACK_GROUP_NAME);
    for (const rules of [untrack.ingress, untrack.egress]) {
      expect(rules.flatMap((r) => (r.IpRanges ?? []).map((x) => x.CidrIp))).toContain('0.0.0.0/0');
      expect(rules.flatMap((r) => (r.Ipv6Ranges ?? []).map((x) => x.CidrIpv6))).toContain('::/0');
      expect(rules.every((r) => r.IpProtocol === '-1')).toBe(true);
    }
    expect(result.outcomes.map((o) => `${o.status} ${o.action}`).sort()).toEqual(
      [
        'done ensure-isolation-groups',
        'done isolate-network-interface',
        'done snapshot-volume',
        'done enable-termination-protection',
        'done tag-instance',
      ].sort(),
    );
  });

  it('is already done the second time, with no new snapshot, and reuses the groups of the VPC; another VPC gets its own', async () => {
    const { ec2, calls } = recordingEc2();
    const staged = await stageInstance(ec2, iam);
    const incidentId = uniqueName('inc');
    const first = await isolateInstance({
      ec2,
      instanceId: staged.instanceId,
      region: 'us-east-1',
      incidentId,
      now: NOW,
    });
    calls.length = 0;
    const second = await isolateInstance({
      ec2,
      instanceId: staged.instanceId,
      region: 'us-east-1',
      incidentId,
      now: NOW,
    });
    expect(second.outcomes.map((o) => o.status)).toEqual(second.outcomes.map(() => 'already-done'));
    expect(calls.map((c) => c.command).filter((c) => !c.startsWith('Describe'))).toEqual([]);
    expect(await incidentSnapshots(ec2, incidentId)).toHaveLength(1);

    const neighbour = await stageInstance(ec2, iam, staged);
    const beside = await isolateInstance({
      ec2,
      instanceId: neighbour.instanceId,
      region: 'us-east-1',
      incidentId: uniqueName('inc'),
      now: NOW,
    });
    expect(beside.isolationGroupId).toBe(first.isolationGroupId);
    const elsewhere = await stageInstance(ec2, iam);
    const far = await isolateInstance({
      ec2,
      instanceId: elsewhere.instanceId,
      region: 'us-east-1',
      incidentId: uniqueName('inc'),
      now: NOW,
    });
    expect(far.isolationGroupId).not.toBe(first.isolationGroupId);
    expect((await rulesOf(ec2, far.isolationGroupId!)).vpcId).toBe(elsewhere.vpcId);
  });

  it('changes nothing in a dry run, and says what it would do', async () => {
    const { ec2, calls } = recordingEc2();
    const staged = await stageInstance(ec2, iam);
    const before = await readInstanceState(ec2, staged.instanceId);
    calls.length = 0;
    const result = await isolateInstance({
      ec2,
      instanceId: staged.instanceId,
      region: 'us-east-1',
      incidentId: uniqueName('inc'),
      now: NOW,
      dryRun: true,
    });
    expect(result.effective).toBe(false);
    expect(result.outcomes.map((o) => o.status)).toEqual(result.outcomes.map(() => 'planned'));
    expect(calls.map((c) => c.command).filter((c) => !c.startsWith('Describe'))).toEqual([]);
    expect(await readInstanceState(ec2, staged.instanceId)).toEqual(before);
  });

  it('stops the instance when asked, after isolating it', async () => {
    const { ec2, calls } = recordingEc2();
    const staged = await stageInstance(ec2, iam);
    calls.length = 0;
    const result = await isolateInstance({
      ec2,
      instanceId: staged.instanceId,
      region: 'us-east-1',
      incidentId: uniqueName('inc'),
      now: NOW,
      stop: true,
    });
    expect(result.outcomes.find((o) => o.action === 'stop-instance')).toMatchObject({
      status: 'done',
      before: { state: 'running' },
    });
    const writes = calls.map((c) => c.command);
    expect(writes.indexOf('StopInstances')).toBeGreaterThan(
      writes.lastIndexOf('ModifyNetworkInterfaceAttribute'),
    );
    expect((await readInstanceState(ec2, staged.instanceId)).state).toMatch(/^stopp/);
  });

  it('reports a terminated or unknown instance (a stale finding) and changes nothing', async () => {
    const { ec2, calls } = recordingEc2();
    const staged = await stageInstance(ec2, iam);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [staged.instanceId] }));
    calls.length = 0;
    const terminated = await isolateInstance({
      ec2,
      instanceId: staged.instanceId,
      region: 'us-east-1',
      incidentId: 'inc-x',
      now: NOW,
    });
    expect(terminated).toMatchObject({ effective: false, failures: 1 });
    expect(terminated.outcomes).toEqual([
      expect.objectContaining({
        action: 'read-instance',
        status: 'failed',
        detail: expect.stringContaining('is terminated: nothing to isolate'),
      }),
    ]);
    expect(calls.map((c) => c.command).filter((c) => !c.startsWith('Describe'))).toEqual([]);
    const unknown = await isolateInstance({
      ec2,
      instanceId: 'i-0123456789abcdef0',
      region: 'us-east-1',
      incidentId: 'inc-x',
      now: NOW,
    });
    expect(unknown.effective).toBe(false);
    expect(unknown.outcomes[0].detail).toContain('i-0123456789abcdef0 could not be read');
    expect(unknown.outcomes[0].detail).toContain('does not exist in us-east-1');
  });
});
