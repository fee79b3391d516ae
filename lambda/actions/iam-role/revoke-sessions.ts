/**
 * Revokes every session of the role issued before the containment instant, exactly as the IAM
 * console's "Revoke active sessions" does: the inline role policy `AWSRevokeOlderSessions`, which
 * denies every action to every session whose `aws:TokenIssueTime` is before the instant. The
 * console's own name, so that a console revocation and Cordon's are one policy (a later one of
 * either replaces the earlier), and its own document shape, so that either reads the other's.
 *
 * The previous document of that name is recorded for restore. When it already revokes every
 * session issued before the attacker was seen (every session used then was issued before it),
 * nothing is written: the outcome is `already-done`.
 */
import type { ActionModule, ActionOutcome, Read } from '../types';
import {
  describeError,
  isNoSuchEntity,
  nothingToDo,
  roleTarget,
  withError,
  type RoleContainContext,
} from './context';
import {
  policyBeforeOf,
  putRoleInlinePolicy,
  undoRoleInlinePolicy,
  type InlinePolicyUndone,
  type RoleInlinePolicyBefore,
} from './inline-policy';
import { noLongerExists, roleGone, type RoleState } from './role';
import type { RoleRestoreContext } from './context';

/** The IAM console's name for it. */
export const REVOKE_OLDER_SESSIONS_POLICY_NAME = 'AWSRevokeOlderSessions';

export const olderSessionsRevocation = {
  action: 'revoke-older-sessions',
  permissions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:PutRolePolicy'],
  restorePermissions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
  resources: ['role'],
} as const satisfies ActionModule;

/** `AWSRevokeOlderSessions` as it was before containment. */
export type RevocationBefore = RoleInlinePolicyBefore;
export type RevokeOlderSessionsOutcome = ActionOutcome<
  typeof olderSessionsRevocation.action,
  RevocationBefore
>;
export type RestoreOlderSessionsPolicyOutcome = ActionOutcome<
  'restore-older-sessions-policy',
  RevocationBefore
>;

/**
 * The instant sessions are revoked before, as the policy says it: ISO 8601 in UTC to the second.
 * Rounded up, never down, so that every session issued before `at` (even in its last second) is
 * revoked; a session issued in the rest of that second is revoked too and is simply assumed again.
 */
export function revocationInstant(at: Date): string {
  const seconds = Math.ceil(at.getTime() / 1000);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The document: Deny every action on every resource to the sessions issued before `at` (see `revocationInstant`). */
export function revokeOlderSessionsDocument(at: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': revocationInstant(at) } },
      },
    ],
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `*`, alone or in a list: the element covers everything. */
const coversAll = (value: unknown) => value === '*' || (Array.isArray(value) && value.includes('*'));

const asList = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : [value]);

/** The instants a statement revokes every session before, when it is such a statement (else none). */
function revocationsIn(statement: unknown): { readonly text: string; readonly time: number }[] {
  if (!isRecord(statement) || statement.Effect !== 'Deny') return [];
  const keys = Object.keys(statement);
  // Anything else (NotAction, NotResource, Principal) narrows the deny: it is no revocation of everything.
  if (keys.some((key) => !['Sid', 'Effect', 'Action', 'Resource', 'Condition'].includes(key))) return [];
  if (!coversAll(statement.Action) || !coversAll(statement.Resource)) return [];
  const condition = statement.Condition;
  if (!isRecord(condition) || Object.keys(condition).length !== 1 || !isRecord(condition.DateLessThan))
    return [];
  const dates = condition.DateLessThan;
  const [key, ...others] = Object.keys(dates);
  // Condition keys are case-insensitive; a second key would narrow the deny.
  if (key === undefined || others.length > 0 || key.toLowerCase() !== 'aws:tokenissuetime') return [];
  return asList(dates[key]).flatMap((value) => {
    if (typeof value !== 'string') return [];
    const time = Date.parse(value);
    return Number.isNaN(time) ? [] : [{ text: value, time }];
  });
}

/**
 * The latest instant before which the document denies every session every action, as the
 * document writes it; null when it revokes nothing (or is not JSON).
 */
export function revokedBeforeIn(document: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return null;
  }
  if (!isRecord(parsed)) return null;
  const latest = asList(parsed.Statement)
    .flatMap(revocationsIn)
    .reduce<{ text: string; time: number } | null>(
      (max, found) => (max && max.time >= found.time ? max : found),
      null,
    );
  return latest?.text ?? null;
}

export interface RevocationReads {
  readonly role: Promise<Read<RoleState>>;
  /** `AWSRevokeOlderSessions` (null: absent). */
  readonly existing: Promise<Read<string | null>>;
}

export interface Revocation {
  readonly outcome: RevokeOlderSessionsOutcome;
  /** The `DateLessThan` in force once this step is over (null: no revocation at all). */
  readonly revokedBefore: string | null;
}

const action = olderSessionsRevocation.action;
const policyName = REVOKE_OLDER_SESSIONS_POLICY_NAME;

/**
 * Puts the revocation as soon as the role and the current document have been read, unless the
 * current one already revokes what this one would. `attackSeenAt` (ISO) is when the attacker's
 * session was seen in use; without it (or unreadable), the containment instant stands in for it.
 * A failed read of the current document never holds the revocation back: the revocation goes
 * out, and its before-state is recorded as not known.
 */
export async function revokeOlderSessions(
  ctx: RoleContainContext,
  reads: RevocationReads,
  attackSeenAt?: string,
): Promise<Revocation> {
  const target = roleTarget(ctx.roleName);
  const [role, existing] = await Promise.all([reads.role, reads.existing]);
  const before = policyBeforeOf(existing);
  const inForce = existing.ok && existing.value !== null ? revokedBeforeIn(existing.value) : null;
  const gone = roleGone(role);
  if (gone) {
    return {
      outcome: {
        action,
        target,
        status: 'failed',
        detail:
          `${noLongerExists(ctx.roleName)}: its sessions cannot be revoked; ` +
          `find out in CloudTrail who deleted it (DeleteRole) and whether a role of that name was created again`,
        error: gone,
        before,
      },
      revokedBefore: null,
    };
  }
  const seen = attackSeenAt === undefined ? NaN : Date.parse(attackSeenAt);
  const threshold = Number.isNaN(seen) ? ctx.now.getTime() : seen;
  const thresholdText = Number.isNaN(seen)
    ? `the containment instant (${ctx.now.toISOString()})`
    : `the attack was seen (${attackSeenAt})`;
  if (inForce !== null && Date.parse(inForce) >= threshold) {
    return {
      outcome: {
        action,
        target,
        ...nothingToDo(
          ctx.dryRun,
          `inline policy ${policyName} already denies every session issued before ${inForce}, ` +
            `not earlier than ${thresholdText}: nothing written`,
        ),
        before,
      },
      revokedBefore: inForce,
    };
  }
  const instant = revocationInstant(ctx.now);
  const replaced = inForce === null ? '' : ` (it revoked the sessions issued before ${inForce} only)`;
  const revoked = `every session of the role issued before ${instant} is denied every action`;
  if (ctx.dryRun) {
    return {
      outcome: {
        action,
        target,
        status: 'planned',
        detail: `would put inline policy ${policyName}${replaced}: ${revoked}`,
        before,
      },
      revokedBefore: inForce,
    };
  }
  const error = await putRoleInlinePolicy(ctx, policyName, revokeOlderSessionsDocument(ctx.now));
  if (error) {
    return {
      outcome: {
        action,
        target,
        status: 'failed',
        detail: isNoSuchEntity(error)
          ? `${noLongerExists(ctx.roleName)}: its sessions cannot be revoked; IAM refused inline policy ${policyName} (${describeError(error)})`
          : `THE SESSIONS ARE NOT REVOKED: IAM refused inline policy ${policyName} (${describeError(error)})`,
        ...withError(error),
        before,
      },
      revokedBefore: inForce,
    };
  }
  return {
    outcome: {
      action,
      target,
      status: 'done',
      detail: `inline policy ${policyName} put${replaced}: ${revoked}`,
      before,
    },
    revokedBefore: instant,
  };
}

/** Undoes the revocation this containment put (see `undoRoleInlinePolicy`). */
export function restoreOlderSessionsPolicy(
  ctx: RoleRestoreContext,
  recorded: RevokeOlderSessionsOutcome,
  startedAt: string,
  role: Read<RoleState>,
  current: Read<string | null>,
): Promise<InlinePolicyUndone<RestoreOlderSessionsPolicyOutcome['action']>> {
  return undoRoleInlinePolicy(
    ctx,
    {
      action: 'restore-older-sessions-policy',
      policyName,
      document: revokeOlderSessionsDocument(new Date(startedAt)),
      before: recorded.before,
      contained: recorded.status === 'failed' ? 'failed' : 'done',
      describeChange: (document) => {
        const inForce = revokedBeforeIn(document);
        return inForce === null ? undefined : `it now revokes the sessions issued before ${inForce}`;
      },
    },
    role,
    current,
  );
}
