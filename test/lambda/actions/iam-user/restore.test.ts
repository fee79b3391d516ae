import { containIamUser, restoreIamUser, type ContainmentResult } from '../../../../lambda/actions/iam-user';
import { FakeIam, throttling } from './support/fake-iam';
import { ADMIN, INCIDENT, NOW, compromisedUser } from './support/fixtures';

describe('restoreIamUser', () => {
  let fake: FakeIam;
  let record: ContainmentResult;
  let before: ReturnType<FakeIam['stateOf']>;

  beforeEach(async () => {
    fake = new FakeIam();
    fake.addUser('alice', compromisedUser());
    before = fake.stateOf('alice');
    record = await containIamUser({ iam: fake.client, userName: 'alice', incidentId: INCIDENT, now: NOW });
    fake.clearLog();
  });
  afterEach(() => fake.restore());

  it('brings the user back to its exact before-state, except the console password, which is a manual step', async () => {
    const result = await restoreIamUser({ iam: fake.client, record });

    expect(fake.stateOf('alice')).toEqual({ ...before, loginProfile: false });
    expect(result).toMatchObject({
      kind: 'cordon/iam-user-restore',
      incidentId: INCIDENT,
      userName: 'alice',
      dryRun: false,
      complete: false,
    });
    expect(result.manualSteps).toEqual([
      expect.stringMatching(
        /^User alice had a console password \(set 2024-01-02T03:04:05.000Z\) that containment deleted; a password cannot be restored\. .*create-login-profile --user-name alice/,
      ),
    ]);
    expect(Object.fromEntries(result.outcomes.map((o) => [`${o.action} ${o.target}`, o.status]))).toEqual({
      'restore-access-key-status access-key/AKIAATTACKERKEY00001': 'done',
      'restore-login-profile user/alice': 'failed',
      [`reattach-managed-policy managed-policy/${ADMIN}`]: 'done',
      'reattach-managed-policy managed-policy/arn:aws:iam::aws:policy/ReadOnlyAccess': 'done',
      'restore-inline-policy inline-policy/s3-read': 'done',
      'restore-inline-policy inline-policy/ec2-all': 'done',
      'rejoin-group group/developers': 'done',
      'rejoin-group group/oncall': 'done',
      'restore-ssh-public-key-status ssh-public-key/APKASSHKEY0000000001': 'done',
      'restore-signing-certificate-status signing-certificate/CERT0000000000000000000000000001': 'done',
      'restore-service-specific-credential-status service-specific-credential/ACCASERVICECRED00001 (codecommit.amazonaws.com)':
        'done',
      'restore-user-tags user/alice': 'done',
      'lift-deny-all inline-policy/cordon-deny-all': 'done',
    });
    expect(result.outcomes.find((o) => o.action === 'restore-login-profile')).toMatchObject({
      error: { name: 'ManualStepRequired' },
    });
  });

  it('lifts the deny last, once every other change is back', async () => {
    await restoreIamUser({ iam: fake.client, record });

    const writes = fake.calls.filter((call) => !/^(Get|List)/.test(call.command));
    expect(writes.at(-1)).toMatchObject({
      command: 'DeleteUserPolicy',
      input: { PolicyName: 'cordon-deny-all' },
    });
    // Sent only after every other write had answered: one level deeper in the chain of calls.
    const lift = writes.at(-1)!;
    expect(Math.max(...writes.slice(0, -1).map((call) => call.depth))).toBe(3);
    expect(lift.depth).toBe(4);
  });

  it('is idempotent: a second restore changes nothing and reports already-done', async () => {
    await restoreIamUser({ iam: fake.client, record });
    const restored = fake.stateOf('alice');
    fake.clearLog();

    const second = await restoreIamUser({ iam: fake.client, record });

    expect(fake.writeCommands()).toEqual([]);
    expect(fake.stateOf('alice')).toEqual(restored);
    expect(second.outcomes.filter((o) => o.status !== 'already-done').map((o) => o.action)).toEqual([
      'restore-login-profile',
    ]);
  });

  it('reports the login profile already-done once a human has set a new password', async () => {
    fake.users.get('alice')!.loginProfile = { created: NOW, passwordResetRequired: true };

    const result = await restoreIamUser({ iam: fake.client, record });

    expect(result.manualSteps).toEqual([]);
    expect(result.complete).toBe(true);
    expect(result.outcomes.find((o) => o.action === 'restore-login-profile')?.status).toBe('already-done');
  });

  it('only undoes what Cordon changed: later changes and what was already so are left alone', async () => {
    const alice = fake.users.get('alice')!;
    alice.attached.push('arn:aws:iam::aws:policy/SecurityAudit'); // attached by a responder after containment
    alice.tags.set('ticket', 'SEC-42');

    const result = await restoreIamUser({ iam: fake.client, record });

    expect(fake.stateOf('alice').attached).toEqual(
      [ADMIN, 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit'].sort(),
    );
    expect(fake.stateOf('alice').tags).toEqual({ team: 'payments', ticket: 'SEC-42' });
    // The key that was Inactive before containment stays Inactive, and is not an outcome.
    expect(fake.stateOf('alice').accessKeys.AKIAOLDINACTIVEKEY02).toBe('Inactive');
    expect(result.outcomes.some((o) => o.target === 'access-key/AKIAOLDINACTIVEKEY02')).toBe(false);
  });

  it('one failing step leaves the others done, and the result is not complete', async () => {
    fake.fail('AddUserToGroup', throttling, { match: (input) => input.GroupName === 'oncall' });

    const result = await restoreIamUser({ iam: fake.client, record });

    expect(result.complete).toBe(false);
    expect(
      result.outcomes.filter((o) => o.status === 'failed').map((o) => [o.target, o.error?.name]),
    ).toEqual([
      ['user/alice', 'ManualStepRequired'],
      ['group/oncall', 'ThrottlingException'],
    ]);
    expect(fake.stateOf('alice')).toEqual({ ...before, loginProfile: false, groups: ['developers'] });
  });

  it('reports a credential deleted since containment as failed (NoSuchEntity), and restores the rest', async () => {
    fake.users.get('alice')!.accessKeys.delete('AKIAATTACKERKEY00001');

    const result = await restoreIamUser({ iam: fake.client, record });

    expect(result.outcomes.find((o) => o.target === 'access-key/AKIAATTACKERKEY00001')).toMatchObject({
      status: 'failed',
      error: { name: 'NoSuchEntityException' },
      detail: 'access key AKIAATTACKERKEY00001 no longer exists: it cannot be set back to Active',
    });
    expect(fake.stateOf('alice').groups).toEqual(['developers', 'oncall']);
  });

  it('restores steps whose containment failed only where they changed something', async () => {
    fake.restore();
    fake = new FakeIam();
    fake.addUser('alice', compromisedUser());
    fake.fail('UpdateSSHPublicKey', throttling);
    const partial = await containIamUser({
      iam: fake.client,
      userName: 'alice',
      incidentId: INCIDENT,
      now: NOW,
    });
    fake.clearLog();

    const result = await restoreIamUser({ iam: fake.client, record: partial });

    expect(result.outcomes.find((o) => o.action === 'restore-ssh-public-key-status')).toMatchObject({
      status: 'already-done',
      detail: 'SSH public key APKASSHKEY0000000001 is Active',
    });
    expect(fake.commands()).not.toContain('UpdateSSHPublicKey');
  });

  it('works from a record that went through JSON (S3, DynamoDB)', async () => {
    const stored = JSON.parse(JSON.stringify(record)) as ContainmentResult;

    await restoreIamUser({ iam: fake.client, record: stored });

    expect(fake.stateOf('alice')).toEqual({ ...before, loginProfile: false });
  });

  it('dry run: reads, plans every step, and makes no write call', async () => {
    const contained = fake.stateOf('alice');

    const result = await restoreIamUser({ iam: fake.client, record, dryRun: true });

    expect(fake.writeCommands()).toEqual([]);
    expect(fake.stateOf('alice')).toEqual(contained);
    expect(result.dryRun).toBe(true);
    expect(new Set(result.outcomes.map((o) => o.status))).toEqual(new Set(['planned']));
    expect(result.outcomes).toHaveLength(13);
    expect(result.outcomes.map((o) => o.detail)).toEqual(
      expect.arrayContaining([
        'would set access key AKIAATTACKERKEY00001 back to Active',
        `would re-attach ${ADMIN}`,
        'would delete inline policy cordon-deny-all',
        'would remove cordon:incident, remove cordon:contained-at',
      ]),
    );
  });

  it('a dry-run containment changed nothing: restore makes no call at all', async () => {
    const planned = await containIamUser({
      iam: fake.client,
      userName: 'alice',
      incidentId: INCIDENT,
      dryRun: true,
    });
    fake.clearLog();

    const result = await restoreIamUser({ iam: fake.client, record: planned });

    expect(fake.calls).toEqual([]);
    expect(result).toMatchObject({ complete: true, outcomes: [], manualSteps: [] });
  });

  it('refuses what is not an IAM user containment record', async () => {
    const notARecord = { ...record, kind: 'cordon/role-containment' } as unknown as ContainmentResult;
    await expect(restoreIamUser({ iam: fake.client, record: notARecord })).rejects.toThrow(
      'not an IAM user containment record',
    );
    expect(fake.calls).toEqual([]);
  });
});
