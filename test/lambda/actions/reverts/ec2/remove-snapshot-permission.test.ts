/**
 * remove-snapshot-permission's `changesOf` on ModifySnapshotAttribute and
 * DisableSnapshotBlockPublicAccess records and on what it must not revert; and the block public access
 * path, with aws-sdk-client-mock because moto_server (5.x) lacks Get/Enable/DisableSnapshotBlockPublicAccess
 * (it answers them with an HTML error page): enabled again as block-new-sharing, already done when
 * on, planned on a dry run with no write, and undo putting the state read before back.
 */
import {
  DisableSnapshotBlockPublicAccessCommand,
  EC2Client,
  EnableSnapshotBlockPublicAccessCommand,
  GetSnapshotBlockPublicAccessStateCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { removeSnapshotPermission } from '../../../../../lambda/actions/reverts/ec2/remove-snapshot-permission';
import type { RevertClients, RevertContext } from '../../../../../lambda/actions/reverts/types';
import { ec2Record, EMULATOR_ACCOUNT, NOW } from './support';

const ec2Mock = mockClient(EC2Client);
const client = new EC2Client({ region: 'us-east-1' });
const clients = { ec2: () => client } as unknown as RevertClients;
const context = (dryRun: boolean): RevertContext => ({
  clients,
  accountId: EMULATOR_ACCOUNT,
  incidentId: 'inc',
  dryRun,
  now: NOW,
  options: { terminateInstances: false },
});
afterEach(() => ec2Mock.reset());
afterAll(() => ec2Mock.restore());

const disabled = ec2Record(
  'DisableSnapshotBlockPublicAccess',
  { DisableSnapshotBlockPublicAccessRequest: '' },
  { DisableSnapshotBlockPublicAccessResponse: { requestId: 'r', state: 'unblocked' } },
);

describe('remove-snapshot-permission changesOf', () => {
  it('finds the snapshot and who was added', () => {
    const record = ec2Record(
      'ModifySnapshotAttribute',
      {
        snapshotId: 'snap-0abc',
        attributeType: 'CREATE_VOLUME_PERMISSION',
        createVolumePermission: {
          add: { items: [{ group: 'all' }, { userId: '444455556666' }, { group: 'all' }] },
        },
      },
      { _return: true },
    );
    expect(removeSnapshotPermission.changesOf(record).map((c) => [c.target, c.details])).toEqual([
      [
        'snapshot/snap-0abc',
        {
          accountId: EMULATOR_ACCOUNT,
          kind: 'share',
          resourceId: 'snap-0abc',
          added: [
            { kind: 'group', value: 'all' },
            { kind: 'user', value: '444455556666' },
          ],
        },
      ],
    ]);
  });

  it('finds the account setting of DisableSnapshotBlockPublicAccess', () => {
    expect(removeSnapshotPermission.changesOf(disabled).map((c) => [c.target, c.details])).toEqual([
      [
        'snapshot-block-public-access/us-east-1',
        { accountId: EMULATOR_ACCOUNT, kind: 'block-public-access', stateAfterEvent: 'unblocked' },
      ],
    ]);
  });

  it.each([
    [
      'a removal',
      ec2Record(
        'ModifySnapshotAttribute',
        {
          snapshotId: 'snap-0abc',
          createVolumePermission: { remove: { items: [{ userId: '444455556666' }] } },
        },
        {},
      ),
    ],
    [
      'a failed share',
      ec2Record(
        'ModifySnapshotAttribute',
        { snapshotId: 'snap-0abc', createVolumePermission: { add: { items: [{ group: 'all' }] } } },
        null,
        {
          errorCode: 'Client.OperationNotPermitted',
        },
      ),
    ],
    [
      'no snapshot id',
      ec2Record(
        'ModifySnapshotAttribute',
        { createVolumePermission: { add: { items: [{ group: 'all' }] } } },
        {},
      ),
    ],
    [
      'the enabling',
      ec2Record(
        'EnableSnapshotBlockPublicAccess',
        { EnableSnapshotBlockPublicAccessRequest: { State: 'block-all-sharing' } },
        {},
      ),
    ],
  ])('finds nothing in %s', (_, record) => {
    expect(removeSnapshotPermission.changesOf(record)).toEqual([]);
  });
});

describe('remove-snapshot-permission on block public access (mocked: moto lacks it)', () => {
  const [change] = removeSnapshotPermission.changesOf(disabled);

  it('enables it again as block-new-sharing and says the earlier state is not in the event', async () => {
    ec2Mock.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: 'unblocked' });
    ec2Mock.on(EnableSnapshotBlockPublicAccessCommand).resolves({ State: 'block-new-sharing' });
    const outcomes = await removeSnapshotPermission.revert(change, context(false));
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'done', target: change.target, before: { state: 'unblocked' } }),
    ]);
    expect(outcomes[0].detail).toContain('not in the event');
    expect(ec2Mock.commandCalls(EnableSnapshotBlockPublicAccessCommand).map((c) => c.args[0].input)).toEqual([
      { State: 'block-new-sharing' },
    ]);
  });

  it('plans on a dry run and makes no write', async () => {
    ec2Mock.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: 'unblocked' });
    const outcomes = await removeSnapshotPermission.revert(change, context(true));
    expect(outcomes.map((o) => o.status)).toEqual(['planned']);
    expect(ec2Mock.commandCalls(EnableSnapshotBlockPublicAccessCommand)).toHaveLength(0);
  });

  it('is already done when it is on', async () => {
    ec2Mock.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: 'block-all-sharing' });
    expect((await removeSnapshotPermission.revert(change, context(false))).map((o) => o.status)).toEqual([
      'already-done',
    ]);
    expect(ec2Mock.commandCalls(EnableSnapshotBlockPublicAccessCommand)).toHaveLength(0);
  });

  it('reports a refused enable as failed, never rejecting', async () => {
    ec2Mock.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: 'unblocked' });
    ec2Mock
      .on(EnableSnapshotBlockPublicAccessCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'UnauthorizedOperation' }));
    expect(await removeSnapshotPermission.revert(change, context(false))).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: { name: 'UnauthorizedOperation', message: 'not allowed' },
      }),
    ]);
  });

  it('undo disables it again when it was unblocked, and is already done when it is', async () => {
    const reverted = [
      {
        action: 'remove-snapshot-permission',
        target: change.target,
        status: 'done' as const,
        detail: '',
        before: { state: 'unblocked' },
      },
    ];
    ec2Mock.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: 'block-new-sharing' });
    ec2Mock.on(DisableSnapshotBlockPublicAccessCommand).resolves({ State: 'unblocked' });
    expect(
      (await removeSnapshotPermission.undo(change, reverted, context(false))).map((o) => o.status),
    ).toEqual(['done']);
    expect(ec2Mock.commandCalls(DisableSnapshotBlockPublicAccessCommand)).toHaveLength(1);
    ec2Mock.reset();
    ec2Mock.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: 'unblocked' });
    expect(
      (await removeSnapshotPermission.undo(change, reverted, context(false))).map((o) => o.status),
    ).toEqual(['already-done']);
    expect(ec2Mock.commandCalls(DisableSnapshotBlockPublicAccessCommand)).toHaveLength(0);
  });

  it('undo puts back an earlier blocking state (block-all-sharing)', async () => {
    const reverted = [
      {
        action: 'remove-snapshot-permission',
        target: change.target,
        status: 'done' as const,
        detail: '',
        before: { state: 'block-all-sharing' },
      },
    ];
    ec2Mock.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: 'block-new-sharing' });
    ec2Mock.on(EnableSnapshotBlockPublicAccessCommand).resolves({});
    await removeSnapshotPermission.undo(change, reverted, context(false));
    expect(ec2Mock.commandCalls(EnableSnapshotBlockPublicAccessCommand).map((c) => c.args[0].input)).toEqual([
      { State: 'block-all-sharing' },
    ]);
  });
});

describe('remove-snapshot-permission in another account', () => {
  it('fails without a call when the record is of another account', async () => {
    const [change] = removeSnapshotPermission.changesOf(
      ec2Record(
        'ModifySnapshotAttribute',
        { snapshotId: 'snap-0abc', createVolumePermission: { add: { items: [{ group: 'all' }] } } },
        { _return: true },
        { recipientAccountId: '999988887777' },
      ),
    );
    expect(await removeSnapshotPermission.revert(change, context(false))).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.objectContaining({ name: 'OtherAccount' }) }),
    ]);
    expect(ec2Mock.calls()).toHaveLength(0);
  });
});
