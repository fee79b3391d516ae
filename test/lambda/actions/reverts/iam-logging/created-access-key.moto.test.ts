import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { deactivateCreatedAccessKey } from '../../../../../lambda/actions/reverts/iam-logging/created-access-key';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../../../support/moto';
import { cloudTrailRecord, revertContext, undoContext } from './support';

const iam = new IAMClient(emulatorClientConfig(sharedMotoUrl()));

async function statuses(userName: string): Promise<Record<string, string | undefined>> {
  const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return Object.fromEntries((AccessKeyMetadata ?? []).map((key) => [key.AccessKeyId ?? '', key.Status]));
}

/** A user with its own key, and a second key the attacker created on it, with the CreateAccessKey record. */
async function plantedKey(awsRegion = 'us-east-1') {
  const userName = uniqueName('alice');
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const own = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!.AccessKeyId!;
  const planted = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!
    .AccessKeyId!;
  const record = cloudTrailRecord({
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    awsRegion,
    requestParameters: { userName },
    responseElements: {
      accessKey: { userName, accessKeyId: planted, status: 'Active', createDate: 'Mar 14, 2025, 9:26:53 AM' },
    },
  });
  return { userName, own, planted, record };
}

describe('deactivate-created-access-key on the emulator', () => {
  it('deactivates exactly the planted key, once, and undo makes it active again', async () => {
    const { userName, own, planted, record } = await plantedKey();
    const changes = deactivateCreatedAccessKey.changesOf(record);
    expect(changes).toEqual([
      expect.objectContaining({
        revert: 'deactivate-created-access-key',
        region: 'us-east-1',
        target: `access-key/${planted}`,
        eventName: 'CreateAccessKey',
        details: { accessKeyId: planted, userName, accountId: '123456789012' },
      }),
    ]);
    const [change] = changes;

    const planned = await deactivateCreatedAccessKey.revert(change, revertContext(true));
    expect(planned).toEqual([
      expect.objectContaining({
        status: 'planned',
        before: { accessKeyId: planted, userName, status: 'Active' },
      }),
    ]);
    expect(await statuses(userName)).toEqual({ [own]: 'Active', [planted]: 'Active' });

    const reverted = await deactivateCreatedAccessKey.revert(change, revertContext(false));
    expect(reverted).toEqual([
      expect.objectContaining({
        action: 'deactivate-created-access-key',
        status: 'done',
        before: { accessKeyId: planted, userName, status: 'Active' },
      }),
    ]);
    expect(reverted[0].detail).toContain(planted);
    expect(reverted[0].detail).toContain(record.eventID as string);
    expect(await statuses(userName)).toEqual({ [own]: 'Active', [planted]: 'Inactive' });

    expect(await deactivateCreatedAccessKey.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);

    const dryUndo = await deactivateCreatedAccessKey.undo(change, reverted, undoContext(true));
    expect(dryUndo).toEqual([expect.objectContaining({ status: 'planned' })]);
    expect(await statuses(userName)).toEqual({ [own]: 'Active', [planted]: 'Inactive' });

    expect(await deactivateCreatedAccessKey.undo(change, reverted, undoContext(false))).toEqual([
      expect.objectContaining({
        action: 'undo-deactivate-created-access-key',
        status: 'done',
        before: expect.objectContaining({ status: 'Inactive' }),
      }),
    ]);
    expect(await statuses(userName)).toEqual({ [own]: 'Active', [planted]: 'Active' });
    expect(await deactivateCreatedAccessKey.undo(change, reverted, undoContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it('acts in us-east-1 whatever region the record names', async () => {
    const { userName, planted, record } = await plantedKey('eu-west-1');
    const [change] = deactivateCreatedAccessKey.changesOf(record);
    expect(change.region).toBe('us-east-1');
    expect(await deactivateCreatedAccessKey.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect((await statuses(userName))[planted]).toBe('Inactive');
  });

  it('reports a key deleted since as already done, saying it was deleted', async () => {
    const { userName, planted, record } = await plantedKey();
    await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: planted }));
    const [change] = deactivateCreatedAccessKey.changesOf(record);
    const [outcome] = await deactivateCreatedAccessKey.revert(change, revertContext(false));
    expect(outcome).toEqual(
      expect.objectContaining({
        status: 'already-done',
        before: { accessKeyId: planted, userName, status: null },
      }),
    );
    expect(outcome.detail).toMatch(/deleted/);
    expect(await deactivateCreatedAccessKey.undo(change, [outcome], undoContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it('refuses a key of another account without a call', async () => {
    const { userName, planted } = await plantedKey();
    const record = cloudTrailRecord({
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateAccessKey',
      recipientAccountId: '999988887777',
      requestParameters: { userName },
      responseElements: { accessKey: { userName, accessKeyId: planted, status: 'Active' } },
    });
    const [change] = deactivateCreatedAccessKey.changesOf(record);
    expect(await deactivateCreatedAccessKey.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.objectContaining({ name: 'OtherAccount' }) }),
    ]);
    expect((await statuses(userName))[planted]).toBe('Active');
  });
});
