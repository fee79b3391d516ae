import {
  groups,
  readGroupMemberships,
  rejoinGroups,
  removeFromGroups,
} from '../../../../lambda/actions/iam-user/groups';
import { FakeIam, throttling } from './support/fake-iam';
import { containContext, failedRead, ok, restoreContext } from './support/contexts';

const membership = (name: string) => ({
  groupName: name,
  groupArn: `arn:aws:iam::123456789012:group/${name}`,
});

describe('groups', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
    fake.addUser('alice', { groups: ['developers', 'oncall'] });
  });
  afterEach(() => fake.restore());

  it('declares what it calls', () => {
    expect(groups.permissions).toEqual(['iam:ListGroupsForUser', 'iam:RemoveUserFromGroup']);
    expect(groups.restorePermissions).toEqual(['iam:ListGroupsForUser', 'iam:AddUserToGroup']);
  });

  it('removes the user from every group, and restore adds it back', async () => {
    const before = await readGroupMemberships(fake.client, 'alice');
    expect(before).toEqual([membership('developers'), membership('oncall')]);

    const outcomes = await removeFromGroups(containContext(fake), ok(before));

    expect(outcomes.map((o) => [o.action, o.target, o.status, o.detail])).toEqual([
      ['remove-from-group', 'group/developers', 'done', 'removed from developers'],
      ['remove-from-group', 'group/oncall', 'done', 'removed from oncall'],
    ]);
    expect(fake.stateOf('alice').groups).toEqual([]);

    const restored = await rejoinGroups(
      restoreContext(fake),
      outcomes,
      ok(await readGroupMemberships(fake.client, 'alice')),
    );

    expect(restored.map((o) => [o.action, o.target, o.status])).toEqual([
      ['rejoin-group', 'group/developers', 'done'],
      ['rejoin-group', 'group/oncall', 'done'],
    ]);
    expect(fake.stateOf('alice').groups).toEqual(['developers', 'oncall']);
  });

  it('already done when in no group or removed meanwhile; planned in a dry run; failed on errors', async () => {
    expect((await removeFromGroups(containContext(fake), ok([])))[0]).toMatchObject({
      status: 'already-done',
      detail: 'the user is in no group',
    });
    expect(
      (await removeFromGroups(containContext(fake, { dryRun: true }), ok([membership('oncall')])))[0],
    ).toMatchObject({
      status: 'planned',
      detail: 'would remove the user from oncall',
    });
    expect(fake.calls).toEqual([]);
    fake.addGroup('ex-team');
    fake.fail('RemoveUserFromGroup', throttling, { match: (input) => input.GroupName === 'oncall' });
    const outcomes = await removeFromGroups(
      containContext(fake),
      ok([membership('ex-team'), membership('oncall')]),
    );
    expect(outcomes.map((o) => [o.status, o.detail])).toEqual([
      ['already-done', 'no longer in ex-team'],
      ['failed', 'could not remove the user from oncall'],
    ]);
    expect((await removeFromGroups(containContext(fake), failedRead()))[0]).toMatchObject({
      status: 'failed',
    });
  });

  it('restore reports a membership already back as done, and a deleted group as failed', async () => {
    const recorded = [
      {
        action: 'remove-from-group',
        target: 'group/developers',
        status: 'done',
        detail: '',
        before: membership('developers'),
      },
      {
        action: 'remove-from-group',
        target: 'group/deleted',
        status: 'done',
        detail: '',
        before: membership('deleted'),
      },
    ] as const;

    const restored = await rejoinGroups(restoreContext(fake), recorded, ok([membership('developers')]));

    expect(restored.map((o) => [o.target, o.status, o.error?.name])).toEqual([
      ['group/developers', 'already-done', undefined],
      ['group/deleted', 'failed', 'NoSuchEntityException'],
    ]);
  });
});
