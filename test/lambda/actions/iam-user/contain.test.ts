import { containIamUser, type ContainmentResult } from '../../../../lambda/actions/iam-user';
import { DENY_ALL_POLICY_DOCUMENT } from '../../../../lambda/actions/iam-user/deny-policy';
import { FakeIam, accessDenied, throttling } from './support/fake-iam';
import {
  ADMIN,
  AWS_DENY_ALL,
  EC2_ALL,
  INCIDENT,
  NOW,
  READ_ONLY,
  S3_READ,
  compromisedUser,
} from './support/fixtures';

const READS = [
  'GetUser',
  'ListAccessKeys',
  'GetLoginProfile',
  'ListAttachedUserPolicies',
  'ListUserPolicies',
  'ListGroupsForUser',
  'ListSSHPublicKeys',
  'ListSigningCertificates',
  'ListServiceSpecificCredentials',
  'ListMFADevices',
  'ListUserTags',
];

const statusesOf = (result: ContainmentResult) =>
  Object.fromEntries(
    result.outcomes.map((outcome) => [`${outcome.action} ${outcome.target}`, outcome.status]),
  );

describe('containIamUser', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
  });
  afterEach(() => fake.restore());

  const contain = (options: { dryRun?: boolean; userName?: string } = {}) =>
    containIamUser({
      iam: fake.client,
      userName: options.userName ?? 'alice',
      incidentId: INCIDENT,
      dryRun: options.dryRun ?? false,
      now: NOW,
    });

  it('cuts the user off, strips every permission and credential, keeps the evidence, and reports each step', async () => {
    fake.addUser('alice', compromisedUser());

    const result = await contain();

    expect(fake.stateOf('alice')).toEqual({
      accessKeys: { AKIAATTACKERKEY00001: 'Inactive', AKIAOLDINACTIVEKEY02: 'Inactive' },
      loginProfile: false,
      attached: [],
      inline: { 'cordon-deny-all': DENY_ALL_POLICY_DOCUMENT },
      groups: [],
      sshPublicKeys: { APKASSHKEY0000000001: 'Inactive' },
      signingCertificates: { CERT0000000000000000000000000001: 'Inactive' },
      serviceCredentials: { ACCASERVICECRED00001: 'Inactive' },
      mfaDevices: ['arn:aws:iam::123456789012:mfa/alice'],
      tags: { 'cordon:contained-at': NOW.toISOString(), 'cordon:incident': INCIDENT, team: 'payments' },
      boundary: null,
    });
    expect(result).toMatchObject({
      kind: 'cordon/iam-user-containment',
      incidentId: INCIDENT,
      userName: 'alice',
      userArn: 'arn:aws:iam::123456789012:user/alice',
      dryRun: false,
      startedAt: NOW.toISOString(),
      denied: true,
      deny: { method: 'inline-policy', policyName: 'cordon-deny-all', awsDenyAllArn: AWS_DENY_ALL },
      mfaDevices: ['arn:aws:iam::123456789012:mfa/alice'],
      failures: 0,
    });
    expect(statusesOf(result)).toEqual({
      'deny-all user/alice': 'done',
      'deactivate-access-key access-key/AKIAATTACKERKEY00001': 'done',
      'deactivate-access-key access-key/AKIAOLDINACTIVEKEY02': 'already-done',
      'delete-login-profile user/alice': 'done',
      [`detach-managed-policy managed-policy/${ADMIN}`]: 'done',
      [`detach-managed-policy managed-policy/${READ_ONLY}`]: 'done',
      'delete-inline-policy inline-policy/s3-read': 'done',
      'delete-inline-policy inline-policy/ec2-all': 'done',
      'remove-from-group group/developers': 'done',
      'remove-from-group group/oncall': 'done',
      'deactivate-ssh-public-key ssh-public-key/APKASSHKEY0000000001': 'done',
      'deactivate-signing-certificate signing-certificate/CERT0000000000000000000000000001': 'done',
      'deactivate-service-specific-credential service-specific-credential/ACCASERVICECRED00001 (codecommit.amazonaws.com)':
        'done',
      'tag-user user/alice': 'done',
      'record-mfa-device mfa-device/arn:aws:iam::123456789012:mfa/alice': 'already-done',
    });
    expect(result.outcomes[0].action).toBe('deny-all');
  });

  it('keeps the true before-state in the record: documents decoded, dates as ISO strings, plain JSON', async () => {
    fake.addUser('alice', compromisedUser());

    const result = await contain();

    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(result.before.inlinePolicies).toEqual({
      ok: true,
      value: expect.arrayContaining([
        { policyName: 's3-read', document: S3_READ },
        { policyName: 'ec2-all', document: EC2_ALL },
      ]),
    });
    expect(result.before.accessKeys).toEqual({
      ok: true,
      value: [
        { id: 'AKIAATTACKERKEY00001', status: 'Active', createdAt: '2024-01-02T03:04:05.000Z' },
        { id: 'AKIAOLDINACTIVEKEY02', status: 'Inactive', createdAt: '2024-01-02T03:04:05.000Z' },
      ],
    });
    expect(result.before.loginProfile).toEqual({
      ok: true,
      value: { exists: true, createdAt: '2024-01-02T03:04:05.000Z', passwordResetRequired: false },
    });
    expect(result.before.groups).toEqual({
      ok: true,
      value: [
        { groupName: 'developers', groupArn: 'arn:aws:iam::123456789012:group/developers' },
        { groupName: 'oncall', groupArn: 'arn:aws:iam::123456789012:group/oncall' },
      ],
    });
    expect(result.before.tags).toEqual({ ok: true, value: [{ key: 'team', value: 'payments' }] });
    const loginOutcome = result.outcomes.find((outcome) => outcome.action === 'delete-login-profile');
    expect(loginOutcome?.before).toEqual({
      exists: true,
      createdAt: '2024-01-02T03:04:05.000Z',
      passwordResetRequired: false,
    });
  });

  it('sends the deny-all before anything else, and before any call has answered', async () => {
    fake.addUser('alice', compromisedUser());

    await contain();

    expect(fake.calls[0]).toMatchObject({
      command: 'PutUserPolicy',
      input: { UserName: 'alice', PolicyName: 'cordon-deny-all', PolicyDocument: DENY_ALL_POLICY_DOCUMENT },
    });
    const firstSettle = fake.events.findIndex((event) => event.startsWith('settle:'));
    expect(fake.events.indexOf('send:PutUserPolicy')).toBe(0);
    // Every round-one read went out beside the deny, before any answer came back.
    expect(fake.events.slice(0, firstSettle).sort()).toEqual(
      ['send:PutUserPolicy', ...READS.map((read) => `send:${read}`)].sort(),
    );
  });

  describe('dataflow: denied at depth 1, keys inactive at depth 2, all done by depth 3, whatever the counts', () => {
    const depthsByCommand = () => {
      const depths: Record<string, number[]> = {};
      for (const call of fake.calls) (depths[call.command] ??= []).push(call.depth);
      return Object.fromEntries(
        Object.entries(depths).map(([command, list]) => [command, [...new Set(list)]]),
      );
    };

    it.each([
      ['a small user', 1],
      ['a user at every IAM quota', 10],
    ])('%s', async (_label, count) => {
      fake.delayMs = 50;
      fake.inlineCharsQuota = 1_000_000;
      const range = (n: number) => Array.from({ length: n }, (_, i) => i);
      fake.addUser(
        'alice',
        compromisedUser({
          accessKeys: range(Math.min(count, 2)).map((i) => ({ id: `AKIAKEY${i}` })),
          attached: range(count).map((i) => `arn:aws:iam::123456789012:policy/p${i}`),
          inline: Object.fromEntries(range(count).map((i) => [`inline-${i}`, S3_READ])),
          groups: range(count).map((i) => `group-${i}`),
          sshPublicKeys: range(Math.min(count, 5)).map((i) => ({ id: `APKA${i}` })),
          signingCertificates: range(Math.min(count, 2)).map((i) => ({ id: `CERT${i}` })),
          serviceCredentials: range(Math.min(count, 4)).map((i) => ({
            id: `ACCA${i}`,
            serviceName: 'codecommit.amazonaws.com',
          })),
        }),
      );

      const result = await contain();

      expect(result.failures).toBe(0);
      expect(fake.maxDepth()).toBe(3);
      expect(depthsByCommand()).toEqual({
        PutUserPolicy: [1],
        ...Object.fromEntries(READS.map((read) => [read, [1]])),
        // Each change right after the one read it needs...
        GetUserPolicy: [2],
        UpdateAccessKey: [2],
        DeleteLoginProfile: [2],
        DetachUserPolicy: [2],
        RemoveUserFromGroup: [2],
        UpdateSSHPublicKey: [2],
        UpdateSigningCertificate: [2],
        UpdateServiceSpecificCredential: [2],
        TagUser: [2],
        // ...and an inline policy's delete right after its own document was read (and kept).
        DeleteUserPolicy: [3],
      });
      expect(fake.commands().filter((command) => command === 'RemoveUserFromGroup')).toHaveLength(count);
    });

    it('even when the deny falls back twice (its fallbacks at depths 2 and 3)', async () => {
      fake.delayMs = 50;
      fake.fail('PutUserPolicy', throttling);
      fake.fail('AttachUserPolicy', throttling);
      fake.addUser('alice', compromisedUser());

      const result = await contain();

      expect(result.deny.method).toBe('permissions-boundary');
      expect(fake.maxDepth()).toBe(3);
      expect(depthsByCommand()).toMatchObject({
        PutUserPolicy: [1],
        AttachUserPolicy: [2],
        PutUserPermissionsBoundary: [3],
        // The keys do not wait for the fallbacks...
        UpdateAccessKey: [2],
        // ...the detaches wait for the AWSDenyAll attach, so as not to free the slot it needs.
        DetachUserPolicy: [3],
      });
      expect(fake.indexOf('send', 'DetachUserPolicy')).toBeGreaterThan(
        fake.indexOf('settle', 'AttachUserPolicy'),
      );
    });

    it('a slow read delays nothing else: the keys go out while it is still in flight', async () => {
      fake.delayMs = 20;
      // Ten round trips for the password and the groups (a read retried with back-off, say).
      fake.slow('GetLoginProfile', 200);
      fake.slow('ListGroupsForUser', 200);
      fake.addUser('alice', compromisedUser({ accessKeys: [{ id: 'AKIAKEY1' }, { id: 'AKIAKEY2' }] }));

      const result = await contain();

      expect(result.failures).toBe(0);
      expect(depthsByCommand()).toMatchObject({ PutUserPolicy: [1], UpdateAccessKey: [2], TagUser: [2] });
      const slowest = Math.min(
        fake.indexOf('settle', 'GetLoginProfile'),
        fake.indexOf('settle', 'ListGroupsForUser'),
      );
      // Every key, every detach and every inline delete was sent before either slow read answered.
      for (const change of ['UpdateAccessKey', 'DetachUserPolicy', 'DeleteUserPolicy', 'TagUser']) {
        expect(fake.lastIndexOf('send', change)).toBeGreaterThan(-1);
        expect(fake.lastIndexOf('send', change)).toBeLessThan(slowest);
      }
      expect(fake.stateOf('alice')).toMatchObject({ loginProfile: false, groups: [] });
    });

    it('a failing read fails only its own action, and the keys still go out at depth 2', async () => {
      fake.delayMs = 20;
      fake.fail('ListAttachedUserPolicies', throttling);
      fake.fail('GetLoginProfile', throttling);
      fake.addUser('alice', compromisedUser());

      const result = await contain();

      expect(
        result.outcomes
          .filter((outcome) => outcome.status === 'failed')
          .map((o) => o.action)
          .sort(),
      ).toEqual(['delete-login-profile', 'detach-managed-policy']);
      expect(depthsByCommand()).toMatchObject({
        PutUserPolicy: [1],
        UpdateAccessKey: [2],
        DeleteUserPolicy: [3],
      });
      expect(fake.stateOf('alice').accessKeys).toMatchObject({ AKIAATTACKERKEY00001: 'Inactive' });
    });

    it("each inline policy is deleted as soon as its own document is read, not after the others'", async () => {
      fake.delayMs = 20;
      fake.slow('GetUserPolicy', 200, (input) => input.PolicyName === 'ec2-all');
      fake.addUser('alice', compromisedUser());

      const result = await contain();

      expect(result.failures).toBe(0);
      const deleted = (name: string) =>
        fake.calls.findIndex((call) => call.command === 'DeleteUserPolicy' && call.input.PolicyName === name);
      const s3ReadDelete = fake.calls[deleted('s3-read')];
      expect(s3ReadDelete.depth).toBe(3);
      // s3-read's delete went out before ec2-all's document came back; ec2-all's after it, kept.
      expect(deleted('s3-read')).toBeLessThan(deleted('ec2-all'));
      expect(fake.events.indexOf('send:DeleteUserPolicy')).toBeLessThan(
        fake.lastIndexOf('settle', 'GetUserPolicy'),
      );
      expect(result.before.inlinePolicies).toMatchObject({
        ok: true,
        value: expect.arrayContaining([{ policyName: 'ec2-all', document: EC2_ALL }]),
      });
    });
  });

  it('dry run: reads, plans every step, and makes no write call', async () => {
    fake.addUser('alice', compromisedUser());
    const before = fake.stateOf('alice');

    const result = await contain({ dryRun: true });

    expect(fake.writeCommands()).toEqual([]);
    expect(fake.commands().sort()).toEqual([...READS, 'GetUserPolicy', 'GetUserPolicy'].sort());
    expect(fake.stateOf('alice')).toEqual(before);
    expect(result.dryRun).toBe(true);
    expect(result.denied).toBe(false);
    expect(result.outcomes.length).toBe(15);
    expect(new Set(result.outcomes.map((outcome) => outcome.status))).toEqual(new Set(['planned']));
    const details = result.outcomes.map((outcome) => outcome.detail);
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^would put inline policy cordon-deny-all/),
        'would set access key AKIAATTACKERKEY00001 Inactive',
        'nothing to do: access key AKIAOLDINACTIVEKEY02 is already Inactive',
        `would detach ${ADMIN}`,
        'would delete s3-read (document kept)',
        'would remove the user from developers',
        expect.stringMatching(/^would delete the console password/),
        expect.stringMatching(/^would tag cordon:incident=inc-2024-0001/),
      ]),
    );
  });

  it('is idempotent: a second run changes nothing and reports every step already done', async () => {
    fake.addUser('alice', compromisedUser());
    await contain();
    const contained = fake.stateOf('alice');
    fake.clearLog();

    const second = await contain();

    expect(fake.stateOf('alice')).toEqual(contained);
    expect(second.failures).toBe(0);
    expect(second.denied).toBe(true);
    expect(second.outcomes.filter((outcome) => outcome.status !== 'already-done')).toEqual([]);
    expect(statusesOf(second)).toEqual({
      'deny-all user/alice': 'already-done',
      'deactivate-access-key access-key/AKIAATTACKERKEY00001': 'already-done',
      'deactivate-access-key access-key/AKIAOLDINACTIVEKEY02': 'already-done',
      'delete-login-profile user/alice': 'already-done',
      'detach-managed-policy user/alice': 'already-done',
      'delete-inline-policy user/alice': 'already-done',
      'remove-from-group user/alice': 'already-done',
      'deactivate-ssh-public-key ssh-public-key/APKASSHKEY0000000001': 'already-done',
      'deactivate-signing-certificate signing-certificate/CERT0000000000000000000000000001': 'already-done',
      'deactivate-service-specific-credential service-specific-credential/ACCASERVICECRED00001 (codecommit.amazonaws.com)':
        'already-done',
      'tag-user user/alice': 'already-done',
      'record-mfa-device mfa-device/arn:aws:iam::123456789012:mfa/alice': 'already-done',
    });
    // The only write is the deny, which goes out before anything is known (same document: no change).
    expect(fake.writeCommands()).toEqual(['PutUserPolicy']);
    // The contained-at tag keeps the first run's time.
    expect(fake.stateOf('alice').tags['cordon:contained-at']).toBe(NOW.toISOString());
  });

  it('survives throttling: a throttled call is a failed outcome with the AWS error, the rest is done', async () => {
    fake.addUser('alice', compromisedUser({ accessKeys: [{ id: 'AKIAKEY1' }, { id: 'AKIAKEY2' }] }));
    fake.fail('UpdateAccessKey', throttling, { match: (input) => input.AccessKeyId === 'AKIAKEY2' });
    fake.fail('ListGroupsForUser', throttling);

    const result = await contain();

    expect(result.failures).toBe(2);
    expect(result.denied).toBe(true);
    expect(result.outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'deactivate-access-key',
          target: 'access-key/AKIAKEY2',
          status: 'failed',
          error: { name: 'ThrottlingException', message: 'Rate exceeded' },
          before: { id: 'AKIAKEY2', status: 'Active', createdAt: '2024-01-02T03:04:05.000Z' },
        }),
        expect.objectContaining({
          action: 'remove-from-group',
          target: 'user/alice',
          status: 'failed',
          detail: 'could not list the groups: the user was removed from none',
          error: { name: 'ThrottlingException', message: 'Rate exceeded' },
        }),
        expect.objectContaining({
          action: 'deactivate-access-key',
          target: 'access-key/AKIAKEY1',
          status: 'done',
        }),
      ]),
    );
    const state = fake.stateOf('alice');
    expect(state.accessKeys).toEqual({ AKIAKEY1: 'Inactive', AKIAKEY2: 'Active' });
    expect(state.groups).toEqual(['developers', 'oncall']);
    expect(state).toMatchObject({
      attached: [],
      loginProfile: false,
      sshPublicKeys: { APKASSHKEY0000000001: 'Inactive' },
    });
  });

  it('one action refused (AccessDenied on a detach) leaves every other action done', async () => {
    fake.addUser('alice', compromisedUser());
    fake.fail('DetachUserPolicy', () => accessDenied('iam:DetachUserPolicy'), {
      match: (input) => input.PolicyArn === ADMIN,
    });

    const result = await contain();

    const failed = result.outcomes.filter((outcome) => outcome.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        action: 'detach-managed-policy',
        target: `managed-policy/${ADMIN}`,
        error: { name: 'AccessDenied', message: 'User is not authorized to perform: iam:DetachUserPolicy' },
        before: { policyArn: ADMIN, policyName: 'AdministratorAccess' },
      }),
    ]);
    expect(result.outcomes.filter((outcome) => outcome.status === 'done')).toHaveLength(12);
    expect(fake.stateOf('alice').attached).toEqual([ADMIN]);
  });

  it('keeps an inline policy whose document could not be read, and deletes the others', async () => {
    fake.addUser('alice', compromisedUser());
    fake.fail('GetUserPolicy', throttling, { match: (input) => input.PolicyName === 'ec2-all' });

    const result = await contain();

    expect(fake.stateOf('alice').inline).toEqual({
      'cordon-deny-all': DENY_ALL_POLICY_DOCUMENT,
      'ec2-all': EC2_ALL,
    });
    expect(result.outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'delete-inline-policy',
          target: 'inline-policy/ec2-all',
          status: 'failed',
          detail: 'could not read the document of ec2-all: left in place so that it is not lost',
          error: { name: 'ThrottlingException', message: 'Rate exceeded' },
        }),
        expect.objectContaining({
          action: 'delete-inline-policy',
          target: 'inline-policy/s3-read',
          status: 'done',
        }),
      ]),
    );
  });

  it('when every form of deny is refused, says so loudly and still does the rest', async () => {
    fake.addUser('alice', compromisedUser());
    fake.fail('PutUserPolicy', () => accessDenied('iam:PutUserPolicy'));
    fake.fail('AttachUserPolicy', () => accessDenied('iam:AttachUserPolicy'));
    fake.fail('PutUserPermissionsBoundary', () => accessDenied('iam:PutUserPermissionsBoundary'));

    const result = await contain();

    expect(result.denied).toBe(false);
    expect(result.deny).toMatchObject({
      denied: false,
      method: null,
      attempts: [
        { method: 'inline-policy', error: { name: 'AccessDenied' } },
        { method: 'managed-policy', error: { name: 'AccessDenied' } },
        { method: 'permissions-boundary', error: { name: 'AccessDenied' } },
      ],
    });
    expect(result.outcomes[0]).toMatchObject({
      action: 'deny-all',
      status: 'failed',
      detail: expect.stringMatching(
        /^THE USER IS NOT DENIED: IAM refused the inline-policy \(AccessDenied: /,
      ),
      error: {
        name: 'AccessDenied',
        message: 'User is not authorized to perform: iam:PutUserPermissionsBoundary',
      },
    });
    expect(result.failures).toBe(1);
    expect(fake.stateOf('alice')).toMatchObject({
      accessKeys: { AKIAATTACKERKEY00001: 'Inactive' },
      loginProfile: false,
      attached: [],
      inline: {},
      groups: [],
    });
  });

  it('follows pagination when IAM returns short pages', async () => {
    fake.pageCap = 2;
    fake.addUser(
      'alice',
      compromisedUser({
        groups: ['g1', 'g2', 'g3', 'g4', 'g5'],
        attached: [ADMIN, READ_ONLY, 'arn:aws:iam::123456789012:policy/p3'],
        tags: { a: '1', b: '2', c: '3' },
      }),
    );

    const result = await contain();

    expect(result.failures).toBe(0);
    expect(fake.stateOf('alice')).toMatchObject({
      groups: [],
      attached: [],
      inline: { 'cordon-deny-all': expect.any(String) },
    });
    expect(fake.commands().filter((command) => command === 'ListGroupsForUser')).toHaveLength(3);
    expect(fake.stateOf('alice').tags).toMatchObject({ a: '1', b: '2', c: '3', 'cordon:incident': INCIDENT });
  });

  it('a user that does not exist: every step fails with NoSuchEntity, no fallback is tried, nothing throws', async () => {
    const result = await contain({ userName: 'ghost' });

    expect(result.denied).toBe(false);
    expect(result.deny.attempts).toEqual([
      {
        method: 'inline-policy',
        error: { name: 'NoSuchEntityException', message: 'The user with name ghost cannot be found.' },
      },
    ]);
    expect(fake.writeCommands()).toEqual(['PutUserPolicy']);
    expect(result.outcomes.every((outcome) => outcome.status === 'failed')).toBe(true);
    expect(result.outcomes).toContainEqual(
      expect.objectContaining({
        action: 'delete-login-profile',
        status: 'failed',
        error: expect.objectContaining({ name: 'NoSuchEntityException' }),
      }),
    );
    expect(result.userArn).toBeNull();
  });

  it('accepts a clock for now, and rejects a call without a user or an incident before any AWS call', async () => {
    fake.addUser('alice', {});
    const result = await containIamUser({
      iam: fake.client,
      userName: 'alice',
      incidentId: INCIDENT,
      now: () => NOW,
    });
    expect(result.startedAt).toBe(NOW.toISOString());
    fake.clearLog();

    await expect(containIamUser({ iam: fake.client, userName: '', incidentId: INCIDENT })).rejects.toThrow(
      TypeError,
    );
    await expect(containIamUser({ iam: fake.client, userName: 'alice', incidentId: '' })).rejects.toThrow(
      TypeError,
    );
    expect(fake.calls).toEqual([]);
  });
});
