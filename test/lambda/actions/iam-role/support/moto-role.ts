/**
 * Staging and inspection of IAM roles on moto, for the integration tests. The state reader uses
 * the SDK directly (not the action modules' readers), so that the tests do not check the code
 * with itself.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { emulatorClientConfig, uniqueName } from '../../../../support/moto';

export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

export const S3_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' }],
});

/** A trust policy that lets `principalArn` (an IAM user) assume the role. */
export function trustedBy(principalArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principalArn }, Action: 'sts:AssumeRole' }],
  });
}

export function motoIam(url: string): IAMClient {
  return new IAMClient({ ...emulatorClientConfig(url), maxAttempts: 1 });
}

/** Every command the client sends, by name (`PutRolePolicy`, ...), in order. */
export function recordCommands(iam: IAMClient): string[] {
  const sent: string[] = [];
  iam.middlewareStack.add(
    (next, context) => (args) => {
      sent.push((context.commandName ?? '').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return sent;
}

export const isWrite = (command: string) => !/^(Get|List)/.test(command);

/** A role such as a workload's: AdministratorAccess, an inline policy of its own, a tag. */
export async function stageRole(iam: IAMClient, trustedPrincipal = 'arn:aws:iam::123456789012:root') {
  const roleName = uniqueName('web-app');
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: trustedBy(trustedPrincipal),
      Tags: [{ Key: 'team', Value: 'payments' }],
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: ADMINISTRATOR_ACCESS }));
  await iam.send(
    new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 's3-read', PolicyDocument: S3_READ }),
  );
  return { roleName, roleArn: Role!.Arn! };
}

/** Everything IAM says about the role's permissions and tags, sorted, documents parsed. */
export async function readRoleState(iam: IAMClient, roleName: string) {
  const [role, names, attached, tags] = await Promise.all([
    iam.send(new GetRoleCommand({ RoleName: roleName })),
    iam.send(new ListRolePoliciesCommand({ RoleName: roleName })),
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
    iam.send(new ListRoleTagsCommand({ RoleName: roleName })),
  ]);
  const inline = await Promise.all(
    (names.PolicyNames ?? []).map(async (name) => {
      const { PolicyDocument } = await iam.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }),
      );
      return [name, JSON.parse(decodeURIComponent(PolicyDocument ?? '')) as unknown] as const;
    }),
  );
  return {
    arn: role.Role?.Arn,
    inlinePolicies: Object.fromEntries([...inline].sort(([a], [b]) => a.localeCompare(b))),
    attachedPolicies: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn).sort(),
    tags: Object.fromEntries(
      [...(tags.Tags ?? [])]
        .sort((a, b) => (a.Key ?? '').localeCompare(b.Key ?? ''))
        .map((t) => [t.Key, t.Value]),
    ),
  };
}
