import { containIamUser, restoreIamUser } from '../../../../lambda/actions/iam-user';
import { DENY_ALL_POLICY_DOCUMENT } from '../../../../lambda/actions/iam-user/deny-policy';
import { FakeIam, throttling } from './support/fake-iam';
import {
  ADMIN,
  AWS_DENY_ALL,
  INCIDENT,
  NOW,
  READ_ONLY,
  S3_READ,
  bulkyPolicy,
  compromisedUser,
} from './support/fixtures';

const BOUNDARY = 'arn:aws:iam::123456789012:policy/developer-boundary';
const tenManagedPolicies = [
  ADMIN,
  READ_ONLY,
  ...Array.from({ length: 8 }, (_, i) => `arn:aws:iam::123456789012:policy/p${i}`),
];

describe('deny-all', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
  });
  afterEach(() => fake.restore());

  const contain = () =>
    containIamUser({ iam: fake.client, userName: 'alice', incidentId: INCIDENT, now: NOW });

  it('puts the inline policy cordon-deny-all: Deny * on *', async () => {
    fake.addUser('alice', {});

    const result = await contain();

    expect(JSON.parse(fake.users.get('alice')!.inline.get('cordon-deny-all')!)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'CordonDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
    });
    expect(result.deny).toEqual({
      denied: true,
      method: 'inline-policy',
      policyName: 'cordon-deny-all',
      awsDenyAllArn: AWS_DENY_ALL,
      attempts: [{ method: 'inline-policy' }],
      before: {
        inlinePolicyDocument: null,
        awsDenyAllAttached: false,
        permissionsBoundaryArn: null,
        permissionsBoundaryKnown: true,
      },
    });
  });

  it('reports done on a first run even when the concurrent list already sees its own put', async () => {
    // The fake answers in send order: ListUserPolicies, sent beside the put, sees cordon-deny-all.
    fake.addUser('alice', {});

    const result = await contain();

    expect(result.before.inlinePolicies).toEqual({
      ok: true,
      value: [{ policyName: 'cordon-deny-all', document: DENY_ALL_POLICY_DOCUMENT }],
    });
    expect(result.outcomes[0]).toMatchObject({ action: 'deny-all', status: 'done' });
    await restoreIamUser({ iam: fake.client, record: result });
    expect(fake.stateOf('alice').inline).toEqual({});
  });

  describe('when IAM refuses the inline policy for its size quota (LimitExceeded)', () => {
    beforeEach(() => {
      fake.addUser(
        'alice',
        compromisedUser({ inline: { bulky: bulkyPolicy(2048 - S3_READ.length - 40), 's3-read': S3_READ } }),
      );
    });

    it('attaches AWSDenyAll instead, and keeps it attached while detaching everything else', async () => {
      const result = await contain();

      expect(result.denied).toBe(true);
      expect(result.deny).toMatchObject({
        method: 'managed-policy',
        attempts: [
          {
            method: 'inline-policy',
            error: {
              name: 'LimitExceededException',
              message: 'Maximum policy size of 2048 bytes exceeded for user alice',
            },
          },
          { method: 'managed-policy' },
        ],
        before: { awsDenyAllAttached: false },
      });
      expect(result.outcomes[0]).toMatchObject({
        status: 'done',
        detail: expect.stringMatching(
          /^IAM refused the inline policy \(LimitExceededException: .*\); arn:aws:iam::aws:policy\/AWSDenyAll attached/,
        ),
      });
      expect(fake.stateOf('alice')).toMatchObject({ attached: [AWS_DENY_ALL], inline: {}, boundary: null });
      expect(fake.commands().filter((command) => command === 'AttachUserPolicy')).toHaveLength(1);
    });

    it('restore detaches the AWSDenyAll it attached and brings the rest back', async () => {
      const before = fake.stateOf('alice');
      const record = await contain();

      const undone = await restoreIamUser({ iam: fake.client, record });

      expect(undone.outcomes).toContainEqual(
        expect.objectContaining({
          action: 'lift-deny-all',
          target: `managed-policy/${AWS_DENY_ALL}`,
          status: 'done',
        }),
      );
      expect(fake.stateOf('alice')).toEqual({ ...before, loginProfile: false });
    });

    it('a later run that now finds room adds the inline deny too; restore with the first record removes both', async () => {
      const before = fake.stateOf('alice');
      const first = await contain();
      const second = await contain(); // the bulky policy is gone: the inline deny fits now

      expect(second.deny.method).toBe('inline-policy');
      expect(fake.stateOf('alice')).toMatchObject({
        attached: [AWS_DENY_ALL],
        inline: { 'cordon-deny-all': DENY_ALL_POLICY_DOCUMENT },
      });
      const undone = await restoreIamUser({ iam: fake.client, record: first });

      expect(fake.stateOf('alice')).toEqual({ ...before, loginProfile: false });
      // The inline deny crowded the documents out of the size quota until it was lifted.
      expect(undone.outcomes.filter((outcome) => outcome.status === 'failed').map((o) => o.action)).toEqual([
        'restore-login-profile',
      ]);
      expect(
        undone.outcomes.slice(-3).map((outcome) => [outcome.action, outcome.target, outcome.status]),
      ).toEqual([
        ['lift-deny-all', 'inline-policy/cordon-deny-all', 'done'],
        ['lift-deny-all', `managed-policy/${AWS_DENY_ALL}`, 'done'],
        ['restore-inline-policy', 'inline-policy/s3-read', 'done'],
      ]);
    });

    it('does not attach AWSDenyAll again when it is attached already, and restore leaves it there', async () => {
      fake.users.get('alice')!.attached.push(AWS_DENY_ALL);
      const before = fake.stateOf('alice');

      const record = await contain();

      expect(record.deny).toMatchObject({ method: 'managed-policy', before: { awsDenyAllAttached: true } });
      expect(fake.commands()).not.toContain('AttachUserPolicy');
      expect(record.outcomes).toContainEqual(
        expect.objectContaining({
          action: 'detach-managed-policy',
          target: `managed-policy/${AWS_DENY_ALL}`,
          status: 'already-done',
        }),
      );
      await restoreIamUser({ iam: fake.client, record });
      expect(fake.stateOf('alice')).toEqual({ ...before, loginProfile: false });
    });
  });

  describe('when IAM refuses AWSDenyAll too (10 managed policies: LimitExceeded)', () => {
    beforeEach(() => {
      fake.addUser(
        'alice',
        compromisedUser({ inline: { bulky: bulkyPolicy(2000) }, attached: tenManagedPolicies }),
      );
    });

    it('sets AWSDenyAll as the permissions boundary, recording that there was none', async () => {
      const result = await contain();

      expect(result.denied).toBe(true);
      expect(result.deny).toMatchObject({
        method: 'permissions-boundary',
        attempts: [
          { method: 'inline-policy', error: { name: 'LimitExceededException' } },
          {
            method: 'managed-policy',
            error: { name: 'LimitExceededException', message: 'Cannot exceed quota for PoliciesPerUser: 10' },
          },
          { method: 'permissions-boundary' },
        ],
        before: { permissionsBoundaryArn: null, permissionsBoundaryKnown: true },
      });
      expect(result.outcomes[0].detail).toMatch(/set as the permissions boundary \(previous: none\)/);
      expect(fake.stateOf('alice')).toMatchObject({ boundary: AWS_DENY_ALL, attached: [], inline: {} });
    });

    it('restore deletes the boundary it set', async () => {
      const before = fake.stateOf('alice');
      const record = await contain();

      const undone = await restoreIamUser({ iam: fake.client, record });

      expect(undone.outcomes).toContainEqual(
        expect.objectContaining({
          action: 'lift-deny-all',
          target: 'permissions-boundary/alice',
          status: 'done',
          detail: 'permissions boundary deleted',
        }),
      );
      expect(fake.stateOf('alice')).toEqual({ ...before, loginProfile: false });
    });

    it('records a previous boundary and restore puts it back', async () => {
      fake.users.get('alice')!.boundary = BOUNDARY;
      const before = fake.stateOf('alice');

      const record = await contain();
      expect(record.deny.before).toMatchObject({
        permissionsBoundaryArn: BOUNDARY,
        permissionsBoundaryKnown: true,
      });
      expect(record.outcomes[0].detail).toContain(`(previous: ${BOUNDARY})`);
      expect(fake.stateOf('alice').boundary).toBe(AWS_DENY_ALL);

      await restoreIamUser({ iam: fake.client, record });
      expect(fake.stateOf('alice')).toEqual({ ...before, loginProfile: false });
    });

    it('a second run reports the boundary already done', async () => {
      await contain();
      fake.fail('PutUserPolicy', throttling);
      fake.fail('AttachUserPolicy', throttling);

      const second = await contain();

      expect(second.outcomes[0]).toMatchObject({
        status: 'already-done',
        detail: expect.stringMatching(/was already the permissions boundary/),
      });
      expect(fake.commands().filter((command) => command === 'PutUserPermissionsBoundary')).toHaveLength(1);
    });

    it('when GetUser failed, still sets the boundary, and restore leaves it with a manual step instead of guessing', async () => {
      fake.fail('GetUser', throttling);
      const record = await contain();
      expect(record.deny).toMatchObject({
        method: 'permissions-boundary',
        before: { permissionsBoundaryKnown: false },
      });
      expect(record.outcomes[0].detail).toContain('(previous: not known)');

      const undone = await restoreIamUser({ iam: fake.client, record });

      expect(fake.stateOf('alice').boundary).toBe(AWS_DENY_ALL);
      expect(undone.outcomes).toContainEqual(
        expect.objectContaining({
          action: 'lift-deny-all',
          status: 'failed',
          error: expect.objectContaining({ name: 'UnknownBeforeState' }),
        }),
      );
      expect(undone.manualSteps).toContainEqual(expect.stringContaining('put-user-permissions-boundary'));
      expect(undone.complete).toBe(false);
    });
  });

  describe('a policy already named cordon-deny-all with another document', () => {
    const foreign = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }],
    });

    it('is recorded when the read beside the deny sees it first, and restore puts it back', async () => {
      fake.addUser('alice', { inline: { 'cordon-deny-all': foreign } });
      fake.delays.PutUserPolicy = 20;

      const record = await contain();
      expect(record.deny.before.inlinePolicyDocument).toBe(foreign);
      expect(fake.stateOf('alice').inline).toEqual({ 'cordon-deny-all': DENY_ALL_POLICY_DOCUMENT });

      await restoreIamUser({ iam: fake.client, record });
      expect(fake.stateOf('alice').inline).toEqual({ 'cordon-deny-all': foreign });
    });

    it('is overwritten unrecorded when the deny lands first (the name is reserved): restore deletes it', async () => {
      fake.addUser('alice', { inline: { 'cordon-deny-all': foreign } });

      const record = await contain();
      expect(record.deny.before.inlinePolicyDocument).toBeNull();

      await restoreIamUser({ iam: fake.client, record });
      expect(fake.stateOf('alice').inline).toEqual({});
    });
  });

  it('takes the partition from the user ARN, or else from the client region', async () => {
    fake.restore();
    fake = new FakeIam({ region: 'cn-north-1' });
    fake.addUser('alice', {}); // the fake's ARNs are in partition aws
    fake.fail('PutUserPolicy', throttling);

    expect((await contain()).deny.awsDenyAllArn).toBe(AWS_DENY_ALL);

    fake.fail('GetUser', throttling);
    fake.clearLog();
    const record = await contain();

    expect(record.deny.awsDenyAllArn).toBe('arn:aws-cn:iam::aws:policy/AWSDenyAll');
    expect(fake.calls.find((call) => call.command === 'AttachUserPolicy')?.input.PolicyArn).toBe(
      'arn:aws-cn:iam::aws:policy/AWSDenyAll',
    );
  });

  it('a dry run plans the deny and its fallbacks without sending any of them', async () => {
    fake.addUser(
      'alice',
      compromisedUser({ inline: { bulky: bulkyPolicy(2000) }, attached: tenManagedPolicies }),
    );

    const result = await containIamUser({
      iam: fake.client,
      userName: 'alice',
      incidentId: INCIDENT,
      dryRun: true,
    });

    expect(result.deny).toMatchObject({ denied: false, method: null, attempts: [] });
    expect(result.outcomes[0]).toMatchObject({
      status: 'planned',
      detail: expect.stringMatching(
        /would put inline policy cordon-deny-all .* attach arn:aws:iam::aws:policy\/AWSDenyAll; .* permissions boundary/,
      ),
    });
    expect(fake.writeCommands()).toEqual([]);
  });
});
