import {
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListSSHPublicKeysCommand,
  ListSigningCertificatesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';

interface LoginState {
  readonly exists: boolean;
  readonly createDate?: string;
}

/** Everything IAM says about the user, sorted, as plain data. */
export async function readUserState(iam: IAMClient, userName: string) {
  const [user, keys, login, attached, inlineNames, groups, ssh, certificates, mfa, tags] = await Promise.all([
    iam.send(new GetUserCommand({ UserName: userName })),
    iam.send(new ListAccessKeysCommand({ UserName: userName })),
    iam.send(new GetLoginProfileCommand({ UserName: userName })).then<LoginState, LoginState>(
      (found) => ({
        exists: true,
        createDate: found.LoginProfile?.CreateDate?.toISOString(),
      }),
      (error: Error) => {
        if (error.name !== 'NoSuchEntityException') throw error;
        return { exists: false };
      },
    ),
    iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })),
    iam.send(new ListUserPoliciesCommand({ UserName: userName })),
    iam.send(new ListGroupsForUserCommand({ UserName: userName })),
    iam.send(new ListSSHPublicKeysCommand({ UserName: userName })),
    iam.send(new ListSigningCertificatesCommand({ UserName: userName })),
    iam.send(new ListMFADevicesCommand({ UserName: userName })),
    iam.send(new ListUserTagsCommand({ UserName: userName })),
  ]);
  const inline = await Promise.all(
    (inlineNames.PolicyNames ?? []).map(async (name) => {
      const { PolicyDocument } = await iam.send(
        new GetUserPolicyCommand({ UserName: userName, PolicyName: name }),
      );
      return [name, decodeURIComponent(PolicyDocument ?? '')] as const;
    }),
  );
  const byKey = <T>(items: T[], key: (item: T) => string) =>
    [...items].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    arn: user.User?.Arn,
    permissionsBoundary: user.User?.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    accessKeys: Object.fromEntries(
      (keys.AccessKeyMetadata ?? []).map((key) => [key.AccessKeyId, key.Status]),
    ),
    loginProfile: login,
    attachedPolicies: byKey(attached.AttachedPolicies ?? [], (p) => p.PolicyArn ?? '').map(
      (p) => p.PolicyArn,
    ),
    inlinePolicies: Object.fromEntries(byKey([...inline], ([name]) => name)),
    groups: byKey(groups.Groups ?? [], (g) => g.GroupName ?? '').map((g) => g.GroupName),
    sshPublicKeys: Object.fromEntries(
      (ssh.SSHPublicKeys ?? []).map((key) => [key.SSHPublicKeyId, key.Status]),
    ),
    signingCertificates: Object.fromEntries(
      (certificates.Certificates ?? []).map((certificate) => [certificate.CertificateId, certificate.Status]),
    ),
    mfaDevices: (mfa.MFADevices ?? []).map((device) => device.SerialNumber),
    tags: Object.fromEntries(byKey(tags.Tags ?? [], (t) => t.Key ?? '').map((tag) => [tag.Key, tag.Value])),
  };
}
