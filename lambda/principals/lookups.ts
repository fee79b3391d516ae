/**
 * What the planner needs to know about a principal and the event does not say, read beside the
 * claim (zero round trips before the deny): a user's or a role's real ARN (its path decides
 * protection), whether a role still exists, and the role of an instance profile. A failure is a
 * fact too: the planner then holds back, or reports what it could not do.
 */
import {
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { isNoSuchEntity } from '../actions/iam-user/context';
import { errorOf, type ActionModule } from '../actions/types';
import type { PrincipalFacts } from '../planning/plan';

/** The reads below, declared like an action module's: the stack grants exactly these. */
export const PRINCIPAL_LOOKUPS: ActionModule = {
  action: 'look-up-principal',
  permissions: ['iam:GetUser', 'iam:GetRole', 'iam:GetInstanceProfile'],
  restorePermissions: [],
  resources: ['user', 'role', 'instance-profile'],
};

function failure(call: string, thrown: unknown): string {
  const error = errorOf(thrown);
  return `${call} failed: ${error.name}: ${error.message}`;
}

/** The IAM user's real ARN (its path is what a `protectedPrincipals` pattern may name). */
export async function lookUpUserArn(iam: IAMClient, userName: string): Promise<PrincipalFacts> {
  try {
    const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
    return User?.Arn ? { userArn: User.Arn } : { userLookupError: 'iam:GetUser returned no ARN' };
  } catch (thrown) {
    return { userLookupError: failure(`iam:GetUser ${userName}`, thrown) };
  }
}

/** The role's real ARN, or that it no longer exists (a finding hours late, the attacker covering its tracks). */
export async function lookUpRoleArn(iam: IAMClient, roleName: string): Promise<PrincipalFacts> {
  try {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    return Role?.Arn ? { roleArn: Role.Arn } : { roleLookupError: 'iam:GetRole returned no ARN' };
  } catch (thrown) {
    const missing = isNoSuchEntity(errorOf(thrown));
    return {
      roleLookupError: failure(`iam:GetRole ${roleName}`, thrown),
      ...(missing ? { roleMissing: true } : {}),
    };
  }
}

/** `arn:aws:iam::123456789012:instance-profile/path/NAME` → NAME. */
function instanceProfileName(arn: string): string | undefined {
  const resource = arn.split(':').slice(5).join(':');
  if (!resource.startsWith('instance-profile/')) return undefined;
  return resource.split('/').pop() || undefined;
}

/** The role of an instance profile (it holds one at most): whose sessions the instance's credentials are. */
export async function lookUpInstanceRole(
  iam: IAMClient,
  instanceProfileArn: string,
): Promise<PrincipalFacts> {
  const name = instanceProfileName(instanceProfileArn);
  if (!name) return { instanceRoleLookupError: `${instanceProfileArn} is not an instance profile ARN` };
  try {
    const { InstanceProfile } = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }));
    const role = InstanceProfile?.Roles?.[0];
    return role?.RoleName && role.Arn
      ? { instanceRole: { name: role.RoleName, arn: role.Arn } }
      : { instanceRoleLookupError: `instance profile ${name} has no role` };
  } catch (thrown) {
    return { instanceRoleLookupError: failure(`iam:GetInstanceProfile ${name}`, thrown) };
  }
}
