import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface StagedAccount {
  readonly accountId: string;
  readonly admin: {
    readonly userName: string;
    readonly arn: string;
    readonly credentials: StaticCredentials;
  };
  readonly victim: {
    readonly userName: string;
    readonly arn: string;
    /** The stolen key, then a second one. */
    readonly keys: readonly StaticCredentials[];
    readonly groups: readonly string[];
    readonly managedPolicies: readonly string[];
    readonly inlinePolicies: readonly string[];
  };
}

/** Calls made before the admin key exists: an enforcing emulator must allow exactly these unsigned. */
export const UNAUTHENTICATED_STAGING_CALLS = 3;

const policy = (actions: string[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

function clientFor(endpoint: string, credentials: StaticCredentials): IAMClient {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials });
}

/**
 * Stages, in an emulated account, a protected admin and a victim user with two access keys, a
 * console password, managed and inline policies and two group memberships: the account a
 * compromised key is found in. The first calls make the admin; every later call is signed by it.
 */
export async function stageCompromisedUser(
  endpoint: string,
  names: { admin?: string; victim?: string } = {},
): Promise<StagedAccount> {
  const adminName = names.admin ?? 'security-admin';
  const victimName = names.victim ?? 'ci-deployer';
  const bootstrap = clientFor(endpoint, {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'bootstrap',
  });
  const adminUser = await bootstrap.send(new CreateUserCommand({ UserName: adminName }));
  await bootstrap.send(
    new AttachUserPolicyCommand({
      UserName: adminName,
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    }),
  );
  const adminKey = await bootstrap.send(new CreateAccessKeyCommand({ UserName: adminName }));
  const admin = {
    accessKeyId: adminKey.AccessKey!.AccessKeyId!,
    secretAccessKey: adminKey.AccessKey!.SecretAccessKey!,
  };
  const iam = clientFor(endpoint, admin);

  const victimUser = await iam.send(new CreateUserCommand({ UserName: victimName }));
  const keys: StaticCredentials[] = [];
  for (let i = 0; i < 2; i += 1) {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: victimName }));
    keys.push({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  }
  await iam.send(
    new CreateLoginProfileCommand({
      UserName: victimName,
      Password: 'Correct-Horse-Battery-9',
      PasswordResetRequired: false,
    }),
  );
  const managedPolicies = [
    'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
    'arn:aws:iam::aws:policy/AmazonS3FullAccess',
  ];
  for (const arn of managedPolicies)
    await iam.send(new AttachUserPolicyCommand({ UserName: victimName, PolicyArn: arn }));
  const inlinePolicies = ['deploy-lambda', 'read-parameters'];
  await iam.send(
    new PutUserPolicyCommand({
      UserName: victimName,
      PolicyName: inlinePolicies[0],
      PolicyDocument: policy(['lambda:UpdateFunctionCode', 'lambda:GetFunction']),
    }),
  );
  await iam.send(
    new PutUserPolicyCommand({
      UserName: victimName,
      PolicyName: inlinePolicies[1],
      PolicyDocument: policy(['ssm:GetParameter']),
    }),
  );
  const groups = [`${victimName}-deployers`, `${victimName}-developers`];
  for (const group of groups) {
    await iam.send(new CreateGroupCommand({ GroupName: group }));
    await iam.send(
      new AttachGroupPolicyCommand({
        GroupName: group,
        PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
      }),
    );
    await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: victimName }));
  }
  return {
    accountId: adminUser.User!.Arn!.split(':')[4],
    admin: { userName: adminName, arn: adminUser.User!.Arn!, credentials: admin },
    victim: {
      userName: victimName,
      arn: victimUser.User!.Arn!,
      keys,
      groups,
      managedPolicies,
      inlinePolicies,
    },
  };
}
