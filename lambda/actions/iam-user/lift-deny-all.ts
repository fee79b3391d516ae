/**
 * Lifts Cordon's deny-all on restore: every form that this containment put in place (see
 * deny-all.ts for how it is applied) is removed, and what it replaced is put back.
 */
import {
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { attempt, type ActionOutcome, type Read } from '../types';
import { isNoSuchEntity, samePolicyDocument, withError, type RestoreContext } from './context';
import type { DenyAllBefore, DenyAllRecord, UserState } from './deny-all';
import { DENY_ALL_POLICY_DOCUMENT, DENY_ALL_POLICY_NAME } from './deny-policy';
import type { InlinePolicyState } from './inline-policies';
import type { AttachedPolicyState } from './managed-policies';

export type LiftDenyAllOutcome = ActionOutcome<'lift-deny-all', DenyAllBefore>;

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
