/**
 * The containment record of a role (what `revokeRoleSessions` returns, what the caller stores and
 * what `restoreIamRole` reads back) and the restore result. Plain JSON throughout.
 */
import type { TagState } from '../iam-user/tags';
import type { ContainmentRecordBase, Read, RestoreRecordBase } from '../types';
import type { DenyAllRoleOutcome, LiftDenyAllRoleOutcome } from './deny-all';
import type { RestoreOlderSessionsPolicyOutcome, RevokeOlderSessionsOutcome } from './revoke-sessions';
import type { RoleState } from './role';
import type { RestoreRoleTagsOutcome, TagRoleOutcome } from './tags';

export const ROLE_CONTAINMENT_RECORD_KIND = 'cordon/iam-role-containment';
export const ROLE_RESTORE_RESULT_KIND = 'cordon/iam-role-restore';

/** One outcome of a role's containment, told apart by `action`. */
export type RoleContainmentOutcome = RevokeOlderSessionsOutcome | DenyAllRoleOutcome | TagRoleOutcome;

/** One outcome of a role's restore, told apart by `action`. */
export type RoleRestoreOutcome =
  RestoreOlderSessionsPolicyOutcome | LiftDenyAllRoleOutcome | RestoreRoleTagsOutcome;

/** The role as read before any change: evidence, and what restore brings back. */
export interface RoleSnapshot {
  readonly role: Read<RoleState>;
  /** `AWSRevokeOlderSessions`, URL-decoded (null: the role had none). */
  readonly revokeOlderSessionsPolicy: Read<string | null>;
  /** `cordon-deny-all`, URL-decoded (null: none); null here when no deny-all was asked, so not read. */
  readonly denyAllPolicy: Read<string | null> | null;
  /** Every tag of the role. */
  readonly tags: Read<readonly TagState[]>;
}

export interface RoleContainmentResult extends ContainmentRecordBase<
  typeof ROLE_CONTAINMENT_RECORD_KIND,
  RoleContainmentOutcome
> {
  readonly roleName: string;
  /** From GetRole; null when it could not be read. */
  readonly roleArn: string | null;
  /**
   * The `DateLessThan` of `AWSRevokeOlderSessions` once containment is over: every session of the
   * role issued before it is denied every action. Null when no revocation is in force.
   */
  readonly revokedBefore: string | null;
  readonly before: RoleSnapshot;
}

/** One outcome per policy or tag that containment put; what changed since is left alone. */
export interface RoleRestoreResult extends RestoreRecordBase<
  typeof ROLE_RESTORE_RESULT_KIND,
  RoleRestoreOutcome
> {
  readonly roleName: string;
}

/** The outcomes of one action in a role's record. */
export function roleOutcomesOf<A extends RoleContainmentOutcome['action']>(
  outcomes: readonly RoleContainmentOutcome[],
  action: A,
): Extract<RoleContainmentOutcome, { action: A }>[] {
  return outcomes.filter(
    (outcome): outcome is Extract<RoleContainmentOutcome, { action: A }> => outcome.action === action,
  );
}
