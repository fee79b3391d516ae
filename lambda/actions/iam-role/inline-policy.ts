/**
 * One inline policy of the role that containment puts (the revocation, the deny-all): its
 * before-state read, the put, and its undo. Shared because both policies are undone by the same
 * rule: only a document that is still the one containment put is touched; anything changed since
 * (a later revocation, by the console or another incident) is left as it is and said so.
 */
import {
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { decodePolicyDocument } from '../iam-user/inline-policies';
import { attempt, type ActionError, type ActionOutcome, type Read } from '../types';
import {
  isNoSuchEntity,
  roleTarget,
  samePolicyDocument,
  withError,
  type RoleContainContext,
  type RoleRestoreContext,
} from './context';
import { roleGone, type RoleState } from './role';

/** An inline policy of the role as it was before containment. */
export interface RoleInlinePolicyBefore {
  /** The document, URL-decoded, as IAM returned it; null when the role had no policy of that name. */
  readonly document: string | null;
  /** False when it could not be read: restore then leaves the policy in place (a manual step). */
  readonly known: boolean;
}

export const UNKNOWN_POLICY_BEFORE: RoleInlinePolicyBefore = { document: null, known: false };

/** The document of one inline policy of the role; null when the role has none of that name. */
export async function readRoleInlinePolicy(
  iam: IAMClient,
  roleName: string,
  policyName: string,
): Promise<string | null> {
  try {
    const { PolicyDocument } = await iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
    );
    return PolicyDocument === undefined ? null : decodePolicyDocument(PolicyDocument);
  } catch (thrown) {
    const name = (thrown as { name?: unknown }).name;
    if (typeof name === 'string' && isNoSuchEntity({ name, message: '' })) return null;
    throw thrown;
  }
}

export function policyBeforeOf(read: Read<string | null>): RoleInlinePolicyBefore {
  return read.ok ? { document: read.value, known: true } : UNKNOWN_POLICY_BEFORE;
}

/** Puts the document; resolves to IAM's refusal, or undefined once it is in place. */
export function putRoleInlinePolicy(
  ctx: RoleContainContext,
  policyName: string,
  document: string,
): Promise<ActionError | undefined> {
  return attempt(() =>
    ctx.iam.send(
      new PutRolePolicyCommand({ RoleName: ctx.roleName, PolicyName: policyName, PolicyDocument: document }),
    ),
  );
}

export interface InlinePolicyUndo<A extends string> {
  /** The restore outcome's action. */
  readonly action: A;
  readonly policyName: string;
  /** The document containment put (or tried to put). */
  readonly document: string;
  readonly before: RoleInlinePolicyBefore;
  /**
   * `done`: containment put the document, undo it. `failed`: the put was refused, but its answer
   * may have been lost after IAM applied it: undo it only if it is there, else report nothing.
   */
  readonly contained: 'done' | 'failed';
  /** What a document that replaced containment's is, for the report (`it now revokes ...`). */
  readonly describeChange?: (document: string) => string | undefined;
}

export interface InlinePolicyUndone<A extends string> {
  readonly outcomes: readonly ActionOutcome<A, RoleInlinePolicyBefore>[];
  readonly manualSteps: readonly string[];
}

/**
 * Brings one inline policy back to its before-state: the previous document put back, or the
 * policy deleted when there was none; only while the current document is still containment's.
 */
export async function undoRoleInlinePolicy<A extends string>(
  ctx: RoleRestoreContext,
  undo: InlinePolicyUndo<A>,
  role: Read<RoleState>,
  current: Read<string | null>,
): Promise<InlinePolicyUndone<A>> {
  const { action, policyName, before } = undo;
  const target = roleTarget(ctx.roleName);
  const one = (
    status: ActionOutcome['status'],
    detail: string,
    error?: ActionError,
    manualSteps: readonly string[] = [],
  ): InlinePolicyUndone<A> => ({
    outcomes: [{ action, target, status, detail, ...withError(error), before }],
    manualSteps,
  });
  const ours = current.ok && current.value !== null && samePolicyDocument(current.value, undo.document);
  if (undo.contained === 'failed' && !ours) return { outcomes: [], manualSteps: [] };

  if (roleGone(role)) {
    return one(
      'already-done',
      `role ${ctx.roleName} no longer exists (deleted since containment?): inline policy ${policyName} went with it, nothing to restore`,
    );
  }
  if (!current.ok) {
    return one('failed', `could not read inline policy ${policyName}: left as it is`, current.error);
  }
  const now = current.value;
  if (
    before.known &&
    (now === null
      ? before.document === null
      : before.document !== null && samePolicyDocument(now, before.document))
  ) {
    return one(
      'already-done',
      before.document === null
        ? `inline policy ${policyName} is absent, as before containment`
        : `inline policy ${policyName} is as it was before containment`,
    );
  }
  if (now === null) {
    return one(
      'already-done',
      `inline policy ${policyName} was removed since containment (not by this restore): nothing to undo`,
    );
  }
  if (!ours) {
    const what = undo.describeChange?.(now);
    return one(
      'already-done',
      `inline policy ${policyName} changed since containment (a later change, by the console or another incident?${what ? `: ${what}` : ''}): left as it is`,
    );
  }
  if (!before.known) {
    const message = `the document of inline policy ${policyName} before containment could not be read`;
    return one(
      'failed',
      `${message}: Cordon's document is left in place`,
      { name: 'ManualStepRequired', message },
      [
        `Inline policy ${policyName} on role ${ctx.roleName} is still the one Cordon put, and what it replaced is not known: delete it if the role had none, or put back the previous document.`,
      ],
    );
  }
  const previous = before.document;
  const plan =
    previous === null
      ? `delete inline policy ${policyName} (the role had none before containment)`
      : `put back the document inline policy ${policyName} had before containment`;
  if (ctx.dryRun) return one('planned', `would ${plan}`);
  const error = await attempt(() =>
    previous === null
      ? ctx.iam.send(new DeleteRolePolicyCommand({ RoleName: ctx.roleName, PolicyName: policyName }))
      : ctx.iam.send(
          new PutRolePolicyCommand({
            RoleName: ctx.roleName,
            PolicyName: policyName,
            PolicyDocument: previous,
          }),
        ),
  );
  if (error && previous === null && isNoSuchEntity(error)) {
    return one(
      'already-done',
      `inline policy ${policyName} (or the role) was gone when deleted: nothing to undo`,
    );
  }
  return one(error ? 'failed' : 'done', error ? `could not ${plan}` : `${plan}: done`, error);
}
