/**
 * The snapshots on moto (which takes CreateSnapshot's TagSpecifications and filters
 * DescribeSnapshots by tag, as AWS does): one per attached volume, already done per volume when a
 * retry of the incident finds it, taken all the same when the incident's snapshots cannot be
 * listed, and never confused with another incident's.
 */
import { CreateSnapshotCommand } from '@aws-sdk/client-ec2';
import { isolateInstance } from '../../../../lambda/actions/ec2-instance';
import { uniqueName } from '../../../support/moto';
import {
  EmulatorEc2,
  emulatorIam,
  NOW,
  REGION,
  snapshotsOf,
  stageTarget,
  type IsolationTarget,
} from './support';

const iam = emulatorIam();

describe('snapshot-volume on the emulator', () => {
  let emu: EmulatorEc2;
  let target: IsolationTarget;
  let rootVolume: string;
  let dataVolume: string;
  beforeEach(async () => {
    emu = new EmulatorEc2();
    target = await stageTarget(emu.ec2, iam);
    [rootVolume, dataVolume] = target.volumeIds;
    emu.clear();
  });
  const isolate = (incidentId: string) =>
    isolateInstance({ ec2: emu.ec2, instanceId: target.instanceId, region: REGION, incidentId, now: NOW });
  const snapshotOutcomes = (result: Awaited<ReturnType<typeof isolate>>) =>
    result.outcomes.filter((o) => o.action === 'snapshot-volume');

  it('takes the one missing on a retry of the incident, and finds the other', async () => {
    const incidentId = uniqueName('inc');
    emu.fail('CreateSnapshot', 'SnapshotCreationPerVolumeRateExceeded', {
      match: (i) => i.VolumeId === dataVolume,
      times: 1,
    });
    const first = await isolate(incidentId);
    expect(snapshotOutcomes(first).map((o) => o.status)).toEqual(['done', 'failed']);
    const [rootSnapshot] = first.snapshotIds;
    emu.clear();

    const retry = await isolate(incidentId);

    expect(emu.calls.filter((c) => c.command === 'CreateSnapshot').map((c) => c.input.VolumeId)).toEqual([
      dataVolume,
    ]);
    expect(snapshotOutcomes(retry)).toEqual([
      {
        action: 'snapshot-volume',
        target: `volume/${rootVolume}`,
        status: 'already-done',
        detail: `snapshot ${rootSnapshot} of this incident exists`,
        before: { snapshotId: rootSnapshot },
      },
      {
        action: 'snapshot-volume',
        target: `volume/${dataVolume}`,
        status: 'done',
        detail: `snapshot ${retry.snapshotIds[1]} taken, tagged cordon:incident=${incidentId}`,
        before: { snapshotId: retry.snapshotIds[1] },
      },
    ]);
    expect((await snapshotsOf(emu.ec2, incidentId)).map((s) => s.snapshotId).sort()).toEqual(
      [...retry.snapshotIds].sort(),
    );
  });

  it("does not take another incident's snapshot for this one's", async () => {
    const earlier = uniqueName('inc');
    await emu.ec2.send(
      new CreateSnapshotCommand({
        VolumeId: rootVolume,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'cordon:incident', Value: earlier }] }],
      }),
    );
    const incidentId = uniqueName('inc');
    const result = await isolate(incidentId);
    expect(snapshotOutcomes(result).map((o) => o.status)).toEqual(['done', 'done']);
    expect(await snapshotsOf(emu.ec2, incidentId)).toHaveLength(2);
    expect(await snapshotsOf(emu.ec2, earlier)).toHaveLength(1);
  });

  it("takes them all the same when the incident's snapshots cannot be listed, and says a retry may have made one", async () => {
    emu.fail('DescribeSnapshots', 'UnauthorizedOperation', { times: 1 });
    const incidentId = uniqueName('inc');
    const result = await isolate(incidentId);
    expect(snapshotOutcomes(result).map((o) => [o.status, o.detail])).toEqual(
      result.snapshotIds.map((id) => [
        'done',
        `snapshot ${id} taken, tagged cordon:incident=${incidentId} (this incident's snapshots could not be listed: UnauthorizedOperation: UnauthorizedOperation (injected); a retry may have made one already)`,
      ]),
    );
    expect(result.snapshotIds).toHaveLength(2);
    expect(await snapshotsOf(emu.ec2, incidentId)).toHaveLength(2);
  });
});
