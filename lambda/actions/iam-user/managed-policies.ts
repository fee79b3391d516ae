/**
 * Detaches every managed policy from the user. AWSDenyAll is kept: it only denies, and it may be
 * Cordon's own fallback deny. Restore re-attaches what was detached.
 */
import {
  AttachUserPolicyCommand,
  DetachUserPolicyCommand,
  paginateListAttachedUserPolicies,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { attempt, type ActionModule, type ActionOutcome, type Read } from '../types';
import {
  isNoSuchEntity,
  nothingToDo,
  PAGE_SIZE,
  userTarget,
  withError,
  type ContainContext,
  type RestoreContext,
} from './context';
import { isAwsDenyAll } from './deny-policy';

export const managedPolicies = {
  action: 'detach-managed-policy',
  permissions: ['iam:ListAttachedUserPolicies', 'iam:DetachUserPolicy'],
  restorePermissions: ['iam:ListAttachedUserPolicies', 'iam:AttachUserPolicy'],
} as const satisfies ActionModule;

export interface AttachedPolicyState {
  readonly policyArn: string;
  readonly policyName: string | null;
}

export type DetachManagedPolicyOutcome = ActionOutcome<
  typeof managedPolicies.action,
  AttachedPolicyState | null
>;
export type ReattachManagedPolicyOutcome = ActionOutcome<'reattach-managed-policy', AttachedPolicyState>;

const action = managedPolicies.action;
const targetOf = (policyArn: string) => `managed-policy/${policyArn}`;

export async function readAttachedPolicies(iam: IAMClient, userName: string): Promise<AttachedPolicyState[]> {
  const policies: AttachedPolicyState[] = [];
  for await (const page of paginateListAttachedUserPolicies(
    { client: iam, pageSize: PAGE_SIZE },
    { UserName: userName },
  )) {
    for (const policy of page.AttachedPolicies ?? []) {
      if (policy.PolicyArn)
        policies.push({ policyArn: policy.PolicyArn, policyName: policy.PolicyName ?? null });
    }
  }
  return policies;
}

export async function detachManagedPolicies(
  ctx: ContainContext,
  read: Read<readonly AttachedPolicyState[]>,
): Promise<DetachManagedPolicyOutcome[]> {
  if (!read.ok) {
    return [
      {
        action,
        target: userTarget(ctx.userName),
        status: 'failed',
        detail: 'could not list the attached managed policies: none was detached',
        error: read.error,
        before: null,
      },
    ];
  }
  if (read.value.length === 0) {
    return [
      {
        action,
        target: userTarget(ctx.userName),
        ...nothingToDo(ctx.dryRun, 'no managed policy is attached'),
        before: null,
      },
    ];
  }
  return Promise.all(
    read.value.map(async (policy): Promise<DetachManagedPolicyOutcome> => {
      const target = targetOf(policy.policyArn);
      if (isAwsDenyAll(policy.policyArn)) {
        return {
          action,
          target,
          ...nothingToDo(ctx.dryRun, 'AWSDenyAll stays attached: it only denies'),
          before: policy,
        };
      }
      if (ctx.dryRun) {
        return {
          action,
          target,
          status: 'planned',
          detail: `would detach ${policy.policyArn}`,
          before: policy,
        };
      }
      const error = await attempt(() =>
        ctx.iam.send(new DetachUserPolicyCommand({ UserName: ctx.userName, PolicyArn: policy.policyArn })),
      );
      if (!error)
        return { action, target, status: 'done', detail: `${policy.policyArn} detached`, before: policy };
      if (isNoSuchEntity(error)) {
        return {
          action,
          target,
          status: 'already-done',
          detail: `${policy.policyArn} is no longer attached`,
          before: policy,
        };
      }
      return {
        action,
        target,
        status: 'failed',
        detail: `could not detach ${policy.policyArn}`,
        error,
        before: policy,
      };
    }),
  );
}

export async function reattachManagedPolicies(
  ctx: RestoreContext,
  recorded: readonly DetachManagedPolicyOutcome[],
  current: Read<readonly AttachedPolicyState[]>,
): Promise<ReattachManagedPolicyOutcome[]> {
  const detached = recorded.flatMap((outcome) =>
    (outcome.status === 'done' || outcome.status === 'failed') && outcome.before ? [outcome.before] : [],
  );
  const restoreAction = 'reattach-managed-policy';
  return Promise.all(
    detached.map(async (before): Promise<ReattachManagedPolicyOutcome> => {
      const target = targetOf(before.policyArn);
      if (!current.ok) {
        return {
          action: restoreAction,
          target,
          status: 'failed',
          detail: 'could not list the attached managed policies',
          error: current.error,
          before,
        };
      }
      if (current.value.some((policy) => policy.policyArn === before.policyArn)) {
        return {
          action: restoreAction,
          target,
          status: 'already-done',
          detail: `${before.policyArn} is attached`,
          before,
        };
      }
      if (ctx.dryRun) {
        return {
          action: restoreAction,
          target,
          status: 'planned',
          detail: `would re-attach ${before.policyArn}`,
          before,
        };
      }
      const error = await attempt(() =>
        ctx.iam.send(new AttachUserPolicyCommand({ UserName: ctx.userName, PolicyArn: before.policyArn })),
      );
      return {
        action: restoreAction,
        target,
        status: error ? 'failed' : 'done',
        detail: error ? `could not re-attach ${before.policyArn}` : `${before.policyArn} re-attached`,
        ...withError(error),
        before,
      };
    }),
  );
}
