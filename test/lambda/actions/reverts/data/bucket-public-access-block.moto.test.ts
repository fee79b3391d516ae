/**
 * restore-bucket-public-access-block on moto: after a delete all four settings are turned on;
 * after a put exactly the settings it turned off are turned back on, the others kept; the undo
 * puts the recorded configuration back (deleting it when there was none).
 */
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { restoreBucketPublicAccessBlock } from '../../../../../lambda/actions/reverts/data/bucket-public-access-block';
import { emulatorRevertClients } from '../../../../support/revert-clients';
import { sharedMotoUrl, uniqueName } from '../../../../support/moto';
import { cloudTrailRecord, revertContext, undoContext } from './records';

const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

describe('restore-bucket-public-access-block', () => {
  const clients = emulatorRevertClients(sharedMotoUrl());
  const s3 = clients.s3('us-east-1');

  async function configurationOf(bucket: string): Promise<PublicAccessBlockConfiguration | null> {
    try {
      return (
        (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration ??
        null
      );
    } catch (thrown) {
      if (thrown instanceof Error && thrown.name === 'NoSuchPublicAccessBlockConfiguration') return null;
      throw thrown;
    }
  }

  async function bucketBlocked(configuration: PublicAccessBlockConfiguration | null) {
    const bucket = uniqueName('pab').toLowerCase();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (configuration) {
      await s3.send(
        new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: configuration }),
      );
    }
    return bucket;
  }

  it('after a delete: plans, turns all four on, is then already done, and the undo deletes it again', async () => {
    const bucket = await bucketBlocked(ALL_ON);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const [change] = restoreBucketPublicAccessBlock.changesOf(
      cloudTrailRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'DeleteBucketPublicAccessBlock',
        requestParameters: { bucketName: bucket, Host: `${bucket}.s3.amazonaws.com`, publicAccessBlock: '' },
      }),
    );
    expect(change).toEqual(expect.objectContaining({ target: `bucket/${bucket}` }));

    expect(await restoreBucketPublicAccessBlock.revert(change, revertContext(clients, true))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect(await configurationOf(bucket)).toBeNull();

    const reverted = await restoreBucketPublicAccessBlock.revert(change, revertContext(clients));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done', before: { configuration: null } })]);
    expect(await configurationOf(bucket)).toEqual(ALL_ON);
    expect(await restoreBucketPublicAccessBlock.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);

    expect(await restoreBucketPublicAccessBlock.undo(change, reverted, undoContext(clients, true))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect(await configurationOf(bucket)).toEqual(ALL_ON);
    expect(await restoreBucketPublicAccessBlock.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect(await configurationOf(bucket)).toBeNull();
    expect(await restoreBucketPublicAccessBlock.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it('after a put: turns back on exactly the settings it turned off, keeping one a person had turned off since', async () => {
    const bucket = await bucketBlocked(ALL_ON);
    const attackers = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    };
    await s3.send(
      new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: attackers }),
    );
    const [change] = restoreBucketPublicAccessBlock.changesOf(
      cloudTrailRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketPublicAccessBlock',
        requestParameters: {
          bucketName: bucket,
          publicAccessBlock: '',
          PublicAccessBlockConfiguration: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', ...attackers },
        },
      }),
    );
    expect(change.details).toEqual(
      expect.objectContaining({ bucket, settingsTurnedOff: ['BlockPublicPolicy', 'RestrictPublicBuckets'] }),
    );
    // Someone turned IgnorePublicAcls off after the event: not the event's change, so it stays off.
    const later = { ...attackers, IgnorePublicAcls: false };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: later }));

    const reverted = await restoreBucketPublicAccessBlock.revert(change, revertContext(clients));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done', before: { configuration: later } })]);
    expect(await configurationOf(bucket)).toEqual({ ...ALL_ON, IgnorePublicAcls: false });
    expect(await restoreBucketPublicAccessBlock.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
    expect(await restoreBucketPublicAccessBlock.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect(await configurationOf(bucket)).toEqual(later);
  });

  describe('changesOf', () => {
    const record = (eventName: string, requestParameters: unknown, errorCode?: string) =>
      cloudTrailRecord({
        eventSource: 's3.amazonaws.com',
        eventName,
        requestParameters,
        ...(errorCode ? { errorCode } : {}),
      });

    it('reads a put that leaves settings out as turning them off, and string booleans', () => {
      const [change] = restoreBucketPublicAccessBlock.changesOf(
        record('PutBucketPublicAccessBlock', {
          bucketName: 'b1',
          PublicAccessBlockConfiguration: { BlockPublicAcls: 'true', IgnorePublicAcls: true },
        }),
      );
      expect(change.details.settingsTurnedOff).toEqual(['BlockPublicPolicy', 'RestrictPublicBuckets']);
    });

    it('takes PutPublicAccessBlock naming a bucket, and leaves the account calls to the account reverter', () => {
      expect(
        restoreBucketPublicAccessBlock.changesOf(record('DeletePublicAccessBlock', { bucketName: 'b1' })),
      ).toHaveLength(1);
      expect(
        restoreBucketPublicAccessBlock.changesOf(
          record('DeletePublicAccessBlock', { Host: '123456789012.s3-control.us-east-1.amazonaws.com' }),
        ),
      ).toEqual([]);
      expect(
        restoreBucketPublicAccessBlock.changesOf(
          record('DeleteAccountPublicAccessBlock', { bucketName: 'b1' }),
        ),
      ).toEqual([]);
    });

    it('finds nothing in a put with all four on, a failed delete, or a put without a configuration', () => {
      expect(
        restoreBucketPublicAccessBlock.changesOf(
          record('PutBucketPublicAccessBlock', { bucketName: 'b1', PublicAccessBlockConfiguration: ALL_ON }),
        ),
      ).toEqual([]);
      expect(
        restoreBucketPublicAccessBlock.changesOf(
          record('DeleteBucketPublicAccessBlock', { bucketName: 'b1' }, 'AccessDenied'),
        ),
      ).toEqual([]);
      expect(
        restoreBucketPublicAccessBlock.changesOf(record('PutBucketPublicAccessBlock', { bucketName: 'b1' })),
      ).toEqual([]);
    });
  });
});
