/**
 * revokeRoleSessions on an in-memory IAM: the order of its calls (two round trips, reads first),
 * that no failure stops another step, and how it decides "already done". The documents IAM ends
 * up holding are checked against moto in contain.moto.test.ts.
 */
import { revokeOlderSessionsDocument, revokeRoleSessions } from '../../../../lambda/actions/iam-role';
import { DENY_ALL_POLICY_DOCUMENT } from '../../../../lambda/actions/iam-user/deny-policy';
import { FakeRoleIam, throttling } from './support/fake-role-iam';

const NOW = new Date('2024-05-06T07:08:09.000Z');
const ROLE = 'web-app';

describe('revokeRoleSessions', () => {
  let fake: FakeRoleIam;
  beforeEach(() => {
    fake = new FakeRoleIam();
    fake.addRole(ROLE, { tags: { team: 'payments' } });
  });
  afterEach(() => fake.restore());

  const contain = (extra: Partial<Parameters<typeof revokeRoleSessions>[0]> = {}) =>
    revokeRoleSessions({ iam: fake.client, roleName: ROLE, incidentId: 'inc-1', now: NOW, ...extra });

  it('reads everything in one round trip, then writes everything in a second', async () => {
    fake.delayMs = 5;
    await contain({ denyAll: true });

    expect(fake.calls.map((call) => [call.command, call.input.PolicyName ?? null, call.depth])).toEqual([
      ['GetRole', null, 1],
      ['GetRolePolicy', 'AWSRevokeOlderSessions', 1],
      ['GetRolePolicy', 'cordon-deny-all', 1],
      ['ListRoleTags', null, 1],
      ['PutRolePolicy', 'AWSRevokeOlderSessions', 2],
      ['PutRolePolicy', 'cordon-deny-all', 2],
      ['TagRole', null, 2],
    ]);
  });

  it('a refused revocation stops nothing else, and the record says the role is NOT contained', async () => {
    fake.fail('PutRolePolicy', throttling, {
      match: (input) => input.PolicyName === 'AWSRevokeOlderSessions',
    });

    const result = await contain({ denyAll: true });

    expect(result.outcomes.map((o) => [o.action, o.status, o.error?.name])).toEqual([
      ['revoke-older-sessions', 'failed', 'ThrottlingException'],
      ['deny-all-role', 'done', undefined],
      ['tag-role', 'done', undefined],
    ]);
    expect(result.outcomes[0].detail).toBe(
      'THE SESSIONS ARE NOT REVOKED: IAM refused inline policy AWSRevokeOlderSessions (ThrottlingException: Rate exceeded)',
    );
    expect(result).toMatchObject({ effective: false, failures: 1, revokedBefore: null });
    expect(result.manualSteps?.[0]).toMatch(
      /^THE SESSIONS OF ROLE web-app ARE NOT REVOKED: revoke them by hand/,
    );
    expect(fake.stateOf(ROLE).policies).toEqual({ 'cordon-deny-all': DENY_ALL_POLICY_DOCUMENT });
  });

  it('a failed read never holds the revocation back: it is put, its before-state recorded as not known', async () => {
    fake.fail('GetRolePolicy', throttling);
    fake.fail('GetRole', throttling);

    const result = await contain();

    expect(result.outcomes[0]).toMatchObject({ status: 'done', before: { document: null, known: false } });
    expect(result).toMatchObject({ effective: true, roleArn: null, revokedBefore: '2024-05-06T07:08:09Z' });
    expect(result.before.revokeOlderSessionsPolicy).toEqual({
      ok: false,
      error: { name: 'ThrottlingException', message: 'Rate exceeded' },
    });
  });

  it('does not tag a role whose tags it could not list, so that no previous value is lost', async () => {
    fake.fail('ListRoleTags', throttling);

    const result = await contain();

    expect(result.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['revoke-older-sessions', 'done'],
      ['tag-role', 'failed'],
    ]);
    expect(fake.writes().map((call) => call.command)).toEqual(['PutRolePolicy']);
    expect(result.effective).toBe(true);
  });

  it('"already done" is a revocation at or after the attack was seen, else at or after the containment instant', async () => {
    const inForce = (instant: string) =>
      fake.roles
        .get(ROLE)!
        .policies.set('AWSRevokeOlderSessions', revokeOlderSessionsDocument(new Date(instant)));
    const statusWith = async (instant: string, attackSeenAt?: string) => {
      inForce(instant);
      return (await contain({ attackSeenAt })).outcomes[0].status;
    };

    expect({
      'after the attack': await statusWith('2024-05-06T07:00:01Z', '2024-05-06T07:00:00Z'),
      'at the attack': await statusWith('2024-05-06T07:00:00Z', '2024-05-06T07:00:00.000Z'),
      'before the attack': await statusWith('2024-05-06T06:59:59Z', '2024-05-06T07:00:00Z'),
      'no attack time, at the instant': await statusWith('2024-05-06T07:08:09Z'),
      'no attack time, before the instant': await statusWith('2024-05-06T07:08:08Z'),
      'an unreadable attack time': await statusWith('2024-05-06T07:08:08Z', 'yesterday'),
    }).toEqual({
      'after the attack': 'already-done',
      'at the attack': 'already-done',
      'before the attack': 'done',
      'no attack time, at the instant': 'already-done',
      'no attack time, before the instant': 'done',
      'an unreadable attack time': 'done',
    });
  });

  it('a dry run sends no write and says what a real run would do', async () => {
    const result = await contain({ dryRun: true, denyAll: true });

    expect(fake.writes()).toEqual([]);
    expect(result.outcomes.map((o) => o.status)).toEqual(['planned', 'planned', 'planned']);
    expect(result.effective).toBe(false);
    expect(result.manualSteps?.[0]).toMatch(/^A real run would revoke every session of role web-app/);
  });

  it('requires a role name, an incident and a valid instant, before any call', async () => {
    await expect(contain({ roleName: '' })).rejects.toThrow('revokeRoleSessions: roleName is required');
    await expect(contain({ incidentId: '' })).rejects.toThrow('revokeRoleSessions: incidentId is required');
    await expect(contain({ now: new Date('not a date') })).rejects.toThrow(
      'revokeRoleSessions: now must be a valid date',
    );
    expect(fake.calls).toEqual([]);
  });
});
