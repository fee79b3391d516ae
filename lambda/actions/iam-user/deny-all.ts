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
 * wait for round-one reads that are already in flight (attached policies, GetUser), never for a
 * new round trip: a fallback does not re-attach what was attached, and never overwrites a
 * boundary it has not recorded.
 */
import {
  AttachUserPolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
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
  type RestoreContext,
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
export type LiftDenyAllOutcome = ActionOutcome<'lift-deny-all', DenyAllBefore>;

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
): Promise<{ readonly record: DenyAllRecord; readonly outcome: DenyAllOutcome }> {
  const target = userTarget(ctx.userName);
  // Round one only: the fallbacks must not wait for the documents (round two).
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

/** The current state the lift decides on (read by restore in one round, documents in a second). */
export interface LiftDenyAllReads {
  readonly user: Read<UserState>;
  readonly managedPolicies: Read<readonly AttachedPolicyState[]>;
  readonly inlinePolicies: Read<readonly InlinePolicyState[]>;
}

export interface DenyAllLift {
  readonly outcomes: LiftDenyAllOutcome[];
  readonly manualSteps: string[];
}

/**
 * Removes every form of Cordon's deny that this containment put in place: the inline policy
 * whatever the recorded method (a later run may have added it), AWSDenyAll if Cordon attached
 * it, the boundary set back to its recorded value. An inline `cordon-deny-all` that existed
 * before with a different document is put back.
 */
export async function liftDenyAll(
  ctx: RestoreContext,
  deny: DenyAllRecord,
  current: LiftDenyAllReads,
): Promise<DenyAllLift> {
  const { before } = deny;
  const lifts: Promise<LiftDenyAllOutcome>[] = [];
  const manualSteps: string[] = [];
  const liftAction = 'lift-deny-all';

  const apply = async (
    target: string,
    plan: string,
    done: string,
    call: () => Promise<unknown>,
    missingIsDone = false,
  ): Promise<LiftDenyAllOutcome> => {
    if (ctx.dryRun) return { action: liftAction, target, status: 'planned', detail: `would ${plan}`, before };
    const error = await attempt(call);
    if (error && missingIsDone && isNoSuchEntity(error)) {
      return { action: liftAction, target, status: 'already-done', detail: `${done} already`, before };
    }
    return {
      action: liftAction,
      target,
      status: error ? 'failed' : 'done',
      detail: error ? `could not ${plan}` : done,
      ...withError(error),
      before,
    };
  };
  const already = (target: string, detail: string): Promise<LiftDenyAllOutcome> =>
    Promise.resolve({ action: liftAction, target, status: 'already-done', detail, before });

  // Inline: wanted state is the recorded document if it was someone else's, else no policy.
  const inlineTarget = `inline-policy/${DENY_ALL_POLICY_NAME}`;
  const previousDocument =
    before.inlinePolicyDocument !== null &&
    !samePolicyDocument(before.inlinePolicyDocument, DENY_ALL_POLICY_DOCUMENT)
      ? before.inlinePolicyDocument
      : null;
  const inlineNow = current.inlinePolicies.ok
    ? current.inlinePolicies.value.find((policy) => policy.policyName === DENY_ALL_POLICY_NAME)
    : undefined;
  const tookInline = deny.attempts.some((tried) => tried.method === 'inline-policy' && !tried.error);
  if (previousDocument !== null) {
    if (inlineNow?.document != null && samePolicyDocument(inlineNow.document, previousDocument)) {
      if (tookInline) lifts.push(already(inlineTarget, `${DENY_ALL_POLICY_NAME} has its previous document`));
    } else {
      lifts.push(
        apply(
          inlineTarget,
          `put ${DENY_ALL_POLICY_NAME} back to its previous document`,
          `${DENY_ALL_POLICY_NAME} put back to its previous document`,
          () =>
            ctx.iam.send(
              new PutUserPolicyCommand({
                UserName: ctx.userName,
                PolicyName: DENY_ALL_POLICY_NAME,
                PolicyDocument: previousDocument,
              }),
            ),
        ),
      );
    }
  } else if (inlineNow || (!current.inlinePolicies.ok && tookInline)) {
    lifts.push(
      apply(
        inlineTarget,
        `delete inline policy ${DENY_ALL_POLICY_NAME}`,
        `inline policy ${DENY_ALL_POLICY_NAME} deleted`,
        () =>
          ctx.iam.send(
            new DeleteUserPolicyCommand({ UserName: ctx.userName, PolicyName: DENY_ALL_POLICY_NAME }),
          ),
        true,
      ),
    );
  } else if (tookInline) {
    lifts.push(already(inlineTarget, `inline policy ${DENY_ALL_POLICY_NAME} is gone`));
  }

  // Managed: detach AWSDenyAll only if Cordon attached it.
  if (deny.method === 'managed-policy' && before.awsDenyAllAttached !== true) {
    const managedTarget = `managed-policy/${deny.awsDenyAllArn}`;
    const attachedNow = current.managedPolicies.ok
      ? current.managedPolicies.value.some((policy) => policy.policyArn === deny.awsDenyAllArn)
      : true;
    lifts.push(
      attachedNow
        ? apply(
            managedTarget,
            `detach ${deny.awsDenyAllArn}`,
            `${deny.awsDenyAllArn} detached`,
            () =>
              ctx.iam.send(
                new DetachUserPolicyCommand({ UserName: ctx.userName, PolicyArn: deny.awsDenyAllArn }),
              ),
            true,
          )
        : already(managedTarget, `${deny.awsDenyAllArn} is not attached`),
    );
  }

  // Boundary: back to the recorded one, or none; never guessed.
  if (deny.method === 'permissions-boundary') {
    const boundaryTarget = `permissions-boundary/${ctx.userName}`;
    if (!before.permissionsBoundaryKnown) {
      lifts.push(
        Promise.resolve({
          action: liftAction,
          target: boundaryTarget,
          status: 'failed',
          detail: `the boundary before containment is not known: ${deny.awsDenyAllArn} stays the boundary`,
          error: { name: 'UnknownBeforeState', message: 'GetUser failed during containment' },
          before,
        }),
      );
      manualSteps.push(
        `User ${ctx.userName}: Cordon set ${deny.awsDenyAllArn} as the permissions boundary without knowing the previous ` +
          `one; set the right boundary (aws iam put-user-permissions-boundary) or delete it (aws iam delete-user-permissions-boundary).`,
      );
    } else {
      const wanted = before.permissionsBoundaryArn;
      const now = current.user.ok ? current.user.value.permissionsBoundaryArn : undefined;
      if (now === wanted) {
        lifts.push(already(boundaryTarget, `the permissions boundary is ${wanted ?? 'none'}`));
      } else if (wanted === null) {
        lifts.push(
          apply(
            boundaryTarget,
            'delete the permissions boundary',
            'permissions boundary deleted',
            () => ctx.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: ctx.userName })),
            true,
          ),
        );
      } else {
        lifts.push(
          apply(
            boundaryTarget,
            `set the permissions boundary back to ${wanted}`,
            `permissions boundary set back to ${wanted}`,
            () =>
              ctx.iam.send(
                new PutUserPermissionsBoundaryCommand({
                  UserName: ctx.userName,
                  PermissionsBoundary: wanted,
                }),
              ),
          ),
        );
      }
    }
  }
  return { outcomes: await Promise.all(lifts), manualSteps };
}
