/**
 * Optional (a config choice, off by default): Cordon's deny-all as an inline policy of the role.
 * The revocation cuts off the sessions that exist; this also cuts off every session assumed from
 * now on, the workload's own included, until restore: for a role that whoever stole the session
 * may be able to assume again. Same name and document as the IAM-user deny, so a report and a
 * human read one Cordon deny everywhere.
 */
import type { ActionModule, ActionOutcome, Read } from '../types';
import { DENY_ALL_POLICY_DOCUMENT, DENY_ALL_POLICY_NAME } from '../iam-user/deny-policy';
import {
  describeError,
  nothingToDo,
  roleTarget,
  samePolicyDocument,
  withError,
  type RoleContainContext,
  type RoleRestoreContext,
} from './context';
import {
  policyBeforeOf,
  putRoleInlinePolicy,
  undoRoleInlinePolicy,
  type InlinePolicyUndone,
  type RoleInlinePolicyBefore,
} from './inline-policy';
import { noLongerExists, roleGone, type RoleState } from './role';

export const roleDenyAll = {
  action: 'deny-all-role',
  permissions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:PutRolePolicy'],
  restorePermissions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
  resources: ['role'],
} as const satisfies ActionModule;

/** `cordon-deny-all` on the role as it was before containment. */
export type DenyAllRoleBefore = RoleInlinePolicyBefore;
export type DenyAllRoleOutcome = ActionOutcome<typeof roleDenyAll.action, DenyAllRoleBefore>;
export type LiftDenyAllRoleOutcome = ActionOutcome<'lift-deny-all-role', DenyAllRoleBefore>;

export interface DenyAllRoleReads {
  readonly role: Promise<Read<RoleState>>;
  /** `cordon-deny-all` (null: absent). */
  readonly existing: Promise<Read<string | null>>;
}

const action = roleDenyAll.action;

/**
 * Puts the deny as soon as the role and the current document have been read; nothing when it is
 * already in place. A failed read never holds it back (its before-state is then not known).
 */
export async function denyAllRole(
  ctx: RoleContainContext,
  reads: DenyAllRoleReads,
): Promise<DenyAllRoleOutcome> {
  const target = roleTarget(ctx.roleName);
  const [role, existing] = await Promise.all([reads.role, reads.existing]);
  const before = policyBeforeOf(existing);
  const gone = roleGone(role);
  if (gone) {
    return {
      action,
      target,
      status: 'failed',
      detail: `${noLongerExists(ctx.roleName)}: no deny-all was put`,
      error: gone,
      before,
    };
  }
  if (
    existing.ok &&
    existing.value !== null &&
    samePolicyDocument(existing.value, DENY_ALL_POLICY_DOCUMENT)
  ) {
    return {
      action,
      target,
      ...nothingToDo(
        ctx.dryRun,
        `inline policy ${DENY_ALL_POLICY_NAME} was already in place: every action of every session is denied`,
      ),
      before,
    };
  }
  if (ctx.dryRun) {
    return {
      action,
      target,
      status: 'planned',
      detail: `would put inline policy ${DENY_ALL_POLICY_NAME} (Deny * on *): every action of every session, new ones included, denied`,
      before,
    };
  }
  const error = await putRoleInlinePolicy(ctx, DENY_ALL_POLICY_NAME, DENY_ALL_POLICY_DOCUMENT);
  return {
    action,
    target,
    status: error ? 'failed' : 'done',
    detail: error
      ? `THE ROLE IS NOT DENIED: IAM refused inline policy ${DENY_ALL_POLICY_NAME} (${describeError(error)})`
      : `inline policy ${DENY_ALL_POLICY_NAME} put: every action of every session, new ones included, is denied`,
    ...withError(error),
    before,
  };
}

/** Lifts the deny this containment put (see `undoRoleInlinePolicy`). */
export function liftDenyAllRole(
  ctx: RoleRestoreContext,
  recorded: DenyAllRoleOutcome,
  role: Read<RoleState>,
  current: Read<string | null>,
): Promise<InlinePolicyUndone<LiftDenyAllRoleOutcome['action']>> {
  return undoRoleInlinePolicy(
    ctx,
    {
      action: 'lift-deny-all-role',
      policyName: DENY_ALL_POLICY_NAME,
      document: DENY_ALL_POLICY_DOCUMENT,
      before: recorded.before,
      contained: recorded.status === 'failed' ? 'failed' : 'done',
    },
    role,
    current,
  );
}
