/**
 * make-bucket-acl-private on moto: a bucket whose ACL an attacker opened to AllUsers (next to a
 * grant of its own that must stay) is made private again, the grant put back by the undo.
 */
import {
  CreateBucketCommand,
  GetBucketAclCommand,
  PutBucketAclCommand,
  type Grant,
} from '@aws-sdk/client-s3';
import { makeBucketAclPrivate } from '../../../../../lambda/actions/reverts/data/bucket-acl';
import type { RevertibleChange } from '../../../../../lambda/actions/reverts/types';
import { emulatorRevertClients } from '../../../../support/revert-clients';
import { sharedMotoUrl, uniqueName } from '../../../../support/moto';
import { cloudTrailRecord, revertContext, undoContext } from './records';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

const keyOf = (grant: Grant) => `${grant.Grantee?.URI ?? grant.Grantee?.ID}:${grant.Permission}`;

describe('make-bucket-acl-private', () => {
  const clients = emulatorRevertClients(sharedMotoUrl());
  const s3 = clients.s3('us-east-1');

  async function grantsOf(bucket: string): Promise<string[]> {
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    return (acl.Grants ?? []).map(keyOf).sort();
  }

  /** A bucket with an owner grant and a log-delivery grant, then the attacker's AllUsers READ. */
  async function openedBucket() {
    const bucket = uniqueName('acl').toLowerCase();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { Owner } = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    const ownerGrant: Grant = {
      Grantee: { Type: 'CanonicalUser', ID: Owner?.ID },
      Permission: 'FULL_CONTROL',
    };
    const logGrant: Grant = { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'WRITE' };
    await s3.send(
      new PutBucketAclCommand({
        Bucket: bucket,
        AccessControlPolicy: { Owner, Grants: [ownerGrant, logGrant] },
      }),
    );
    const privateGrants = await grantsOf(bucket);
    const publicGrant: Grant = { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' };
    await s3.send(
      new PutBucketAclCommand({
        Bucket: bucket,
        AccessControlPolicy: { Owner, Grants: [ownerGrant, logGrant, publicGrant] },
      }),
    );
    const record = cloudTrailRecord({
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketAcl',
      requestParameters: {
        bucketName: bucket,
        Host: `${bucket}.s3.amazonaws.com`,
        acl: '',
        AccessControlPolicy: {
          xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
          Owner: { ID: Owner?.ID },
          AccessControlList: {
            Grant: [
              { Grantee: { 'xsi:type': 'CanonicalUser', ID: Owner?.ID }, Permission: 'FULL_CONTROL' },
              { Grantee: { 'xsi:type': 'Group', URI: LOG_DELIVERY }, Permission: 'WRITE' },
              { Grantee: { 'xsi:type': 'Group', URI: ALL_USERS }, Permission: 'READ' },
            ],
          },
        },
      },
    });
    return { bucket, record, privateGrants, publicGrants: await grantsOf(bucket) };
  }

  it('finds the change, plans without writing, removes only the public grant, is then already done, and the undo puts it back', async () => {
    const { bucket, record, privateGrants, publicGrants } = await openedBucket();
    expect(publicGrants).toContain(`${ALL_USERS}:READ`);

    const changes = makeBucketAclPrivate.changesOf(record);
    expect(changes).toEqual([
      expect.objectContaining({
        revert: 'make-bucket-acl-private',
        target: `bucket/${bucket}`,
        region: 'us-east-1',
        details: { accountId: '123456789012', bucket },
      }),
    ]);
    const [change] = changes as [RevertibleChange<{ accountId: string | null; bucket: string }>];

    const planned = await makeBucketAclPrivate.revert(change, revertContext(clients, true));
    expect(planned).toEqual([expect.objectContaining({ status: 'planned', target: `bucket/${bucket}` })]);
    expect(planned[0].detail).toContain(record.eventID as string);
    expect(await grantsOf(bucket)).toEqual(publicGrants);

    const reverted = await makeBucketAclPrivate.revert(change, revertContext(clients));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(await grantsOf(bucket)).toEqual(privateGrants);

    const again = await makeBucketAclPrivate.revert(change, revertContext(clients));
    expect(again).toEqual([expect.objectContaining({ status: 'already-done' })]);

    const undoPlanned = await makeBucketAclPrivate.undo(change, reverted, undoContext(clients, true));
    expect(undoPlanned).toEqual([expect.objectContaining({ status: 'planned' })]);
    expect(await grantsOf(bucket)).toEqual(privateGrants);

    const undone = await makeBucketAclPrivate.undo(change, reverted, undoContext(clients));
    expect(undone).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(await grantsOf(bucket)).toEqual(publicGrants);
    expect(await makeBucketAclPrivate.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it('turns a canned public-read ACL into the same grants without AllUsers', async () => {
    const bucket = uniqueName('acl-canned').toLowerCase();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const privateGrants = await grantsOf(bucket);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    const [change] = makeBucketAclPrivate.changesOf(
      cloudTrailRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketAcl',
        requestParameters: { bucketName: bucket, acl: '', 'x-amz-acl': ['public-read'] },
      }),
    );
    expect(await makeBucketAclPrivate.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect(await grantsOf(bucket)).toEqual(privateGrants);
  });

  it('does not touch a bucket of another account, and reports the failure', async () => {
    const { bucket, publicGrants } = await openedBucket();
    const [change] = makeBucketAclPrivate.changesOf(
      cloudTrailRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketAcl',
        accountId: '444455556666',
        requestParameters: { bucketName: bucket, 'x-amz-acl': ['public-read'] },
      }),
    );
    const outcomes = await makeBucketAclPrivate.revert(change, revertContext(clients));
    expect(outcomes).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ name: 'ForeignAccount' }),
      }),
    ]);
    expect(await grantsOf(bucket)).toEqual(publicGrants);
  });

  it('reports a bucket it cannot read as failed, without rejecting', async () => {
    const [change] = makeBucketAclPrivate.changesOf(
      cloudTrailRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketAcl',
        requestParameters: { bucketName: uniqueName('missing').toLowerCase(), 'x-amz-acl': ['public-read'] },
      }),
    );
    const outcomes = await makeBucketAclPrivate.revert(change, revertContext(clients));
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.objectContaining({ name: 'NoSuchBucket' }) }),
    ]);
  });

  describe('changesOf', () => {
    const record = (requestParameters: unknown, more: { errorCode?: string } = {}) =>
      cloudTrailRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketAcl',
        requestParameters,
        ...more,
      });

    it.each([
      [
        'a grant to AllUsers',
        {
          AccessControlPolicy: {
            AccessControlList: { Grant: { Grantee: { URI: ALL_USERS }, Permission: 'READ' } },
          },
        },
      ],
      ['a canned public-read-write ACL', { 'x-amz-acl': 'public-read-write' }],
      [
        'a grant header to AuthenticatedUsers',
        { 'x-amz-grant-read': ['uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"'] },
      ],
    ])('finds %s', (_, parameters) => {
      expect(makeBucketAclPrivate.changesOf(record({ bucketName: 'b1', ...parameters }))).toHaveLength(1);
    });

    it.each([
      ['a private canned ACL', { bucketName: 'b1', 'x-amz-acl': ['private'] }],
      [
        'a grant to log delivery only',
        { bucketName: 'b1', 'x-amz-grant-write': ['uri="http://acs.amazonaws.com/groups/s3/LogDelivery"'] },
      ],
      ['no bucket name', { 'x-amz-acl': ['public-read'] }],
      ['no request at all', null],
    ])('finds nothing in %s', (_, parameters) => {
      expect(makeBucketAclPrivate.changesOf(record(parameters))).toEqual([]);
    });

    it('finds nothing in a failed call or another event', () => {
      expect(
        makeBucketAclPrivate.changesOf(
          record({ bucketName: 'b1', 'x-amz-acl': ['public-read'] }, { errorCode: 'AccessDenied' }),
        ),
      ).toEqual([]);
      expect(
        makeBucketAclPrivate.changesOf(
          cloudTrailRecord({
            eventSource: 's3.amazonaws.com',
            eventName: 'PutObjectAcl',
            requestParameters: { bucketName: 'b1', 'x-amz-acl': ['public-read'] },
          }),
        ),
      ).toEqual([]);
    });
  });
});
