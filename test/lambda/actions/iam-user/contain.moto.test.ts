/**
 * Containment and restore against moto (a real AWS emulator), on the server the jest global
 * setup started. moto lacks the service-specific credential API and the user permissions
 * boundary API (and enforces neither IAM quota the deny fallbacks answer): those paths are
 * covered by the unit tests with aws-sdk-client-mock.
 */
import { IAMClient, IAMServiceException } from '@aws-sdk/client-iam';
import { containIamUser, restoreIamUser } from '../../../../lambda/actions/iam-user';
import { DENY_ALL_POLICY_DOCUMENT } from '../../../../lambda/actions/iam-user/deny-policy';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../../support/moto';
import {
  ADMINISTRATOR_ACCESS,
  EC2_DESCRIBE,
  S3_READ_WITH_ODD_CHARACTERS,
  motoIam,
  stageCompromisedUser,
} from './support/moto-iam';
import { readUserState } from '../../../support/iam-user-state';

const NOW = new Date('2024-05-06T07:08:09.000Z');

describe('IAM user containment on moto', () => {
  let iam: IAMClient;
  beforeAll(() => {
    iam = motoIam(sharedMotoUrl());
  });

  it('contains a staged user: every field of its state, and every outcome', async () => {
    const staged = await stageCompromisedUser(iam);
    const before = await readUserState(iam, staged.userName);
    const incidentId = uniqueName('inc');

    const result = await containIamUser({ iam, userName: staged.userName, incidentId, now: NOW });

    const after = await readUserState(iam, staged.userName);
    const [sshKeyId] = Object.keys(before.sshPublicKeys);
    const [certificateId] = Object.keys(before.signingCertificates);
    expect(after).toEqual({
      arn: before.arn,
      permissionsBoundary: null,
      accessKeys: { [staged.attackerKey.accessKeyId]: 'Inactive', [staged.inactiveKeyId]: 'Inactive' },
      loginProfile: { exists: false },
      attachedPolicies: [],
      inlinePolicies: { 'cordon-deny-all': DENY_ALL_POLICY_DOCUMENT },
      groups: [],
      sshPublicKeys: { [sshKeyId]: 'Inactive' },
      signingCertificates: { [certificateId]: 'Inactive' },
      mfaDevices: [staged.mfaSerial],
      tags: { 'cordon:contained-at': NOW.toISOString(), 'cordon:incident': incidentId, team: 'payments' },
    });
    expect(result).toMatchObject({
      userName: staged.userName,
      userArn: before.arn,
      denied: true,
      deny: { method: 'inline-policy', attempts: [{ method: 'inline-policy' }] },
      mfaDevices: [staged.mfaSerial],
      failures: 0,
    });
    expect(Object.fromEntries(result.outcomes.map((o) => [o.target, [o.action, o.status]]))).toEqual({
      [`user/${staged.userName}`]: expect.any(Array),
      [`access-key/${staged.attackerKey.accessKeyId}`]: ['deactivate-access-key', 'done'],
      [`access-key/${staged.inactiveKeyId}`]: ['deactivate-access-key', 'already-done'],
      [`managed-policy/${ADMINISTRATOR_ACCESS}`]: ['detach-managed-policy', 'done'],
      [`managed-policy/${staged.customerPolicyArn}`]: ['detach-managed-policy', 'done'],
      'inline-policy/s3-read': ['delete-inline-policy', 'done'],
      'inline-policy/ec2-describe': ['delete-inline-policy', 'done'],
      [`group/${staged.groups[0]}`]: ['remove-from-group', 'done'],
      [`group/${staged.groups[1]}`]: ['remove-from-group', 'done'],
      [`ssh-public-key/${sshKeyId}`]: ['deactivate-ssh-public-key', 'done'],
      [`signing-certificate/${certificateId}`]: ['deactivate-signing-certificate', 'done'],
      [`mfa-device/${staged.mfaSerial}`]: ['record-mfa-device', 'already-done'],
    });
    const onUser = result.outcomes.filter((o) => o.target === `user/${staged.userName}`);
    expect(onUser.map((o) => [o.action, o.status])).toEqual([
      ['deny-all', 'done'],
      ['delete-login-profile', 'done'],
      ['deactivate-service-specific-credential', 'already-done'],
      ['tag-user', 'done'],
    ]);
    // The record keeps the documents, decoded, and what the login profile was.
    expect(result.before.inlinePolicies).toEqual({
      ok: true,
      value: expect.arrayContaining([
        { policyName: 's3-read', document: S3_READ_WITH_ODD_CHARACTERS },
        { policyName: 'ec2-describe', document: EC2_DESCRIBE },
      ]),
    });
    expect(result.before.loginProfile).toEqual({
      ok: true,
      value: { exists: true, createdAt: before.loginProfile.createDate, passwordResetRequired: false },
    });
  });

  it('a second run changes nothing and reports every step already done', async () => {
    const staged = await stageCompromisedUser(iam);
    const incidentId = uniqueName('inc');
    await containIamUser({ iam, userName: staged.userName, incidentId, now: NOW });
    const contained = await readUserState(iam, staged.userName);

    const second = await containIamUser({ iam, userName: staged.userName, incidentId, now: new Date() });

    expect(await readUserState(iam, staged.userName)).toEqual(contained);
    expect(second.failures).toBe(0);
    expect(second.outcomes.length).toBeGreaterThanOrEqual(10);
    expect(second.outcomes.filter((o) => o.status !== 'already-done')).toEqual([]);
  });

  it('restore brings every field back as it was, except the console password (a manual step)', async () => {
    const staged = await stageCompromisedUser(iam);
    const before = await readUserState(iam, staged.userName);
    const record = await containIamUser({
      iam,
      userName: staged.userName,
      incidentId: uniqueName('inc'),
      now: NOW,
    });

    const undone = await restoreIamUser({ iam, record });

    const after = await readUserState(iam, staged.userName);
    expect(after.arn).toBe(before.arn);
    expect(after.permissionsBoundary).toBe(before.permissionsBoundary);
    expect(after.accessKeys).toEqual(before.accessKeys);
    expect(after.attachedPolicies).toEqual(before.attachedPolicies);
    expect(after.inlinePolicies).toEqual(before.inlinePolicies);
    expect(after.groups).toEqual(before.groups);
    expect(after.sshPublicKeys).toEqual(before.sshPublicKeys);
    expect(after.signingCertificates).toEqual(before.signingCertificates);
    expect(after.mfaDevices).toEqual(before.mfaDevices);
    expect(after.tags).toEqual(before.tags);
    expect(after.loginProfile).toEqual({ exists: false });
    expect(undone.manualSteps).toEqual([
      expect.stringContaining(`User ${staged.userName} had a console password`),
    ]);
    expect(
      undone.outcomes.filter((o) => o.status === 'failed').map((o) => [o.action, o.error?.name]),
    ).toEqual([['restore-login-profile', 'ManualStepRequired']]);

    // Restore is idempotent too.
    const again = await restoreIamUser({ iam, record });
    expect(again.outcomes.filter((o) => o.status === 'done')).toEqual([]);
    expect(await readUserState(iam, staged.userName)).toEqual(after);
  });

  it('a dry run reads everything and changes nothing', async () => {
    const staged = await stageCompromisedUser(iam);
    const before = await readUserState(iam, staged.userName);

    const result = await containIamUser({
      iam,
      userName: staged.userName,
      incidentId: uniqueName('inc'),
      dryRun: true,
    });

    expect(await readUserState(iam, staged.userName)).toEqual(before);
    expect(new Set(result.outcomes.map((o) => o.status))).toEqual(new Set(['planned']));
    expect(result.before.accessKeys).toMatchObject({
      ok: true,
      value: expect.arrayContaining([expect.anything()]),
    });
  });

  it("moto's missing service-specific credential API is a failed outcome; every other step is still done", async () => {
    const staged = await stageCompromisedUser(iam);
    const plain = new IAMClient({ ...emulatorClientConfig(sharedMotoUrl()), maxAttempts: 1 });

    const result = await containIamUser({
      iam: plain,
      userName: staged.userName,
      incidentId: uniqueName('inc'),
      now: NOW,
    });

    expect(result.denied).toBe(true);
    expect(result.failures).toBe(1);
    expect(result.outcomes.find((o) => o.status === 'failed')).toMatchObject({
      action: 'deactivate-service-specific-credential',
      detail: 'could not list the service-specific credentials: none was deactivated',
      // moto answers HTTP 500 with an HTML page: reported as what it is, not as a parse error.
      error: {
        name: 'NotAnAwsResponse',
        message: expect.stringContaining('answered HTTP 500, not an AWS API response'),
      },
    });
    expect(await readUserState(iam, staged.userName)).toMatchObject({ attachedPolicies: [], groups: [] });
  });

  it("honours the caller's retry configuration: a throttled call is retried by the client", async () => {
    const staged = await stageCompromisedUser(iam);
    const retrying = motoIam(sharedMotoUrl(), { retryMode: 'adaptive', maxAttempts: 3 });
    const attempts = new Map<string, number>();
    // The deny and the access key update are throttled on their first attempt (inside the retry
    // loop, as a throttled HTTP answer would be).
    const throttled = new Set(['PutUserPolicyCommand', 'UpdateAccessKeyCommand']);
    retrying.middlewareStack.add(
      (next, context) => async (args) => {
        const key = `${context.commandName}:${JSON.stringify(args.input ?? {})}`;
        const seen = attempts.get(key) ?? 0;
        attempts.set(key, seen + 1);
        if (seen === 0 && throttled.has(context.commandName ?? '')) {
          throw new IAMServiceException({
            name: 'ThrottlingException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
            message: 'Rate exceeded',
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'throttleFirstAttempt' },
    );

    const result = await containIamUser({
      iam: retrying,
      userName: staged.userName,
      incidentId: uniqueName('inc'),
      now: NOW,
    });

    expect(result.failures).toBe(0);
    expect(result.denied).toBe(true);
    const retried = [...attempts].filter(([, count]) => count > 1).map(([key]) => key.split(':')[0]);
    expect(retried.sort()).toEqual(['PutUserPolicyCommand', 'UpdateAccessKeyCommand']);
  });
});
