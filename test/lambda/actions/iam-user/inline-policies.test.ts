import {
  decodePolicyDocument,
  deleteInlinePolicies,
  inlinePolicies,
  readInlinePolicies,
  restoreInlinePolicies,
} from '../../../../lambda/actions/iam-user/inline-policies';
import { DENY_ALL_POLICY_DOCUMENT } from '../../../../lambda/actions/iam-user/deny-policy';
import { FakeIam, throttling } from './support/fake-iam';
import { containContext, failedRead, ok, restoreContext } from './support/contexts';
import { EC2_ALL, S3_READ } from './support/fixtures';

describe('inline policies', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
    fake.addUser('alice', {
      inline: { 's3-read': S3_READ, 'ec2-all': EC2_ALL, 'cordon-deny-all': DENY_ALL_POLICY_DOCUMENT },
    });
  });
  afterEach(() => fake.restore());

  it('declares what it calls', () => {
    expect(inlinePolicies.permissions).toEqual([
      'iam:ListUserPolicies',
      'iam:GetUserPolicy',
      'iam:DeleteUserPolicy',
    ]);
    expect(inlinePolicies.restorePermissions).toEqual([
      'iam:ListUserPolicies',
      'iam:GetUserPolicy',
      'iam:PutUserPolicy',
    ]);
  });

  it('URL-decodes the documents IAM returns', () => {
    expect(decodePolicyDocument('%7B%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab/a%20b%2Bc%25%22%7D')).toBe(
      '{"Resource":"arn:aws:s3:::b/a b+c%"}',
    );
    expect(decodePolicyDocument('not %E0 encoded')).toBe('not %E0 encoded');
  });

  it('reads every document, all at once after the list, each read failing on its own', async () => {
    fake.delayMs = 10;
    fake.fail('GetUserPolicy', throttling, { match: (input) => input.PolicyName === 'ec2-all' });

    const read = await readInlinePolicies(fake.client, 'alice');

    expect(read).toEqual([
      { policyName: 's3-read', document: S3_READ },
      {
        policyName: 'ec2-all',
        document: null,
        documentError: { name: 'ThrottlingException', message: 'Rate exceeded' },
      },
      { policyName: 'cordon-deny-all', document: DENY_ALL_POLICY_DOCUMENT },
    ]);
    expect(fake.calls.map((call) => [call.command, call.depth])).toEqual([
      ['ListUserPolicies', 1],
      ['GetUserPolicy', 2],
      ['GetUserPolicy', 2],
      ['GetUserPolicy', 2],
    ]);
  });

  it("deletes every inline policy but Cordon's deny, keeping the documents in the outcomes", async () => {
    const outcomes = await deleteInlinePolicies(
      containContext(fake),
      ok(await readInlinePolicies(fake.client, 'alice')),
    );

    expect(outcomes).toEqual([
      {
        action: 'delete-inline-policy',
        target: 'inline-policy/s3-read',
        status: 'done',
        detail: 's3-read deleted (document kept)',
        before: { policyName: 's3-read', document: S3_READ },
      },
      expect.objectContaining({
        target: 'inline-policy/ec2-all',
        status: 'done',
        before: { policyName: 'ec2-all', document: EC2_ALL },
      }),
    ]);
    expect(fake.stateOf('alice').inline).toEqual({ 'cordon-deny-all': DENY_ALL_POLICY_DOCUMENT });
  });

  it('leaves in place a policy whose document could not be read', async () => {
    const outcomes = await deleteInlinePolicies(
      containContext(fake),
      ok([
        {
          policyName: 'ec2-all',
          document: null,
          documentError: { name: 'ThrottlingException', message: 'Rate exceeded' },
        },
      ]),
    );
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: { name: 'ThrottlingException' } });
    expect(fake.calls).toEqual([]);
    expect(fake.stateOf('alice').inline['ec2-all']).toBe(EC2_ALL);
  });

  it("already done when only Cordon's deny is left; planned in a dry run; failed when the list failed", async () => {
    expect(
      await deleteInlinePolicies(
        containContext(fake),
        ok([{ policyName: 'cordon-deny-all', document: DENY_ALL_POLICY_DOCUMENT }]),
      ),
    ).toEqual([
      expect.objectContaining({
        target: 'user/alice',
        status: 'already-done',
        detail: 'no inline policy other than cordon-deny-all',
      }),
    ]);
    expect(
      (
        await deleteInlinePolicies(
          containContext(fake, { dryRun: true }),
          ok([{ policyName: 's3-read', document: S3_READ }]),
        )
      )[0],
    ).toMatchObject({
      status: 'planned',
      detail: 'would delete s3-read (document kept)',
    });
    expect(fake.calls).toEqual([]);
    expect((await deleteInlinePolicies(containContext(fake), failedRead()))[0]).toMatchObject({
      status: 'failed',
      before: null,
    });
  });

  it('restore puts each document back exactly, and reports one already in place (by meaning) as done', async () => {
    const outcomes = await deleteInlinePolicies(
      containContext(fake),
      ok(await readInlinePolicies(fake.client, 'alice')),
    );
    // Someone put ec2-all back with the same policy, formatted differently.
    fake.users.get('alice')!.inline.set('ec2-all', JSON.stringify(JSON.parse(EC2_ALL), null, 2));
    fake.clearLog();

    const restored = await restoreInlinePolicies(
      restoreContext(fake),
      outcomes,
      ok(await readInlinePolicies(fake.client, 'alice')),
    );

    expect(restored.map((o) => [o.action, o.target, o.status])).toEqual([
      ['restore-inline-policy', 'inline-policy/s3-read', 'done'],
      ['restore-inline-policy', 'inline-policy/ec2-all', 'already-done'],
    ]);
    expect(fake.calls.filter((call) => call.command === 'PutUserPolicy').map((call) => call.input)).toEqual([
      { UserName: 'alice', PolicyName: 's3-read', PolicyDocument: S3_READ },
    ]);
    expect(
      (await restoreInlinePolicies(restoreContext(fake, { dryRun: true }), outcomes, ok([])))[0],
    ).toMatchObject({
      status: 'planned',
    });
    expect((await restoreInlinePolicies(restoreContext(fake), outcomes, failedRead()))[0]).toMatchObject({
      status: 'failed',
    });
  });

  it('restore puts back a document that was changed since containment', async () => {
    const outcomes = await deleteInlinePolicies(
      containContext(fake),
      ok([{ policyName: 's3-read', document: S3_READ }]),
    );
    fake.users.get('alice')!.inline.set('s3-read', EC2_ALL);

    await restoreInlinePolicies(
      restoreContext(fake),
      outcomes,
      ok(await readInlinePolicies(fake.client, 'alice')),
    );

    expect(fake.stateOf('alice').inline['s3-read']).toBe(S3_READ);
  });
});
