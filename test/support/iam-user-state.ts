import {
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';

/** Every IAM fact about a user that containment changes, read field by field, sorted. */
export async function readIamUserState(iam: IAMClient, userName: string) {
  const [user, keys, attached, inlineNames, groups, tags, loginProfile] = await Promise.all([
    iam.send(new GetUserCommand({ UserName: userName })),
    iam.send(new ListAccessKeysCommand({ UserName: userName })),
    iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })),
    iam.send(new ListUserPoliciesCommand({ UserName: userName })),
    iam.send(new ListGroupsForUserCommand({ UserName: userName })),
    iam.send(new ListUserTagsCommand({ UserName: userName })),
    iam.send(new GetLoginProfileCommand({ UserName: userName })).then(
      () => true,
      (error: Error) => {
        if (error.name === 'NoSuchEntity' || error.name === 'NoSuchEntityException') return false;
        throw error;
      },
    ),
  ]);
  const inlinePolicies = await Promise.all(
    (inlineNames.PolicyNames ?? []).sort().map(async (name) => {
      const { PolicyDocument } = await iam.send(
        new GetUserPolicyCommand({ UserName: userName, PolicyName: name }),
      );
      return { name, document: JSON.parse(decodeURIComponent(PolicyDocument ?? '')) as unknown };
    }),
  );
  return {
    permissionsBoundary: user.User?.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    accessKeys: (keys.AccessKeyMetadata ?? [])
      .map((k) => ({ id: k.AccessKeyId, status: k.Status }))
      .sort((a, b) => String(a.id).localeCompare(String(b.id))),
    loginProfile,
    managedPolicies: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn).sort(),
    inlinePolicies,
    groups: (groups.Groups ?? []).map((g) => g.GroupName).sort(),
    tags: (tags.Tags ?? []).map((t) => `${t.Key}=${t.Value}`).sort(),
  };
}
