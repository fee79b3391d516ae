/**
 * isolateInstance against moto (the shared server of the jest global setup), each test in VPCs of
 * its own: the whole isolation as the account sees it afterwards, the second run, one group pair
 * per VPC, the dry run, the stop, stale findings, the dataflow (which call waits for which) and
 * failures that stop nothing else. moto has no instance without a VPC (EC2-Classic is gone): that
 * answer is rewritten.
 */
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  INSTANCE_CONTAINMENT_RECORD_KIND,
  isolateInstance,
  ISOLATION_GROUP_NAME,
  UNTRACK_GROUP_NAME,
  type InstanceContainmentResult,
} from '../../../../lambda/actions/ec2-instance';
import { uniqueName } from '../../../support/moto';
import {
  EmulatorEc2,
  emulatorIam,
  groupOf,
  groupsNamed,
  NOW,
  observe,
  REGION,
  snapshotsOf,
  stageTarget,
  type IsolationTarget,
} from './support';

const iam = emulatorIam();

const isolate = (
  emu: EmulatorEc2,
  target: { instanceId: string },
  more: { incidentId?: string; dryRun?: boolean; stop?: boolean } = {},
) =>
  isolateInstance({
    ec2: emu.ec2,
    instanceId: target.instanceId,
    region: REGION,
    incidentId: more.incidentId ?? uniqueName('inc'),
    now: NOW,
    dryRun: more.dryRun,
    stop: more.stop,
  });

const statuses = (result: InstanceContainmentResult) =>
  result.outcomes.map((o) => `${o.status} ${o.action} ${o.target}`);

describe('isolateInstance on the emulator', () => {
  it('moves every interface through the untrack group to the isolation group, snapshots every volume, protects and tags it, and leaves it running', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam);
    const [eni0, eni1] = target.interfaceIds;
    const [rootVolume, dataVolume] = target.volumeIds;
    const [web, ssh] = target.groupIds;
    const before = await observe(emu.ec2, target.instanceId);
    const incidentId = uniqueName('inc');
    emu.clear();

    const result = await isolate(emu, target, { incidentId });

    const isolation = result.isolationGroupId!;
    const untrack = result.untrackGroupId!;
    expect(await observe(emu.ec2, target.instanceId)).toEqual({
      state: 'running',
      groups: { [eni0]: [isolation], [eni1]: [isolation] },
      terminationProtection: true,
      tags: { ...before.tags, 'cordon:incident': incidentId, 'cordon:isolated-at': NOW.toISOString() },
    });
    expect(await groupOf(emu.ec2, isolation)).toEqual({
      name: ISOLATION_GROUP_NAME,
      vpcId: target.vpcId,
      tags: { 'cordon:purpose': 'isolation' },
      ingress: [],
      egress: [],
    });
    expect(await groupOf(emu.ec2, untrack)).toEqual({
      name: UNTRACK_GROUP_NAME,
      vpcId: target.vpcId,
      tags: { 'cordon:purpose': 'untrack' },
      ingress: ['all 0.0.0.0/0', 'all ::/0'],
      egress: ['all 0.0.0.0/0', 'all ::/0'],
    });
    // Untrack first, then isolation, on each interface.
    for (const eni of [eni0, eni1]) {
      expect(emu.swaps().filter(([id]) => id === eni)).toEqual([
        [eni, [untrack]],
        [eni, [isolation]],
      ]);
    }
    const snapshots = await snapshotsOf(emu.ec2, incidentId);
    expect(snapshots).toEqual(
      [rootVolume, dataVolume]
        .map((volumeId) => ({
          snapshotId: expect.stringMatching(/^snap-/),
          volumeId,
          description: `Cordon incident ${incidentId}: ${volumeId} of ${target.instanceId}, taken when it was isolated`,
          tags: {
            'cordon:incident': incidentId,
            'cordon:instance': target.instanceId,
            'cordon:volume': volumeId,
          },
        }))
        .sort((a, b) => (a.volumeId < b.volumeId ? -1 : 1)),
    );
    expect([...result.snapshotIds].sort()).toEqual(snapshots.map((s) => s.snapshotId).sort());

    expect(result).toMatchObject({
      kind: INSTANCE_CONTAINMENT_RECORD_KIND,
      schemaVersion: 1,
      incidentId,
      dryRun: false,
      startedAt: NOW.toISOString(),
      subject: `EC2 instance ${target.instanceId} (us-east-1)`,
      instanceId: target.instanceId,
      region: REGION,
      vpcId: target.vpcId,
      effective: true,
      failures: 0,
    });
    expect(statuses(result)).toEqual([
      `done ensure-isolation-groups vpc/${target.vpcId}`,
      `done isolate-network-interface network-interface/${eni0}`,
      `done isolate-network-interface network-interface/${eni1}`,
      `done snapshot-volume volume/${rootVolume}`,
      `done snapshot-volume volume/${dataVolume}`,
      `done enable-termination-protection instance/${target.instanceId}`,
      `done tag-instance instance/${target.instanceId}`,
    ]);
    expect(result.outcomes[0].detail).toBe(
      `made ${ISOLATION_GROUP_NAME} ${isolation} in ${target.vpcId}, its default egress revoked: no rule in or out; made ${UNTRACK_GROUP_NAME} ${untrack} in ${target.vpcId}: all traffic in and out`,
    );
    expect(result.outcomes[1]).toEqual({
      action: 'isolate-network-interface',
      target: `network-interface/${eni0}`,
      status: 'done',
      detail: `moved from ${web}, ${ssh} through ${UNTRACK_GROUP_NAME} ${untrack} to ${ISOLATION_GROUP_NAME} ${isolation} (no rule): established connections cut too`,
      before: { groupIds: [web, ssh] },
    });
    expect(result.outcomes[2].before).toEqual({ groupIds: [ssh] });
    expect(result.outcomes.slice(5)).toEqual([
      expect.objectContaining({ before: { enabled: false } }),
      expect.objectContaining({ before: { 'cordon:incident': null, 'cordon:isolated-at': null } }),
    ]);
    expect(result.before).toEqual({
      instance: {
        ok: true,
        value: {
          state: 'running',
          vpcId: target.vpcId,
          networkInterfaces: [
            { networkInterfaceId: eni0, vpcId: target.vpcId, groupIds: [web, ssh] },
            { networkInterfaceId: eni1, vpcId: target.vpcId, groupIds: [ssh] },
          ],
          volumeIds: [rootVolume, dataVolume],
          tags: [],
        },
      },
      terminationProtection: { ok: true, value: false },
    });
    expect(result.manualSteps).toEqual([
      expect.stringMatching(
        new RegExp(`^To reach ${target.instanceId} for forensics .* never in cordon-isolation`),
      ),
      expect.stringMatching(/^Its established connections were cut too, except those EC2 always tracks/),
    ]);
    // Plain JSON: the record survives a round trip through the store.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('is already done the second time, with no new snapshot; the VPC keeps one pair of groups; another VPC gets its own', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam);
    const incidentId = uniqueName('inc');
    const first = await isolate(emu, target, { incidentId });
    emu.clear();

    const second = await isolate(emu, target, { incidentId });
    expect(second.outcomes.map((o) => o.status)).toEqual(Array(7).fill('already-done'));
    expect(emu.writes()).toEqual([]);
    expect(second.snapshotIds).toEqual(first.snapshotIds);
    expect(await snapshotsOf(emu.ec2, incidentId)).toHaveLength(2);
    expect(second.before.terminationProtection).toEqual({ ok: true, value: true });
    expect(second.effective).toBe(true);
    // A dry run now: nothing to do, said as planned.
    const dryAgain = await isolate(emu, target, { incidentId, dryRun: true });
    expect(dryAgain.outcomes.map((o) => [o.status, o.detail.startsWith('nothing to do: ')])).toEqual(
      Array(7).fill(['planned', true]),
    );

    // A neighbour in the same VPC: a dry run names the groups in place; the real run reuses them.
    const neighbour = await stageTarget(emu.ec2, iam, { beside: target, extras: false });
    const planned = await isolate(emu, neighbour, { dryRun: true });
    expect(planned.outcomes[0].detail).toBe(
      `nothing to do: ${ISOLATION_GROUP_NAME} and ${UNTRACK_GROUP_NAME} in place`,
    );
    expect(statuses(planned).slice(0, 2)).toEqual([
      `planned ensure-isolation-groups vpc/${target.vpcId}`,
      `planned isolate-network-interface network-interface/${neighbour.interfaceIds[0]}`,
    ]);
    expect(planned.outcomes[1].detail).toBe(
      `would move from ${target.groupIds.join(', ')} to ${UNTRACK_GROUP_NAME} ${first.untrackGroupId}, then to ${ISOLATION_GROUP_NAME} ${first.isolationGroupId} (no rule): established connections cut too`,
    );
    const beside = await isolate(emu, neighbour);
    expect([beside.isolationGroupId, beside.untrackGroupId]).toEqual([
      first.isolationGroupId,
      first.untrackGroupId,
    ]);
    expect(beside.outcomes[0].status).toBe('already-done');
    expect(await groupsNamed(emu.ec2, target.vpcId, ISOLATION_GROUP_NAME)).toEqual([first.isolationGroupId]);
    expect(await groupsNamed(emu.ec2, target.vpcId, UNTRACK_GROUP_NAME)).toEqual([first.untrackGroupId]);

    const elsewhere = await stageTarget(emu.ec2, iam, { extras: false });
    const far = await isolate(emu, elsewhere);
    expect(far.isolationGroupId).not.toBe(first.isolationGroupId);
    expect(far.untrackGroupId).not.toBe(first.untrackGroupId);
    expect((await groupOf(emu.ec2, far.isolationGroupId!)).vpcId).toBe(elsewhere.vpcId);
    expect((await groupOf(emu.ec2, far.untrackGroupId!)).vpcId).toBe(elsewhere.vpcId);
  });

  it('changes nothing in a dry run, and says what it would do', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam);
    const before = await observe(emu.ec2, target.instanceId);
    const incidentId = uniqueName('inc');
    emu.clear();

    const result = await isolate(emu, target, { incidentId, dryRun: true, stop: true });

    expect(emu.writes()).toEqual([]);
    expect(await observe(emu.ec2, target.instanceId)).toEqual(before);
    expect(await groupsNamed(emu.ec2, target.vpcId, ISOLATION_GROUP_NAME)).toEqual([]);
    expect(await snapshotsOf(emu.ec2, incidentId)).toEqual([]);
    expect(result.outcomes.map((o) => o.status)).toEqual(Array(8).fill('planned'));
    expect(result.outcomes[0].detail).toBe(
      `would make ${ISOLATION_GROUP_NAME} in ${target.vpcId} (no rule in or out); would make ${UNTRACK_GROUP_NAME} in ${target.vpcId} (all traffic in and out)`,
    );
    expect(result.outcomes.at(-1)).toMatchObject({ action: 'stop-instance', before: { state: 'running' } });
    expect(result).toMatchObject({
      dryRun: true,
      effective: false,
      failures: 0,
      isolationGroupId: null,
      untrackGroupId: null,
      snapshotIds: [],
      manualSteps: [],
    });
  });

  it('stops the instance when asked, once its network is cut and its volumes snapshotted', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam);
    emu.clear();

    const result = await isolate(emu, target, { stop: true });

    expect(result.outcomes.at(-1)).toEqual({
      action: 'stop-instance',
      target: `instance/${target.instanceId}`,
      status: 'done',
      detail: 'stopping (instanceIsolation.stopInstance); its EBS volumes are kept',
      before: { state: 'running' },
    });
    const commands = emu.calls.map((c) => c.command);
    const stop = commands.indexOf('StopInstances');
    expect(commands.filter((c) => c === 'StopInstances')).toHaveLength(1);
    expect(commands.lastIndexOf('ModifyNetworkInterfaceAttribute')).toBeLessThan(stop);
    expect(commands.lastIndexOf('CreateSnapshot')).toBeLessThan(stop);
    // moto stops at once (AWS would answer `stopping` first).
    expect((await observe(emu.ec2, target.instanceId)).state).toBe('stopped');
    expect(result.manualSteps!.some((step) => step.includes('forensics'))).toBe(false);

    // Stopped already: nothing to stop, and restore will not start it.
    const again = await isolate(emu, target, { incidentId: result.incidentId, stop: true });
    expect(again.outcomes.at(-1)).toMatchObject({ status: 'already-done', before: { state: 'stopped' } });
  });

  it('reports a terminated instance (a stale finding): one failed outcome that says why, and no other call', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam, { extras: false });
    await emu.ec2.send(new TerminateInstancesCommand({ InstanceIds: [target.instanceId] }));
    emu.clear();

    const result = await isolate(emu, target, { incidentId: 'inc-stale' });

    const detail = `instance ${target.instanceId} is terminated: nothing to isolate (a stale finding); its volumes go with it, except any kept on termination, and no snapshot was taken`;
    expect(result.outcomes).toEqual([
      {
        action: 'read-instance',
        target: `instance/${target.instanceId}`,
        status: 'failed',
        detail,
        before: null,
        error: { name: 'InstanceTerminated', message: detail },
      },
    ]);
    expect(result).toMatchObject({ effective: false, failures: 1, isolationGroupId: null, snapshotIds: [] });
    expect(result.before.terminationProtection).toBeNull();
    expect(result.manualSteps).toEqual([
      `Check what ${target.instanceId} did while it ran (CloudTrail, VPC Flow Logs) and close what it opened: it can no longer be isolated.`,
    ]);
    expect(emu.calls.map((c) => c.command).sort()).toEqual(['DescribeInstances', 'DescribeSecurityGroups']);
  });

  it('reports an unknown instance, and one that could not be read, without isolating anything', async () => {
    const emu = new EmulatorEc2();
    const unknown = await isolate(emu, { instanceId: 'i-0123456789abcdef0' }, { incidentId: 'inc-stale' });
    expect(unknown.outcomes).toEqual([
      expect.objectContaining({
        action: 'read-instance',
        status: 'failed',
        detail:
          'instance i-0123456789abcdef0 no longer exists in us-east-1: nothing to isolate (a stale finding, or one from another region); its volumes go with it, except any kept on termination, and no snapshot was taken',
        error: expect.objectContaining({ name: 'InstanceNotFound' }),
      }),
    ]);
    expect(unknown.effective).toBe(false);

    const target = await stageTarget(emu.ec2, iam, { extras: false });
    emu.clear();
    emu.fail('DescribeInstances', 'RequestLimitExceeded', { message: 'Request limit exceeded.' });
    const unread = await isolate(emu, target);
    expect(unread.outcomes).toEqual([
      expect.objectContaining({
        status: 'failed',
        detail: `instance ${target.instanceId} could not be read, so nothing was isolated: RequestLimitExceeded: Request limit exceeded.`,
      }),
    ]);
    expect(emu.writes()).toEqual([]);
  });

  it('fails the network isolation of an instance without VPC, and still snapshots, protects and tags it', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam, { extras: false });
    emu.clear();
    // moto has no instance outside a VPC: its answer loses the VPC and the interfaces.
    emu.rewrite('DescribeInstances', (output) => {
      const reservations = output.Reservations as { Instances: Record<string, unknown>[] }[];
      for (const instance of reservations[0].Instances) {
        delete instance.VpcId;
        delete instance.NetworkInterfaces;
      }
      return output;
    });

    const result = await isolate(emu, target);

    expect(statuses(result)).toEqual([
      `failed isolate-network-interface instance/${target.instanceId}`,
      `done snapshot-volume volume/${target.volumeIds[0]}`,
      `done enable-termination-protection instance/${target.instanceId}`,
      `done tag-instance instance/${target.instanceId}`,
    ]);
    expect(result.outcomes[0].detail).toBe(
      `NOT isolated: ${target.instanceId} has no VPC, so no security group can cut it off; stop it, or deny its addresses in its subnet's network ACL`,
    );
    expect(result.effective).toBe(false);
    expect(emu.calls.map((c) => c.command)).not.toContain('ModifyNetworkInterfaceAttribute');
    expect(emu.calls.map((c) => c.command)).not.toContain('CreateSecurityGroup');
    expect(result.manualSteps).toEqual([expect.stringMatching(/is NOT isolated .*isolate it by hand now/)]);
  });

  it('lets no failed call stop another: a refused snapshot, protection and tag leave the isolation and the other snapshot done', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam);
    const [rootVolume, dataVolume] = target.volumeIds;
    emu.clear();
    emu.fail('CreateSnapshot', 'SnapshotCreationPerVolumeRateExceeded', {
      match: (i) => i.VolumeId === rootVolume,
    });
    emu.fail('DescribeInstanceAttribute', 'UnauthorizedOperation', { times: 1 });
    emu.fail('ModifyInstanceAttribute', 'UnauthorizedOperation', { times: 1 });
    emu.fail('CreateTags', 'UnauthorizedOperation', {
      match: (i) => (i.Resources as string[])[0] === target.instanceId,
    });

    const result = await isolate(emu, target);

    expect(statuses(result)).toEqual([
      `done ensure-isolation-groups vpc/${target.vpcId}`,
      `done isolate-network-interface network-interface/${target.interfaceIds[0]}`,
      `done isolate-network-interface network-interface/${target.interfaceIds[1]}`,
      `failed snapshot-volume volume/${rootVolume}`,
      `done snapshot-volume volume/${dataVolume}`,
      `failed enable-termination-protection instance/${target.instanceId}`,
      `failed tag-instance instance/${target.instanceId}`,
    ]);
    expect(result).toMatchObject({ effective: true, failures: 3 });
    expect(result.outcomes[3].error).toEqual({
      name: 'SnapshotCreationPerVolumeRateExceeded',
      message: 'SnapshotCreationPerVolumeRateExceeded (injected)',
    });
    // Its protection could not be read: it was turned on all the same, and its before is unknown.
    expect(result.outcomes[5].before).toEqual({ enabled: null });
    expect(result.manualSteps).toContainEqual(
      `Snapshot volume/${rootVolume} by hand: Cordon's snapshot was refused.`,
    );
    const after = await observe(emu.ec2, target.instanceId);
    expect(Object.values(after.groups)).toEqual([[result.isolationGroupId], [result.isolationGroupId]]);
  });

  it('tells to take an instance of an Auto Scaling group out of it', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam, { extras: false });
    // Auto Scaling's own tag (users cannot set aws: tags): added to the answer.
    emu.rewrite('DescribeInstances', (output) => {
      const reservations = output.Reservations as {
        Instances: { Tags?: { Key: string; Value: string }[] }[];
      }[];
      reservations[0].Instances[0].Tags = [{ Key: 'aws:autoscaling:groupName', Value: 'web-asg' }];
      return output;
    });
    const result = await isolate(emu, target);
    expect(result.manualSteps).toContainEqual(
      'It belongs to Auto Scaling group web-asg: detach it or put it in standby, as failed health checks make Auto Scaling replace it and termination protection does not stop Auto Scaling from terminating it.',
    );
  });

  describe('dataflow', () => {
    let emu: EmulatorEc2;
    let target: IsolationTarget;
    beforeEach(async () => {
      emu = new EmulatorEc2();
      target = await stageTarget(emu.ec2, iam);
      emu.clear();
    });
    const sent = (command: string) => emu.happened((e) => e.event === 'sent' && e.command === command);
    /** The interface's second swap (to the isolation group) answered. */
    const isolated = (eni: string) => {
      let seen = 0;
      return emu.happened(
        (e) =>
          e.event === 'answered' &&
          e.command === 'ModifyNetworkInterfaceAttribute' &&
          e.input.NetworkInterfaceId === eni &&
          ++seen === 2,
      );
    };

    it('reads the instance and finds the groups at once', async () => {
      emu.hold('DescribeInstances', () => sent('DescribeSecurityGroups'));
      const result = await isolate(emu, target);
      expect(emu.deadlocks).toBe(0);
      expect(result.effective).toBe(true);
    });

    it('does not hold the network path for the evidence: the swaps end while the snapshots, protection and tags wait', async () => {
      const bothIsolated = () => Promise.all(target.interfaceIds.map((eni) => isolated(eni)));
      emu.hold('DescribeSnapshots', bothIsolated);
      emu.hold('DescribeInstanceAttribute', bothIsolated);
      emu.hold('CreateTags', bothIsolated, {
        match: (i) => (i.Resources as string[])[0] === target.instanceId,
      });
      const result = await isolate(emu, target);
      expect(emu.deadlocks).toBe(0);
      expect(result).toMatchObject({ effective: true, failures: 0 });
    });

    it('does not hold the evidence for the network path: the snapshots, protection and tags are sent while the swaps wait', async () => {
      const evidence = () =>
        Promise.all([
          emu.happened(
            (e) =>
              e.event === 'sent' &&
              e.command === 'CreateSnapshot' &&
              e.input.VolumeId === target.volumeIds[1],
          ),
          sent('ModifyInstanceAttribute'),
          emu.happened(
            (e) =>
              e.event === 'sent' &&
              e.command === 'CreateTags' &&
              (e.input.Resources as string[])[0] === target.instanceId,
          ),
        ]);
      emu.hold('ModifyNetworkInterfaceAttribute', evidence);
      const result = await isolate(emu, target);
      expect(emu.deadlocks).toBe(0);
      expect(result).toMatchObject({ effective: true, failures: 0 });
    });
  });
});
