/**
 * restoreInstance on moto: the instance exactly as before (groups per interface, protection, every
 * tag, running), the snapshots and Cordon's groups kept, only what the isolation did undone, what
 * changed since left alone, an instance gone since. moto stops an instance at once (AWS answers
 * `stopping` first): a restore that finds it still stopping is shown by rewriting its answer.
 */
import {
  CreateTagsCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  INSTANCE_RESTORE_RESULT_KIND,
  isolateInstance,
  ISOLATION_GROUP_NAME,
  restoreInstance,
  type InstanceRestoreResult,
} from '../../../../lambda/actions/ec2-instance';
import { uniqueName } from '../../../support/moto';
import {
  EmulatorEc2,
  emulatorIam,
  groupOf,
  NOW,
  observe,
  REGION,
  snapshotsOf,
  stageTarget,
  type IsolationTarget,
} from './support';

const iam = emulatorIam();
const statuses = (result: InstanceRestoreResult) =>
  result.outcomes.map((o) => `${o.status} ${o.action} ${o.target}`);

describe('restoreInstance on the emulator', () => {
  let emu: EmulatorEc2;
  let target: IsolationTarget;
  let incidentId: string;
  beforeEach(async () => {
    emu = new EmulatorEc2();
    target = await stageTarget(emu.ec2, iam);
    incidentId = uniqueName('inc');
  });
  const isolate = (stop = false) =>
    isolateInstance({
      ec2: emu.ec2,
      instanceId: target.instanceId,
      region: REGION,
      incidentId,
      now: NOW,
      stop,
    });

  it('puts back the groups, protection and tags exactly, starts what it stopped, and keeps the snapshots and the groups', async () => {
    await emu.ec2.send(
      new CreateTagsCommand({
        Resources: [target.instanceId],
        Tags: [
          { Key: 'team', Value: 'payments' },
          { Key: 'cordon:incident', Value: 'inc-earlier' },
        ],
      }),
    );
    const before = await observe(emu.ec2, target.instanceId);
    const record = await isolate(true);
    const isolated = await observe(emu.ec2, target.instanceId);
    emu.clear();

    const dry = await restoreInstance({ ec2: emu.ec2, record, dryRun: true });
    expect(dry.outcomes.map((o) => o.status)).toEqual(Array(5).fill('planned'));
    expect(emu.writes()).toEqual([]);
    expect(await observe(emu.ec2, target.instanceId)).toEqual(isolated);

    const restored = await restoreInstance({ ec2: emu.ec2, record });

    expect(await observe(emu.ec2, target.instanceId)).toEqual(before);
    expect(restored).toMatchObject({
      kind: INSTANCE_RESTORE_RESULT_KIND,
      incidentId,
      dryRun: false,
      subject: `EC2 instance ${target.instanceId} (us-east-1)`,
      instanceId: target.instanceId,
      complete: true,
      manualSteps: [],
    });
    const [eni0, eni1] = target.interfaceIds;
    expect(statuses(restored)).toEqual([
      `done restore-network-interface-groups network-interface/${eni0}`,
      `done restore-network-interface-groups network-interface/${eni1}`,
      `done restore-termination-protection instance/${target.instanceId}`,
      `done restore-instance-tags instance/${target.instanceId}`,
      `done start-instance instance/${target.instanceId}`,
    ]);
    expect(restored.outcomes[0].detail).toBe(
      `back in ${target.groupIds.join(', ')}; ${ISOLATION_GROUP_NAME} ${record.isolationGroupId} is kept for the next isolation in the VPC`,
    );
    expect(restored.outcomes[3].detail).toBe(
      `Cordon's tags removed, earlier values put back; the snapshots ${record.snapshotIds.join(', ')} (tagged cordon:incident=${incidentId}) are kept as evidence`,
    );
    expect((await snapshotsOf(emu.ec2, incidentId)).map((s) => s.snapshotId).sort()).toEqual(
      [...record.snapshotIds].sort(),
    );
    expect(await groupOf(emu.ec2, record.isolationGroupId!)).toMatchObject({ ingress: [], egress: [] });
    expect((await groupOf(emu.ec2, record.untrackGroupId!)).ingress).toEqual(['all 0.0.0.0/0', 'all ::/0']);
    expect(emu.calls.map((c) => c.command)).not.toContain('DeleteSnapshot');
  });

  it('undoes only what the isolation did: protection already on stays on, a second run undoes nothing', async () => {
    await emu.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: target.instanceId,
        DisableApiTermination: { Value: true },
      }),
    );
    const record = await isolate();
    expect(record.outcomes.find((o) => o.action === 'enable-termination-protection')?.status).toBe(
      'already-done',
    );
    const again = await isolate();
    emu.clear();

    const nothing = await restoreInstance({ ec2: emu.ec2, record: again });
    expect(nothing).toMatchObject({ complete: true, outcomes: [], manualSteps: [] });
    expect(emu.calls).toEqual([]);

    const restored = await restoreInstance({ ec2: emu.ec2, record });
    expect(restored.outcomes.map((o) => o.action)).not.toContain('restore-termination-protection');
    expect((await observe(emu.ec2, target.instanceId)).terminationProtection).toBe(true);
  });

  it('leaves an interface someone moved since, and says so', async () => {
    const record = await isolate();
    const [eni0, eni1] = target.interfaceIds;
    await emu.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni0, Groups: [target.groupIds[1]] }),
    );

    const restored = await restoreInstance({ ec2: emu.ec2, record });

    expect(restored.outcomes[0]).toMatchObject({
      target: `network-interface/${eni0}`,
      status: 'already-done',
      detail: `changed since isolation (now in ${target.groupIds[1]}): left as it is`,
    });
    expect((await observe(emu.ec2, target.instanceId)).groups).toEqual({
      [eni0]: [target.groupIds[1]],
      [eni1]: [target.groupIds[1]],
    });
  });

  it('has nothing to restore on an instance terminated since, and says so for each step', async () => {
    const record = await isolate();
    await emu.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: target.instanceId,
        DisableApiTermination: { Value: false },
      }),
    );
    await emu.ec2.send(new TerminateInstancesCommand({ InstanceIds: [target.instanceId] }));
    emu.clear();

    const restored = await restoreInstance({ ec2: emu.ec2, record });

    expect(emu.writes()).toEqual([]);
    expect(restored.complete).toBe(true);
    expect(restored.outcomes.map((o) => [o.status, o.detail])).toEqual([
      ['already-done', `${target.instanceId} is terminated since: nothing to restore`],
      ['already-done', `${target.instanceId} is terminated since: nothing to restore`],
      ['already-done', `${target.instanceId} is terminated since: nothing to restore`],
      [
        'already-done',
        `${target.instanceId} is terminated since: nothing to restore; the snapshots ${record.snapshotIds.join(', ')} (tagged cordon:incident=${incidentId}) are kept as evidence`,
      ],
    ]);
  });

  it('fails every step, changing nothing, when the instance cannot be read', async () => {
    const record = await isolate();
    const isolated = await observe(emu.ec2, target.instanceId);
    emu.fail('DescribeInstances', 'RequestLimitExceeded', { times: 1, message: 'Request limit exceeded.' });
    emu.clear();

    const restored = await restoreInstance({ ec2: emu.ec2, record });

    expect(emu.writes()).toEqual([]);
    expect(await observe(emu.ec2, target.instanceId)).toEqual(isolated);
    expect(restored.complete).toBe(false);
    expect(restored.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['restore-network-interface-groups', 'failed'],
      ['restore-network-interface-groups', 'failed'],
      ['restore-termination-protection', 'failed'],
      ['restore-instance-tags', 'failed'],
    ]);
    expect(restored.outcomes[0]).toMatchObject({
      detail: `not restored: ${target.instanceId} could not be read (RequestLimitExceeded: Request limit exceeded.); run the restore again`,
      error: { name: 'RequestLimitExceeded' },
    });
  });

  it('cannot start an instance still stopping, and says to run the restore again', async () => {
    const record = await isolate(true);
    // moto has no `stopping` state: the restore's read answers it.
    emu.rewrite(
      'DescribeInstances',
      (output) => {
        const reservations = output.Reservations as { Instances: { State: { Name: string } }[] }[];
        reservations[0].Instances[0].State = { Name: 'stopping' };
        return output;
      },
      { times: 1 },
    );
    emu.clear();

    const restored = await restoreInstance({ ec2: emu.ec2, record });

    expect(restored.outcomes.at(-1)).toMatchObject({
      action: 'start-instance',
      status: 'failed',
      detail: 'still stopping: it can be started once stopped; run the restore again then',
    });
    expect(restored.complete).toBe(false);
    expect(emu.calls.map((c) => c.command)).not.toContain('StartInstances');
    // Run again once stopped: it starts.
    const again = await restoreInstance({ ec2: emu.ec2, record });
    expect(again.outcomes.at(-1)).toMatchObject({ action: 'start-instance', status: 'done' });
    expect((await observe(emu.ec2, target.instanceId)).state).toBe('running');
  });

  it('leaves isolated, for a human, an interface whose groups before isolation are unknown', async () => {
    const first = await isolate();
    const [eni0] = target.interfaceIds;
    await emu.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: eni0,
        Groups: [first.untrackGroupId!],
      }),
    );
    incidentId = uniqueName('inc');
    const record = await isolate();

    const restored = await restoreInstance({ ec2: emu.ec2, record });

    expect(restored.outcomes[0]).toMatchObject({
      target: `network-interface/${eni0}`,
      status: 'failed',
      error: { name: 'UnknownGroupsBefore' },
    });
    expect(restored.manualSteps).toEqual([
      `Choose the groups of network-interface/${eni0} by hand: their groups before isolation are unknown, so they are left isolated.`,
    ]);
    expect((await observe(emu.ec2, target.instanceId)).groups[eni0]).toEqual([first.isolationGroupId]);
    expect(restored.complete).toBe(false);
  });
});
