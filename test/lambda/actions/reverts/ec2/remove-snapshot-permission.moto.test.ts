/**
 * remove-snapshot-permission on moto: a snapshot the team shares with a partner account is shared by
 * the attacker with everyone and its own account; the revert removes exactly those two (the
 * partner keeps its share), is already done the second time, and `undo` shares it again as the
 * attacker left it.
 */
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotAttributeCommand,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { removeSnapshotPermission } from '../../../../../lambda/actions/reverts/ec2/remove-snapshot-permission';
import { ec2Record, emulatorEc2, revertContext, undoContext } from './support';

const ec2 = emulatorEc2();
const PARTNER = '210987654321';
const ATTACKER = '444455556666';

async function sharesOf(snapshotId: string): Promise<string[]> {
  const { CreateVolumePermissions } = await ec2.send(
    new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }),
  );
  return (CreateVolumePermissions ?? []).map((p) => p.Group ?? p.UserId ?? '?').sort();
}

afterAll(() => ec2.destroy());

describe('remove-snapshot-permission on the emulator', () => {
  it('removes exactly the permissions ModifySnapshotAttribute added, and undo adds them back', async () => {
    const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
    const { SnapshotId } = await ec2.send(new CreateSnapshotCommand({ VolumeId }));
    const snapshotId = SnapshotId!;
    await ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snapshotId,
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        UserIds: [PARTNER],
      }),
    );
    const legitimate = await sharesOf(snapshotId);
    // The attacker's call.
    await ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snapshotId,
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        UserIds: [ATTACKER],
        GroupNames: ['all'],
      }),
    );
    const shared = await sharesOf(snapshotId);
    expect(shared).toEqual([PARTNER, ATTACKER, 'all'].sort());
    const record = ec2Record(
      'ModifySnapshotAttribute',
      {
        snapshotId,
        attributeType: 'CREATE_VOLUME_PERMISSION',
        createVolumePermission: { add: { items: [{ userId: ATTACKER }, { group: 'all' }] } },
      },
      { requestId: 'r-snap', _return: true },
    );

    const changes = removeSnapshotPermission.changesOf(record);
    expect(changes).toEqual([
      expect.objectContaining({
        revert: 'remove-snapshot-permission',
        target: `snapshot/${snapshotId}`,
        details: {
          accountId: '123456789012',
          kind: 'share',
          resourceId: snapshotId,
          added: [
            { kind: 'user', value: ATTACKER },
            { kind: 'group', value: 'all' },
          ],
        },
      }),
    ]);
    const [change] = changes;

    const planned = await removeSnapshotPermission.revert(change, revertContext(true));
    expect(planned.map((o) => o.status)).toEqual(['planned']);
    expect(await sharesOf(snapshotId)).toEqual(shared);

    const reverted = await removeSnapshotPermission.revert(change, revertContext(false));
    expect(reverted).toEqual([expect.objectContaining({ target: `snapshot/${snapshotId}`, status: 'done' })]);
    expect(reverted[0].detail).toContain(record.eventID as string);
    expect(await sharesOf(snapshotId)).toEqual(legitimate);

    expect(
      (await removeSnapshotPermission.revert(change, revertContext(false))).map((o) => o.status),
    ).toEqual(['already-done']);

    expect(
      (await removeSnapshotPermission.undo(change, reverted, undoContext(true))).map((o) => o.status),
    ).toEqual(['planned']);
    expect(await sharesOf(snapshotId)).toEqual(legitimate);
    expect(
      (await removeSnapshotPermission.undo(change, reverted, undoContext(false))).map((o) => o.status),
    ).toEqual(['done']);
    expect(await sharesOf(snapshotId)).toEqual(shared);
    expect(
      (await removeSnapshotPermission.undo(change, reverted, undoContext(false))).map((o) => o.status),
    ).toEqual(['already-done']);
  });
});
