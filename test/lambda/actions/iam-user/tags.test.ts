import {
  CONTAINED_AT_TAG,
  containedBefore,
  INCIDENT_TAG,
  readUserTags,
  restoreUserTags,
  tagUser,
  userTags,
} from '../../../../lambda/actions/iam-user/tags';
import { FakeIam, throttling } from './support/fake-iam';
import { containContext, failedRead, ok, restoreContext } from './support/contexts';
import { INCIDENT, NOW } from './support/fixtures';

describe('user tags', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
  });
  afterEach(() => fake.restore());

  it('declares what it calls', () => {
    expect(userTags.permissions).toEqual(['iam:ListUserTags', 'iam:TagUser']);
    expect(userTags.restorePermissions).toEqual(['iam:ListUserTags', 'iam:TagUser', 'iam:UntagUser']);
  });

  it('tags the incident and the containment time, recording that neither existed; restore removes both', async () => {
    fake.addUser('alice', { tags: { team: 'payments' } });
    const outcomes = await tagUser(containContext(fake), ok(await readUserTags(fake.client, 'alice')));

    expect(outcomes).toEqual([
      {
        action: 'tag-user',
        target: 'user/alice',
        status: 'done',
        detail: `tagged cordon:incident=${INCIDENT}, cordon:contained-at=${NOW.toISOString()}`,
        before: { [INCIDENT_TAG]: null, [CONTAINED_AT_TAG]: null },
      },
    ]);
    expect(fake.stateOf('alice').tags).toEqual({
      team: 'payments',
      [INCIDENT_TAG]: INCIDENT,
      [CONTAINED_AT_TAG]: NOW.toISOString(),
    });

    const restored = await restoreUserTags(
      restoreContext(fake),
      outcomes,
      ok(await readUserTags(fake.client, 'alice')),
    );

    expect(restored[0]).toMatchObject({ action: 'restore-user-tags', status: 'done' });
    expect(fake.stateOf('alice').tags).toEqual({ team: 'payments' });
  });

  it("puts back the previous values of Cordon's tags (a former incident), leaving other tags alone", async () => {
    fake.addUser('alice', {
      tags: { team: 'payments', [INCIDENT_TAG]: 'inc-old', [CONTAINED_AT_TAG]: '2023-01-01T00:00:00.000Z' },
    });
    const outcomes = await tagUser(containContext(fake), ok(await readUserTags(fake.client, 'alice')));
    expect(outcomes[0].before).toEqual({
      [INCIDENT_TAG]: 'inc-old',
      [CONTAINED_AT_TAG]: '2023-01-01T00:00:00.000Z',
    });

    const restored = await restoreUserTags(
      restoreContext(fake),
      outcomes,
      ok(await readUserTags(fake.client, 'alice')),
    );

    expect(restored[0].detail).toBe(
      'set cordon:incident back to inc-old, set cordon:contained-at back to 2023-01-01T00:00:00.000Z: done',
    );
    expect(fake.stateOf('alice').tags).toEqual({
      team: 'payments',
      [INCIDENT_TAG]: 'inc-old',
      [CONTAINED_AT_TAG]: '2023-01-01T00:00:00.000Z',
    });
  });

  it('already done when tagged with this incident; planned in a dry run; not tagged when the tags could not be read', async () => {
    fake.addUser('alice', {});
    const tagged = ok([{ key: INCIDENT_TAG, value: INCIDENT }]);
    expect((await tagUser(containContext(fake), tagged))[0]).toMatchObject({ status: 'already-done' });
    expect((await tagUser(containContext(fake, { dryRun: true }), ok([])))[0]).toMatchObject({
      status: 'planned',
    });
    expect((await tagUser(containContext(fake), failedRead()))[0]).toMatchObject({
      status: 'failed',
      detail: 'could not list the user tags: not tagged, so that no previous value is lost',
    });
    expect(fake.calls).toEqual([]);
    fake.fail('TagUser', throttling);
    expect((await tagUser(containContext(fake), ok([])))[0]).toMatchObject({
      status: 'failed',
      error: { name: 'ThrottlingException' },
    });
  });

  it('tells whether Cordon has contained the user before', () => {
    expect(containedBefore(ok([{ key: INCIDENT_TAG, value: 'inc-1' }]))).toBe(true);
    expect(containedBefore(ok([{ key: 'team', value: 'x' }]))).toBe(false);
    expect(containedBefore(failedRead())).toBe(false);
  });

  it('restore: already done when the tags are as they were; failed when a call fails', async () => {
    fake.addUser('alice', {});
    const recorded = [
      {
        action: 'tag-user',
        target: 'user/alice',
        status: 'done',
        detail: '',
        before: { [INCIDENT_TAG]: null, [CONTAINED_AT_TAG]: null },
      },
    ] as const;
    expect((await restoreUserTags(restoreContext(fake), recorded, ok([])))[0]).toMatchObject({
      status: 'already-done',
    });
    fake.fail('UntagUser', throttling);
    const current = ok([{ key: INCIDENT_TAG, value: INCIDENT }]);
    expect((await restoreUserTags(restoreContext(fake), recorded, current))[0]).toMatchObject({
      status: 'failed',
      error: { name: 'ThrottlingException' },
    });
    expect(
      (await restoreUserTags(restoreContext(fake, { dryRun: true }), recorded, current))[0],
    ).toMatchObject({
      status: 'planned',
      detail: 'would remove cordon:incident',
    });
  });
});
