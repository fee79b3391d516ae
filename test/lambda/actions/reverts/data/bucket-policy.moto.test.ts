/**
 * make-bucket-policy-private on moto: the attacker's public statement is removed from a policy
 * whose other statements stay, the policy is deleted when only public statements are left, and the
 * undo puts the recorded document back.
 */
import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import {
  makeBucketPolicyPrivate,
  type BucketPolicyChange,
} from '../../../../../lambda/actions/reverts/data/bucket-policy';
import type { RevertibleChange } from '../../../../../lambda/actions/reverts/types';
import { emulatorRevertClients } from '../../../../support/revert-clients';
import { sharedMotoUrl, uniqueName } from '../../../../support/moto';
import { cloudTrailRecord, revertContext, undoContext } from './records';

describe('make-bucket-policy-private', () => {
  const clients = emulatorRevertClients(sharedMotoUrl());
  const s3 = clients.s3('us-east-1');

  async function policyOf(bucket: string): Promise<unknown> {
    try {
      const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      return Policy === undefined ? undefined : JSON.parse(Policy);
    } catch (thrown) {
      if (thrown instanceof Error && thrown.name === 'NoSuchBucketPolicy') return null;
      throw thrown;
    }
  }

  const denyInsecure = (bucket: string) => ({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
  const fromVpce = (bucket: string) => ({
    Sid: 'FromVpce',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${bucket}/*`,
    Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0abc1234' } },
  });
  const publicRead = (bucket: string) => ({
    Sid: 'PublicRead',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${bucket}/*`,
  });

  /** A bucket with the statements given, put by the attacker, and its record. */
  async function bucketWith(statementsOf: (bucket: string) => object[]) {
    const bucket = uniqueName('policy').toLowerCase();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const document = { Version: '2012-10-17', Statement: statementsOf(bucket) };
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(document) }));
    const record = cloudTrailRecord({
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketPolicy',
      requestParameters: {
        bucketName: bucket,
        Host: `${bucket}.s3.amazonaws.com`,
        policy: '',
        bucketPolicy: document,
      },
    });
    const [change] = makeBucketPolicyPrivate.changesOf(record) as [RevertibleChange<BucketPolicyChange>];
    return { bucket, document, record, change };
  }

  it('removes only the public statement, plans without writing, is then already done, and the undo puts the whole policy back', async () => {
    const { bucket, document, record, change } = await bucketWith((b) => [
      denyInsecure(b),
      fromVpce(b),
      publicRead(b),
    ]);
    expect(change).toEqual(
      expect.objectContaining({
        revert: 'make-bucket-policy-private',
        target: `bucket/${bucket}`,
        eventId: record.eventID,
      }),
    );

    const planned = await makeBucketPolicyPrivate.revert(change, revertContext(clients, true));
    expect(planned).toEqual([expect.objectContaining({ status: 'planned' })]);
    expect(await policyOf(bucket)).toEqual(document);

    const reverted = await makeBucketPolicyPrivate.revert(change, revertContext(clients));
    expect(reverted).toEqual([
      expect.objectContaining({ status: 'done', before: { policy: expect.any(String) } }),
    ]);
    expect(await policyOf(bucket)).toEqual({
      ...document,
      Statement: [denyInsecure(bucket), fromVpce(bucket)],
    });
    expect(await makeBucketPolicyPrivate.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);

    expect(await makeBucketPolicyPrivate.undo(change, reverted, undoContext(clients, true))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect(await policyOf(bucket)).toEqual({
      ...document,
      Statement: [denyInsecure(bucket), fromVpce(bucket)],
    });
    expect(await makeBucketPolicyPrivate.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect(await policyOf(bucket)).toEqual(document);
    expect(await makeBucketPolicyPrivate.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it('deletes the policy when every statement is public, and the undo puts it back', async () => {
    const { bucket, document, change } = await bucketWith((b) => [publicRead(b)]);
    const reverted = await makeBucketPolicyPrivate.revert(change, revertContext(clients));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(await policyOf(bucket)).toBeNull();
    expect(await makeBucketPolicyPrivate.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
    expect(await makeBucketPolicyPrivate.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect(await policyOf(bucket)).toEqual(document);
  });

  it('puts nothing back when the revert changed nothing', async () => {
    const { change } = await bucketWith((b) => [publicRead(b)]);
    expect(
      await makeBucketPolicyPrivate.undo(
        change,
        [
          {
            action: 'make-bucket-policy-private',
            target: change.target,
            status: 'already-done',
            detail: '',
            before: { policy: null },
          },
        ],
        undoContext(clients),
      ),
    ).toEqual([expect.objectContaining({ status: 'already-done' })]);
  });

  describe('changesOf', () => {
    const record = (bucketPolicy: unknown, errorCode?: string) =>
      cloudTrailRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketPolicy',
        requestParameters: { bucketName: 'b1', bucketPolicy },
        ...(errorCode ? { errorCode } : {}),
      });

    it('finds a public statement, given as an object or as JSON text', () => {
      const document = { Version: '2012-10-17', Statement: publicRead('b1') };
      expect(makeBucketPolicyPrivate.changesOf(record(document))).toHaveLength(1);
      expect(makeBucketPolicyPrivate.changesOf(record(JSON.stringify(document)))).toHaveLength(1);
    });

    it('finds nothing in a policy restricted to a VPC endpoint, a deny, a failed call or no policy', () => {
      expect(
        makeBucketPolicyPrivate.changesOf(record({ Statement: [fromVpce('b1'), denyInsecure('b1')] })),
      ).toEqual([]);
      expect(
        makeBucketPolicyPrivate.changesOf(record({ Statement: [publicRead('b1')] }, 'AccessDenied')),
      ).toEqual([]);
      expect(makeBucketPolicyPrivate.changesOf(record(undefined))).toEqual([]);
      expect(makeBucketPolicyPrivate.changesOf(record('not json'))).toEqual([]);
    });
  });
});
