/**
 * restoreIamRole on an in-memory IAM: the paths moto cannot stage (a before-state that could not
 * be read, a refused write that took all the same). The usual paths are restore.moto.test.ts.
 */
import {
  restoreIamRole,
  revokeOlderSessionsDocument,
  revokeRoleSessions,
  type RoleContainmentResult,
} from '../../../../lambda/actions/iam-role';
import { FakeRoleIam, throttling } from './support/fake-role-iam';

const NOW = new Date('2024-05-06T07:08:09.000Z');
const ROLE = 'web-app';

describe('restoreIamRole', () => {
  let fake: FakeRoleIam;
  beforeEach(() => {
    fake = new FakeRoleIam();
  });
  afterEach(() => fake.restore());

  const contain = (extra: Partial<Parameters<typeof revokeRoleSessions>[0]> = {}) =>
    revokeRoleSessions({ iam: fake.client, roleName: ROLE, incidentId: 'inc-1', now: NOW, ...extra });

  it('reads in one round trip and undoes in a second', async () => {
    fake.addRole(ROLE);
    const record = await contain({ denyAll: true });
    fake.clearLog();
    fake.delayMs = 5;

    await restoreIamRole({ iam: fake.client, record });

    expect(fake.calls.map((call) => [call.command, call.input.PolicyName ?? null, call.depth])).toEqual([
      ['GetRole', null, 1],
      ['GetRolePolicy', 'AWSRevokeOlderSessions', 1],
      ['GetRolePolicy', 'cordon-deny-all', 1],
      ['ListRoleTags', null, 1],
      ['DeleteRolePolicy', 'AWSRevokeOlderSessions', 2],
      ['DeleteRolePolicy', 'cordon-deny-all', 2],
      ['UntagRole', null, 2],
    ]);
  });

  it("puts back a former incident's tags and revocation exactly", async () => {
    const earlier = revokeOlderSessionsDocument(new Date('2024-05-01T00:00:00Z'));
    fake.addRole(ROLE, {
      policies: { AWSRevokeOlderSessions: earlier },
      tags: {
        'cordon:incident': 'inc-old',
        'cordon:contained-at': '2024-05-01T00:00:00.000Z',
        team: 'payments',
      },
    });
    const before = fake.stateOf(ROLE);
    const record = await contain({ attackSeenAt: '2024-05-06T07:00:00Z' });

    const undone = await restoreIamRole({ iam: fake.client, record });

    expect(fake.stateOf(ROLE)).toEqual(before);
    expect(undone.outcomes.map((o) => [o.action, o.status, o.detail])).toEqual([
      [
        'restore-older-sessions-policy',
        'done',
        'put back the document inline policy AWSRevokeOlderSessions had before containment: done',
      ],
      [
        'restore-role-tags',
        'done',
        'set cordon:incident back to inc-old, set cordon:contained-at back to 2024-05-01T00:00:00.000Z: done',
      ],
    ]);
  });

  it('leaves a revocation whose previous document is not known, as a manual step', async () => {
    fake.addRole(ROLE);
    fake.fail('GetRolePolicy', throttling, { times: 1 });
    const record = await contain();
    expect(record.outcomes[0].before).toEqual({ document: null, known: false });

    const undone = await restoreIamRole({ iam: fake.client, record });

    expect(fake.stateOf(ROLE).policies).toEqual({ AWSRevokeOlderSessions: revokeOlderSessionsDocument(NOW) });
    expect(undone.outcomes[0]).toMatchObject({
      action: 'restore-older-sessions-policy',
      status: 'failed',
      error: { name: 'ManualStepRequired' },
    });
    expect(undone.manualSteps).toEqual([
      'Inline policy AWSRevokeOlderSessions on role web-app is still the one Cordon put, and what it replaced is not known: delete it if the role had none, or put back the previous document.',
    ]);
    expect(undone.complete).toBe(false);
  });

  it('undoes a refused write that took all the same (its answer lost), and reports nothing for one that did not', async () => {
    fake.addRole(ROLE);
    const record = await contain();
    // As if IAM had applied the put but its answer had been lost.
    const lost: RoleContainmentResult = {
      ...record,
      outcomes: record.outcomes.map((o) =>
        o.action === 'revoke-older-sessions'
          ? { ...o, status: 'failed', error: { name: 'TimeoutError', message: 'lost' } }
          : o,
      ),
    };

    const undone = await restoreIamRole({ iam: fake.client, record: lost });
    expect(undone.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['restore-older-sessions-policy', 'done'],
      ['restore-role-tags', 'done'],
    ]);
    expect(fake.stateOf(ROLE)).toEqual({ policies: {}, tags: {} });

    const nothingLeft = await restoreIamRole({ iam: fake.client, record: lost });
    expect(nothingLeft.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['restore-role-tags', 'already-done'],
    ]);
  });

  it('a failed undo is an outcome with the error; the other undoes still happen', async () => {
    fake.addRole(ROLE);
    const record = await contain({ denyAll: true });
    fake.fail('DeleteRolePolicy', throttling, {
      match: (input) => input.PolicyName === 'AWSRevokeOlderSessions',
    });

    const undone = await restoreIamRole({ iam: fake.client, record });

    expect(undone.outcomes.map((o) => [o.action, o.status, o.error?.name])).toEqual([
      ['restore-older-sessions-policy', 'failed', 'ThrottlingException'],
      ['lift-deny-all-role', 'done', undefined],
      ['restore-role-tags', 'done', undefined],
    ]);
    expect(undone.complete).toBe(false);
    expect(Object.keys(fake.stateOf(ROLE).policies)).toEqual(['AWSRevokeOlderSessions']);
  });

  it('does not undo what containment found already done, nor anything of a dry run', async () => {
    fake.addRole(ROLE, { policies: { AWSRevokeOlderSessions: revokeOlderSessionsDocument(NOW) } });
    const already = await contain({ attackSeenAt: '2024-05-06T07:00:00Z' });
    const dry = await contain({ dryRun: true });
    fake.clearLog();

    const undoneAlready = await restoreIamRole({ iam: fake.client, record: already });
    const undoneDry = await restoreIamRole({ iam: fake.client, record: dry });

    expect(undoneAlready.outcomes.map((o) => o.action)).toEqual(['restore-role-tags']);
    expect(undoneDry).toMatchObject({ outcomes: [], complete: true });
    expect(fake.stateOf(ROLE).policies).toEqual({ AWSRevokeOlderSessions: revokeOlderSessionsDocument(NOW) });
  });

  it('refuses a record of another kind', async () => {
    fake.addRole(ROLE);
    const record = await contain();
    await expect(
      restoreIamRole({
        iam: fake.client,
        record: { ...record, kind: 'cordon/iam-user-containment' } as never,
      }),
    ).rejects.toThrow(
      'restoreIamRole: not an IAM role containment record (kind cordon/iam-user-containment)',
    );
  });
});
