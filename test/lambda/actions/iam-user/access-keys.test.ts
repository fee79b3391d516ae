import {
  accessKeys,
  deactivateAccessKeys,
  reactivateAccessKeys,
  readAccessKeys,
} from '../../../../lambda/actions/iam-user/access-keys';
import { accessDenied, FakeIam, throttling } from './support/fake-iam';
import { containContext, failedRead, ok, restoreContext } from './support/contexts';

const CREATED = '2024-01-02T03:04:05.000Z';
const active = (id: string) => ({ id, status: 'Active', createdAt: CREATED });

describe('access keys', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
    fake.addUser('alice', { accessKeys: [{ id: 'AKIA1' }, { id: 'AKIA2', status: 'Inactive' }] });
  });
  afterEach(() => fake.restore());

  it('declares what it calls', () => {
    expect(accessKeys).toEqual({
      action: 'deactivate-access-key',
      permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
      restorePermissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
    });
  });

  it('reads every key with its status and creation date, across pages', async () => {
    fake.pageCap = 1;
    await expect(readAccessKeys(fake.client, 'alice')).resolves.toEqual([
      active('AKIA1'),
      { id: 'AKIA2', status: 'Inactive', createdAt: CREATED },
    ]);
    expect(fake.calls.map((call) => call.input)).toEqual([
      { UserName: 'alice', MaxItems: 1000 },
      { UserName: 'alice', MaxItems: 1000, Marker: '1' },
    ]);
  });

  it('sets every active key Inactive (never deletes one) and reports the inactive one already done', async () => {
    const before = await readAccessKeys(fake.client, 'alice');
    fake.clearLog();

    const outcomes = await deactivateAccessKeys(containContext(fake), ok(before));

    expect(outcomes).toEqual([
      {
        action: 'deactivate-access-key',
        target: 'access-key/AKIA1',
        status: 'done',
        detail: 'access key AKIA1 set Inactive',
        before: active('AKIA1'),
      },
      {
        action: 'deactivate-access-key',
        target: 'access-key/AKIA2',
        status: 'already-done',
        detail: 'access key AKIA2 is already Inactive',
        before: { id: 'AKIA2', status: 'Inactive', createdAt: CREATED },
      },
    ]);
    expect(fake.calls.map((call) => [call.command, call.input])).toEqual([
      ['UpdateAccessKey', { UserName: 'alice', AccessKeyId: 'AKIA1', Status: 'Inactive' }],
    ]);
    expect(fake.stateOf('alice').accessKeys).toEqual({ AKIA1: 'Inactive', AKIA2: 'Inactive' });
  });

  it('plans in a dry run without any call', async () => {
    const outcomes = await deactivateAccessKeys(
      containContext(fake, { dryRun: true }),
      ok([active('AKIA1')]),
    );
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'planned', detail: 'would set access key AKIA1 Inactive' }),
    ]);
    expect(fake.calls).toEqual([]);
  });

  it('reports a user without keys as already done', async () => {
    expect(await deactivateAccessKeys(containContext(fake), ok([]))).toEqual([
      {
        action: 'deactivate-access-key',
        target: 'user/alice',
        status: 'already-done',
        detail: 'the user has no access key',
        before: null,
      },
    ]);
  });

  it('fails, with the read error, when the keys could not be listed', async () => {
    expect(await deactivateAccessKeys(containContext(fake), failedRead())).toEqual([
      {
        action: 'deactivate-access-key',
        target: 'user/alice',
        status: 'failed',
        detail: 'could not list the access keys: none was deactivated',
        error: { name: 'ThrottlingException', message: 'Rate exceeded' },
        before: null,
      },
    ]);
    expect(fake.calls).toEqual([]);
  });

  it('a key deleted between read and write is already done; any other refusal is a failure', async () => {
    fake.fail('UpdateAccessKey', () => accessDenied('iam:UpdateAccessKey'), {
      match: (input) => input.AccessKeyId === 'AKIA1',
    });

    const outcomes = await deactivateAccessKeys(
      containContext(fake),
      ok([active('AKIA1'), active('AKIAGONE')]),
    );

    expect(outcomes.map((o) => [o.target, o.status, o.error?.name])).toEqual([
      ['access-key/AKIA1', 'failed', 'AccessDenied'],
      ['access-key/AKIAGONE', 'already-done', undefined],
    ]);
    expect(outcomes[1].detail).toBe('access key AKIAGONE no longer exists: nothing to deactivate');
  });

  describe('restore', () => {
    const recorded = [
      {
        action: 'deactivate-access-key',
        target: 'access-key/AKIA1',
        status: 'done',
        detail: '',
        before: active('AKIA1'),
      },
      {
        action: 'deactivate-access-key',
        target: 'access-key/AKIA2',
        status: 'already-done',
        detail: '',
        before: { id: 'AKIA2', status: 'Inactive', createdAt: CREATED },
      },
      { action: 'deactivate-access-key', target: 'user/alice', status: 'failed', detail: '', before: null },
    ] as const;

    it('sets back to Active only the keys containment deactivated', async () => {
      fake.users.get('alice')!.accessKeys.get('AKIA1')!.status = 'Inactive';
      const current = ok(await readAccessKeys(fake.client, 'alice'));
      fake.clearLog();

      const outcomes = await reactivateAccessKeys(restoreContext(fake), recorded, current);

      expect(outcomes).toEqual([
        {
          action: 'restore-access-key-status',
          target: 'access-key/AKIA1',
          status: 'done',
          detail: 'access key AKIA1 set back to Active',
          before: active('AKIA1'),
        },
      ]);
      expect(fake.calls.map((call) => call.input)).toEqual([
        { UserName: 'alice', AccessKeyId: 'AKIA1', Status: 'Active' },
      ]);
      expect(fake.stateOf('alice').accessKeys).toEqual({ AKIA1: 'Active', AKIA2: 'Inactive' });
    });

    it('already done when the key is Active; planned in a dry run; failed when the write or the read fails', async () => {
      const inactive = ok([{ ...active('AKIA1'), status: 'Inactive' }]);
      expect(
        (await reactivateAccessKeys(restoreContext(fake), recorded, ok([active('AKIA1')])))[0].status,
      ).toBe('already-done');
      expect(
        (await reactivateAccessKeys(restoreContext(fake, { dryRun: true }), recorded, inactive))[0],
      ).toMatchObject({
        status: 'planned',
        detail: 'would set access key AKIA1 back to Active',
      });
      expect(fake.calls).toEqual([]);
      expect((await reactivateAccessKeys(restoreContext(fake), recorded, failedRead()))[0]).toMatchObject({
        status: 'failed',
        error: { name: 'ThrottlingException' },
      });
      fake.fail('UpdateAccessKey', throttling);
      expect((await reactivateAccessKeys(restoreContext(fake), recorded, inactive))[0]).toMatchObject({
        status: 'failed',
        detail: 'could not set access key AKIA1 back to Active',
        error: { name: 'ThrottlingException', message: 'Rate exceeded' },
      });
    });
  });
});
