/**
 * Deny-all: the first call of a containment, issued before anything is listed, so that the
 * attacker is cut off after one round trip.
 *
 * 1. inline policy `cordon-deny-all` (PutUserPolicy);
 * 2. if IAM refuses it, the managed `AWSDenyAll` (AttachUserPolicy): the usual refusal is the
 *    quota on inline policy size (LimitExceeded);
 * 3. if that is refused too (10 managed policies: LimitExceeded), `AWSDenyAll` as the permissions
 *    boundary (PutUserPermissionsBoundary), the previous boundary recorded.
 *
 * Any refusal moves on to the next form (a missing permission or an exhausted retry budget may
 * spare the next API), except NoSuchEntity: without the user, no form can work. The fallbacks
 * wait for reads that went out beside the deny (attached policies, GetUser), never for a new
 * round trip: a fallback does not re-attach what was attached, and never overwrites a boundary
 * it has not recorded. Lifting the deny on restore is lift-deny-all.ts.
 */
import {
  AttachUserPolicyCommand,
  GetUserCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { attempt, type ActionError, type ActionModule, type ActionOutcome, type Read } from '../types';
import {
  clientPartition,
  isNoSuchEntity,
  isoDate,
  partitionOfArn,
  samePolicyDocument,
  userTarget,
  withError,
  type ContainContext,
} from './context';
import { awsDenyAllArn, DENY_ALL_POLICY_DOCUMENT, DENY_ALL_POLICY_NAME } from './deny-policy';
import type { InlinePolicyState } from './inline-policies';
import type { AttachedPolicyState } from './managed-policies';
import { containedBefore, type TagState } from './tags';

export const denyAll = {
  action: 'deny-all',
  permissions: [
    'iam:PutUserPolicy',
    'iam:AttachUserPolicy',
    'iam:PutUserPermissionsBoundary',
    // The before-state it decides on: the user (boundary, partition), and reads other modules own.
    'iam:GetUser',
    'iam:ListUserPolicies',
    'iam:GetUserPolicy',
    'iam:ListAttachedUserPolicies',
    'iam:ListUserTags',
  ],
  restorePermissions: [
    'iam:GetUser',
    'iam:ListUserPolicies',
    'iam:GetUserPolicy',
    'iam:ListAttachedUserPolicies',
    'iam:DeleteUserPolicy',
    'iam:PutUserPolicy',
    'iam:DetachUserPolicy',
    'iam:PutUserPermissionsBoundary',
    'iam:DeleteUserPermissionsBoundary',
  ],
  onlyWithAwsDenyAll: {
    'iam:AttachUserPolicy': 'iam:PolicyARN',
    'iam:PutUserPermissionsBoundary': 'iam:PermissionsBoundary',
  },
} as const satisfies ActionModule;

export type DenyMethod = 'inline-policy' | 'managed-policy' | 'permissions-boundary';

/** GetUser, as recorded. */
export interface UserState {
  readonly arn: string | null;
  readonly userId: string | null;
  readonly path: string | null;
  readonly createdAt: string | null;
  readonly permissionsBoundaryArn: string | null;
}

/** What the deny-all forms replaced. */
export interface DenyAllBefore {
  /** `cordon-deny-all` as the round-one read saw it: null when absent (or unreadable). */
  readonly inlinePolicyDocument: string | null;
  /** Whether AWSDenyAll was attached before; null when the list could not be read. */
  readonly awsDenyAllAttached: boolean | null;
  /** The permissions boundary before; null when there was none. */
  readonly permissionsBoundaryArn: string | null;
  /** False when GetUser failed: the previous boundary is not known. */
  readonly permissionsBoundaryKnown: boolean;
}

export interface DenyAttempt {
  readonly method: DenyMethod;
  /** Absent when the form took (or was already in place). */
  readonly error?: ActionError;
}

export interface DenyAllRecord {
  /** Whether one of the three forms is in place. False is the loud case: the user is NOT cut off. */
  readonly denied: boolean;
  readonly method: DenyMethod | null;
  readonly policyName: typeof DENY_ALL_POLICY_NAME;
  readonly awsDenyAllArn: string;
  /** Every form tried, in order, with IAM's refusal. */
  readonly attempts: readonly DenyAttempt[];
  readonly before: DenyAllBefore;
}

export type DenyAllOutcome = ActionOutcome<typeof denyAll.action, DenyAllBefore>;

/** The round-one reads the deny decides on; all already in flight when it needs them. */
export interface DenyAllReads {
  readonly user: Promise<Read<UserState>>;
  readonly managedPolicies: Promise<Read<readonly AttachedPolicyState[]>>;
  readonly inlinePolicies: Promise<Read<readonly InlinePolicyState[]>>;
  readonly tags: Promise<Read<readonly TagState[]>>;
}

const action = denyAll.action;

export async function readUser(iam: IAMClient, userName: string): Promise<UserState> {
  const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
  return {
    arn: User?.Arn ?? null,
    userId: User?.UserId ?? null,
    path: User?.Path ?? null,
    createdAt: isoDate(User?.CreateDate),
    permissionsBoundaryArn: User?.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
  };
}

/**
 * Sends the inline deny now (the send is issued synchronously, before this returns).
 * Resolves to IAM's refusal, or undefined when the policy is in place.
 */
export function putInlineDeny(ctx: ContainContext): Promise<ActionError | undefined> {
  return attempt(() =>
    ctx.iam.send(
      new PutUserPolicyCommand({
        UserName: ctx.userName,
        PolicyName: DENY_ALL_POLICY_NAME,
        PolicyDocument: DENY_ALL_POLICY_DOCUMENT,
      }),
    ),
  );
}

function describe(error: ActionError): string {
  return `${error.name}: ${error.message}`;
}

/**
 * Finishes the deny that `putInlineDeny` started (undefined in a dry run): falls back when IAM
 * refused the inline policy, and reports the method, the attempts and the before-state.
 */
export async function settleDenyAll(
  ctx: ContainContext,
  inlinePut: Promise<ActionError | undefined> | undefined,
  reads: DenyAllReads,
  partition?: string,
  /** Called once the managed-policy form has been tried (or skipped): see `startDenyAll`. */
  managedTried: () => void = () => undefined,
): Promise<{ readonly record: DenyAllRecord; readonly outcome: DenyAllOutcome }> {
  const target = userTarget(ctx.userName);
  // Reads sent beside the deny only: the fallbacks must not wait for the documents.
  const [user, managed] = await Promise.all([reads.user, reads.managedPolicies]);
  const denyAllArn = awsDenyAllArn(
    partition ??
      (user.ok && user.value.arn ? partitionOfArn(user.value.arn) : undefined) ??
      (await clientPartition(ctx.iam)),
  );
  const awsDenyAllAttached = managed.ok
    ? managed.value.some((policy) => policy.policyArn === denyAllArn)
    : null;
  const permissionsBoundaryArn = user.ok ? user.value.permissionsBoundaryArn : null;
  // Called once no call is left to make: waits for the documents (round two) and the tags.
  const settled = async (
    denied: boolean,
    method: DenyMethod | null,
    attempts: readonly DenyAttempt[],
    outcome: (contained: boolean, ownDenyListed: boolean) => Omit<DenyAllOutcome, 'before'>,
  ): Promise<{ record: DenyAllRecord; outcome: DenyAllOutcome }> => {
    const [inline, tags] = await Promise.all([reads.inlinePolicies, reads.tags]);
    const listed = inline.ok
      ? inline.value.find((policy) => policy.policyName === DENY_ALL_POLICY_NAME)
      : undefined;
    const contained = containedBefore(tags);
    // The list read went out beside the put and may have seen it: Cordon's own document is a
    // before-state only if a previous containment also tagged the user.
    const ownDenyListed =
      listed?.document != null && samePolicyDocument(listed.document, DENY_ALL_POLICY_DOCUMENT);
    const before: DenyAllBefore = {
      inlinePolicyDocument: ownDenyListed && !contained ? null : (listed?.document ?? null),
      awsDenyAllAttached,
      permissionsBoundaryArn,
      permissionsBoundaryKnown: user.ok,
    };
    return {
      record: {
        denied,
        method,
        policyName: DENY_ALL_POLICY_NAME,
        awsDenyAllArn: denyAllArn,
        attempts,
        before,
      },
      outcome: { ...outcome(contained, ownDenyListed), before },
    };
  };

  if (!inlinePut) {
    return settled(false, null, [], () => ({
      action,
      target,
      status: 'planned',
      detail:
        `would put inline policy ${DENY_ALL_POLICY_NAME} (Deny * on *) first; should IAM refuse it, ` +
        `attach ${denyAllArn}; should IAM refuse that too, set it as the permissions boundary`,
    }));
  }

  const inlineError = await inlinePut;
  if (!inlineError) {
    return settled(true, 'inline-policy', [{ method: 'inline-policy' }], (contained, ownDenyListed) => {
      const already = contained && ownDenyListed;
      return {
        action,
        target,
        status: already ? 'already-done' : 'done',
        detail: already
          ? `inline policy ${DENY_ALL_POLICY_NAME} was already in place: every action is denied`
          : `inline policy ${DENY_ALL_POLICY_NAME} put: every action is denied`,
      };
    });
  }
  const attempts: DenyAttempt[] = [{ method: 'inline-policy', error: inlineError }];
  const notDenied = () =>
    settled(false, null, attempts, () => ({
      action,
      target,
      status: 'failed',
      detail: `THE USER IS NOT DENIED: IAM refused ${attempts
        .map((tried) => `the ${tried.method} (${tried.error ? describe(tried.error) : 'no error'})`)
        .join(', ')}`,
      error: attempts[attempts.length - 1]?.error ?? inlineError,
    }));
  if (isNoSuchEntity(inlineError)) return notDenied();
  const refusedInline = `IAM refused the inline policy (${describe(inlineError)})`;

  if (awsDenyAllAttached === true) {
    managedTried();
    attempts.push({ method: 'managed-policy' });
    return settled(true, 'managed-policy', attempts, (contained) => ({
      action,
      target,
      status: contained ? 'already-done' : 'done',
      detail: `${refusedInline}; ${denyAllArn} was already attached: every action is denied`,
    }));
  }
  const attachError = await attempt(() =>
    ctx.iam.send(new AttachUserPolicyCommand({ UserName: ctx.userName, PolicyArn: denyAllArn })),
  );
  managedTried();
  if (!attachError) {
    attempts.push({ method: 'managed-policy' });
    return settled(true, 'managed-policy', attempts, () => ({
      action,
      target,
      status: 'done',
      detail: `${refusedInline}; ${denyAllArn} attached: every action is denied`,
    }));
  }
  attempts.push({ method: 'managed-policy', error: attachError });
  const refusedBoth = `${refusedInline} and ${denyAllArn} (${describe(attachError)})`;

  if (permissionsBoundaryArn === denyAllArn) {
    attempts.push({ method: 'permissions-boundary' });
    return settled(true, 'permissions-boundary', attempts, () => ({
      action,
      target,
      status: 'already-done',
      detail: `${refusedBoth}; ${denyAllArn} was already the permissions boundary: every action is denied`,
    }));
  }
  const boundaryError = await attempt(() =>
    ctx.iam.send(
      new PutUserPermissionsBoundaryCommand({ UserName: ctx.userName, PermissionsBoundary: denyAllArn }),
    ),
  );
  attempts.push({ method: 'permissions-boundary', ...withError(boundaryError) });
  if (boundaryError) return notDenied();
  const previous = user.ok ? (permissionsBoundaryArn ?? 'none') : 'not known';
  return settled(true, 'permissions-boundary', attempts, () => ({
    action,
    target,
    status: 'done',
    detail: `${refusedBoth}; ${denyAllArn} set as the permissions boundary (previous: ${previous}): every action is denied`,
  }));
}

export type SettledDenyAll = Awaited<ReturnType<typeof settleDenyAll>>;

export interface DenyAllInProgress {
  /** The deny's record and outcome, once every form it needed has answered. */
  readonly settled: Promise<SettledDenyAll>;
  /**
   * Resolves once the deny needs no managed-policy slot: at once when the inline deny took (or
   * in a dry run, or when the user does not exist), else once the AWSDenyAll attach has been
   * answered. Detaches wait for it, so that a detach never frees the slot that a refused attach
   * (10 policies: LimitExceeded) was refused for while that attach is in flight: the fallback
   * decides on the attached policies as read, and the record says which form took, every time.
   */
  readonly managedSlotSettled: Promise<void>;
}

/** `settleDenyAll`, with the signal the detaches wait for (which never rejects). */
export function startDenyAll(
  ctx: ContainContext,
  inlinePut: Promise<ActionError | undefined> | undefined,
  reads: DenyAllReads,
  partition?: string,
): DenyAllInProgress {
  let managedTried: () => void = () => undefined;
  const tried = new Promise<void>((resolve) => {
    managedTried = resolve;
  });
  const settled = settleDenyAll(ctx, inlinePut, reads, partition, managedTried);
  // However the deny ends (a bug included), the detaches are not held up forever.
  void settled.then(managedTried, managedTried);
  const managedSlotSettled = inlinePut
    ? inlinePut.then((error) => (!error || isNoSuchEntity(error) ? undefined : tried))
    : Promise.resolve();
  return { settled, managedSlotSettled };
}
