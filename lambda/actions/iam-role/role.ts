/**
 * The role itself (GetRole), read beside the before-states in the first round trip: its ARN for
 * the record, and the one clear answer to "does the role still exist?" that every step decides on.
 * (GetRolePolicy's NoSuchEntity cannot tell a missing policy from a missing role.)
 */
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { ActionError, Read } from '../types';
import { isNoSuchEntity, isoDate } from './context';

/** GetRole, as recorded. */
export interface RoleState {
  readonly arn: string | null;
  readonly roleId: string | null;
  readonly path: string | null;
  readonly createdAt: string | null;
  /** Seconds: how long a session of the role can last (one hour at most when chained). */
  readonly maxSessionDuration: number | null;
}

export async function readRole(iam: IAMClient, roleName: string): Promise<RoleState> {
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  return {
    arn: Role?.Arn ?? null,
    roleId: Role?.RoleId ?? null,
    path: Role?.Path ?? null,
    createdAt: isoDate(Role?.CreateDate),
    maxSessionDuration: Role?.MaxSessionDuration ?? null,
  };
}

/** IAM's answer when GetRole says the role does not exist; undefined otherwise (a failed read included). */
export function roleGone(role: Read<RoleState>): ActionError | undefined {
  return !role.ok && isNoSuchEntity(role.error) ? role.error : undefined;
}

/** The first words of every outcome on a role that is gone. */
export function noLongerExists(roleName: string): string {
  return `role ${roleName} no longer exists (deleted?)`;
}
