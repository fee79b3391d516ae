import {
  containIamUser,
  IAM_USER_ACTION_MODULES,
  IAM_USER_CONTAINMENT_PERMISSIONS,
  IAM_USER_RESTORE_PERMISSIONS,
  restoreIamUser,
} from '../../../../lambda/actions/iam-user';
import { FakeIam, throttling } from './support/fake-iam';
import { INCIDENT, NOW, bulkyPolicy, compromisedUser } from './support/fixtures';

/** The IAM action an SDK command needs: iam:<operation>. */
const permissionOf = (command: string) => `iam:${command}`;

/** Runs containment and restore through every path (each deny form) and collects the commands sent. */
async function commandsSent(): Promise<{ contain: Set<string>; restore: Set<string> }> {
  const contain = new Set<string>();
  const restore = new Set<string>();
  const scenarios: ((fake: FakeIam) => void)[] = [
    () => undefined,
    (fake) => fake.fail('PutUserPolicy', throttling, { times: 1 }),
    (fake) => {
      fake.fail('PutUserPolicy', throttling, { times: 1 });
      fake.fail('AttachUserPolicy', throttling, { times: 1 });
    },
  ];
  for (const scenario of scenarios) {
    const fake = new FakeIam();
    try {
      fake.addUser(
        'alice',
        compromisedUser({
          inline: { bulky: bulkyPolicy(1500) },
          boundary: 'arn:aws:iam::123456789012:policy/b',
        }),
      );
      scenario(fake);
      const record = await containIamUser({
        iam: fake.client,
        userName: 'alice',
        incidentId: INCIDENT,
        now: NOW,
      });
      fake.commands().forEach((command) => contain.add(command));
      fake.clearLog();
      fake.users.get('alice')!.boundary = null; // so that restore has a boundary to put back
      await restoreIamUser({ iam: fake.client, record });
      fake.commands().forEach((command) => restore.add(command));
    } finally {
      fake.restore();
    }
  }
  // A boundary set where there was none is deleted on restore; a former incident's tags are put back.
  const fake = new FakeIam();
  try {
    fake.addUser('alice', compromisedUser({ tags: { 'cordon:incident': 'inc-old' } }));
    fake.fail('PutUserPolicy', throttling, { times: 1 });
    fake.fail('AttachUserPolicy', throttling, { times: 1 });
    const record = await containIamUser({
      iam: fake.client,
      userName: 'alice',
      incidentId: INCIDENT,
      now: NOW,
    });
    fake.clearLog();
    await restoreIamUser({ iam: fake.client, record });
    fake.commands().forEach((command) => restore.add(command));
  } finally {
    fake.restore();
  }
  return { contain, restore };
}

describe('IAM-user permissions', () => {
  it('are derived from the action modules declarations', () => {
    const declared = (which: 'permissions' | 'restorePermissions') =>
      [...new Set(IAM_USER_ACTION_MODULES.flatMap((module) => module[which]))].sort();
    expect(IAM_USER_CONTAINMENT_PERMISSIONS).toEqual(declared('permissions'));
    expect(IAM_USER_RESTORE_PERMISSIONS).toEqual(declared('restorePermissions'));
    expect(IAM_USER_ACTION_MODULES.map((module) => module.action)).toEqual([
      'deny-all',
      'deactivate-access-key',
      'delete-login-profile',
      'detach-managed-policy',
      'delete-inline-policy',
      'remove-from-group',
      'deactivate-ssh-public-key',
      'deactivate-signing-certificate',
      'deactivate-service-specific-credential',
      'tag-user',
      'record-mfa-device',
    ]);
  });

  it('cover exactly the calls made: no call without its permission, no permission without a call', async () => {
    const sent = await commandsSent();

    expect([...sent.contain].map(permissionOf).sort()).toEqual(IAM_USER_CONTAINMENT_PERMISSIONS);
    expect([...sent.restore].map(permissionOf).sort()).toEqual(IAM_USER_RESTORE_PERMISSIONS);
  });

  it('are least privilege: containment cannot delete keys or users; restore cannot strip the user again', () => {
    expect(IAM_USER_CONTAINMENT_PERMISSIONS).toEqual([
      'iam:AttachUserPolicy',
      'iam:DeleteLoginProfile',
      'iam:DeleteUserPolicy',
      'iam:DetachUserPolicy',
      'iam:GetLoginProfile',
      'iam:GetUser',
      'iam:GetUserPolicy',
      'iam:ListAccessKeys',
      'iam:ListAttachedUserPolicies',
      'iam:ListGroupsForUser',
      'iam:ListMFADevices',
      'iam:ListSSHPublicKeys',
      'iam:ListServiceSpecificCredentials',
      'iam:ListSigningCertificates',
      'iam:ListUserPolicies',
      'iam:ListUserTags',
      'iam:PutUserPermissionsBoundary',
      'iam:PutUserPolicy',
      'iam:RemoveUserFromGroup',
      'iam:TagUser',
      'iam:UpdateAccessKey',
      'iam:UpdateSSHPublicKey',
      'iam:UpdateServiceSpecificCredential',
      'iam:UpdateSigningCertificate',
    ]);
    for (const forbidden of [
      'iam:DeleteAccessKey',
      'iam:DeleteUser',
      'iam:DeactivateMFADevice',
      'iam:CreateLoginProfile',
    ]) {
      expect(IAM_USER_CONTAINMENT_PERMISSIONS).not.toContain(forbidden);
      expect(IAM_USER_RESTORE_PERMISSIONS).not.toContain(forbidden);
    }
    for (const containmentOnly of [
      'iam:DeleteLoginProfile',
      'iam:RemoveUserFromGroup',
      'iam:ListMFADevices',
    ]) {
      expect(IAM_USER_RESTORE_PERMISSIONS).not.toContain(containmentOnly);
    }
  });
});
