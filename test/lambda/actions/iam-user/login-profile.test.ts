import {
  deleteLoginProfile,
  loginProfile,
  readLoginProfile,
  restoreLoginProfile,
} from '../../../../lambda/actions/iam-user/login-profile';
import { accessDenied, FakeIam } from './support/fake-iam';
import { containContext, failedRead, ok, restoreContext } from './support/contexts';

const EXISTED = { exists: true, createdAt: '2024-01-02T03:04:05.000Z', passwordResetRequired: false };
const NONE = { exists: false, createdAt: null, passwordResetRequired: null };

describe('login profile', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
  });
  afterEach(() => fake.restore());

  it('declares what it calls; restore only reads (a password cannot be recreated)', () => {
    expect(loginProfile.permissions).toEqual(['iam:GetLoginProfile', 'iam:DeleteLoginProfile']);
    expect(loginProfile.restorePermissions).toEqual(['iam:GetLoginProfile']);
  });

  it('reads whether a console password exists and when it was set; NoSuchEntity means none', async () => {
    fake.addUser('alice', { loginProfile: true });
    fake.addUser('bob', {});
    await expect(readLoginProfile(fake.client, 'alice')).resolves.toEqual(EXISTED);
    await expect(readLoginProfile(fake.client, 'bob')).resolves.toEqual(NONE);
    fake.fail('GetLoginProfile', () => accessDenied('iam:GetLoginProfile'));
    await expect(readLoginProfile(fake.client, 'alice')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('deletes the console password and records that it existed', async () => {
    fake.addUser('alice', { loginProfile: true });

    const outcomes = await deleteLoginProfile(containContext(fake), ok(EXISTED));

    expect(outcomes).toEqual([
      {
        action: 'delete-login-profile',
        target: 'user/alice',
        status: 'done',
        detail: 'console password (set 2024-01-02T03:04:05.000Z) deleted',
        before: EXISTED,
      },
    ]);
    expect(fake.stateOf('alice').loginProfile).toBe(false);
  });

  it('already done without a password, or when it vanished meanwhile; planned in a dry run; failed on a read error', async () => {
    fake.addUser('alice', {});
    expect((await deleteLoginProfile(containContext(fake), ok(NONE)))[0]).toMatchObject({
      status: 'already-done',
      detail: 'the user has no console password',
    });
    expect((await deleteLoginProfile(containContext(fake, { dryRun: true }), ok(EXISTED)))[0]).toMatchObject({
      status: 'planned',
      detail: 'would delete the console password (set 2024-01-02T03:04:05.000Z)',
    });
    expect(fake.writeCommands()).toEqual([]);
    expect((await deleteLoginProfile(containContext(fake), ok(EXISTED)))[0]).toMatchObject({
      status: 'already-done',
      detail: 'the console password was already deleted',
    });
    expect((await deleteLoginProfile(containContext(fake), failedRead()))[0]).toMatchObject({
      status: 'failed',
      before: null,
      error: { name: 'ThrottlingException' },
    });
  });

  it('fails with the AWS error when IAM refuses the delete', async () => {
    fake.addUser('alice', { loginProfile: true });
    fake.fail('DeleteLoginProfile', () => accessDenied('iam:DeleteLoginProfile'));
    expect((await deleteLoginProfile(containContext(fake), ok(EXISTED)))[0]).toMatchObject({
      status: 'failed',
      error: { name: 'AccessDenied', message: 'User is not authorized to perform: iam:DeleteLoginProfile' },
    });
  });

  describe('restore', () => {
    const deleted = [
      { action: 'delete-login-profile', target: 'user/alice', status: 'done', detail: '', before: EXISTED },
    ] as const;

    it('cannot recreate the password: a failed outcome and a manual step, no call', () => {
      const result = restoreLoginProfile(restoreContext(fake), deleted, ok(NONE));

      expect(result.outcomes).toEqual([
        {
          action: 'restore-login-profile',
          target: 'user/alice',
          status: 'failed',
          detail: 'the console password cannot be restored: a human must set a new one',
          error: { name: 'ManualStepRequired', message: 'a deleted console password cannot be restored' },
          before: EXISTED,
        },
      ]);
      expect(result.manualSteps).toEqual([
        expect.stringContaining('aws iam create-login-profile --user-name alice'),
      ]);
      expect(fake.calls).toEqual([]);
    });

    it('already done when a password exists again; nothing when none existed; planned in a dry run', () => {
      expect(restoreLoginProfile(restoreContext(fake), deleted, ok(EXISTED))).toEqual({
        outcomes: [expect.objectContaining({ status: 'already-done' })],
        manualSteps: [],
      });
      const none = [{ ...deleted[0], status: 'already-done' as const, before: NONE }];
      expect(restoreLoginProfile(restoreContext(fake), none, ok(NONE))).toEqual({
        outcomes: [],
        manualSteps: [],
      });
      const planned = restoreLoginProfile(restoreContext(fake, { dryRun: true }), deleted, ok(NONE));
      expect(planned.outcomes[0]).toMatchObject({ status: 'planned' });
      expect(planned.outcomes[0].error).toBeUndefined();
    });
  });
});
