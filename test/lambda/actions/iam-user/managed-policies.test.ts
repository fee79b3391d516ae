import {
  detachManagedPolicies,
  managedPolicies,
  reattachManagedPolicies,
  readAttachedPolicies,
} from '../../../../lambda/actions/iam-user/managed-policies';
import { accessDenied, FakeIam } from './support/fake-iam';
import { containContext, failedRead, ok, restoreContext } from './support/contexts';
import { ADMIN, AWS_DENY_ALL, READ_ONLY } from './support/fixtures';

const admin = { policyArn: ADMIN, policyName: 'AdministratorAccess' };
const readOnly = { policyArn: READ_ONLY, policyName: 'ReadOnlyAccess' };

describe('managed policies', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
    fake.addUser('alice', { attached: [ADMIN, READ_ONLY] });
  });
  afterEach(() => fake.restore());

  it('declares what it calls', () => {
    expect(managedPolicies.permissions).toEqual(['iam:ListAttachedUserPolicies', 'iam:DetachUserPolicy']);
    expect(managedPolicies.restorePermissions).toEqual([
      'iam:ListAttachedUserPolicies',
      'iam:AttachUserPolicy',
    ]);
  });

  it('detaches every attached policy', async () => {
    const before = await readAttachedPolicies(fake.client, 'alice');
    expect(before).toEqual([admin, readOnly]);

    const outcomes = await detachManagedPolicies(containContext(fake), ok(before));

    expect(outcomes.map((o) => [o.target, o.status, o.detail])).toEqual([
      [`managed-policy/${ADMIN}`, 'done', `${ADMIN} detached`],
      [`managed-policy/${READ_ONLY}`, 'done', `${READ_ONLY} detached`],
    ]);
    expect(fake.stateOf('alice').attached).toEqual([]);
  });

  it('keeps AWSDenyAll attached: it only denies, and may be the deny itself', async () => {
    const outcomes = await detachManagedPolicies(
      containContext(fake),
      ok([{ policyArn: AWS_DENY_ALL, policyName: 'AWSDenyAll' }]),
    );
    expect(outcomes).toEqual([
      expect.objectContaining({
        status: 'already-done',
        detail: 'AWSDenyAll stays attached: it only denies',
      }),
    ]);
    expect(fake.calls).toEqual([]);
  });

  it('already done with nothing attached or a policy detached meanwhile; planned in a dry run; failures kept apart', async () => {
    expect((await detachManagedPolicies(containContext(fake), ok([])))[0]).toMatchObject({
      target: 'user/alice',
      status: 'already-done',
      detail: 'no managed policy is attached',
    });
    expect(
      (await detachManagedPolicies(containContext(fake, { dryRun: true }), ok([admin])))[0],
    ).toMatchObject({
      status: 'planned',
      detail: `would detach ${ADMIN}`,
    });
    expect(fake.calls).toEqual([]);
    fake.fail('DetachUserPolicy', () => accessDenied('iam:DetachUserPolicy'), {
      match: (input) => input.PolicyArn === READ_ONLY,
    });
    const gone = { policyArn: 'arn:aws:iam::aws:policy/Gone', policyName: 'Gone' };
    const outcomes = await detachManagedPolicies(containContext(fake), ok([admin, readOnly, gone]));
    expect(outcomes.map((o) => [o.status, o.error?.name])).toEqual([
      ['done', undefined],
      ['failed', 'AccessDenied'],
      ['already-done', undefined],
    ]);
    expect((await detachManagedPolicies(containContext(fake), failedRead()))[0]).toMatchObject({
      status: 'failed',
    });
  });

  it('restore re-attaches what was detached, and reports what is attached already', async () => {
    const outcomes = await detachManagedPolicies(containContext(fake), ok([admin, readOnly]));
    fake.users.get('alice')!.attached.push(READ_ONLY);
    fake.clearLog();

    const restored = await reattachManagedPolicies(
      restoreContext(fake),
      outcomes,
      ok(await readAttachedPolicies(fake.client, 'alice')),
    );

    expect(restored.map((o) => [o.action, o.target, o.status])).toEqual([
      ['reattach-managed-policy', `managed-policy/${ADMIN}`, 'done'],
      ['reattach-managed-policy', `managed-policy/${READ_ONLY}`, 'already-done'],
    ]);
    expect(fake.writeCommands()).toEqual(['AttachUserPolicy']);
    expect(fake.stateOf('alice').attached).toEqual([ADMIN, READ_ONLY]);
    const planned = await reattachManagedPolicies(restoreContext(fake, { dryRun: true }), outcomes, ok([]));
    expect(planned.map((o) => o.status)).toEqual(['planned', 'planned']);
    const unreadable = await reattachManagedPolicies(restoreContext(fake), outcomes, failedRead());
    expect(unreadable.map((o) => o.status)).toEqual(['failed', 'failed']);
  });
});
