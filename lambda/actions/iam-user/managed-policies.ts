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
import { type ActionModule, type ActionOutcome, type Read } from '../types';
import { nothingToDo, PAGE_SIZE, type ContainContext, type RestoreContext } from './context';
import {
  changeTarget,
  changedTargets,
  restoreTarget,
  listTargets,
  type SettledTarget,
} from './target-change';
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
  const listed = listTargets(ctx, action, read, {
    unreadable: 'could not list the attached managed policies: none was detached',
    none: 'no managed policy is attached',
  });
  if (!listed.ok) return listed.outcomes;
  return Promise.all(
    listed.targets.map(async (policy): Promise<DetachManagedPolicyOutcome> => {
      const target = targetOf(policy.policyArn);
      if (isAwsDenyAll(policy.policyArn)) {
        return {
          action,
          target,
          ...nothingToDo(ctx.dryRun, 'AWSDenyAll stays attached: it only denies'),
          before: policy,
        };
      }
      return changeTarget(ctx.dryRun, {
        action,
        target,
        before: policy,
        planned: `would detach ${policy.policyArn}`,
        done: `${policy.policyArn} detached`,
        failed: `could not detach ${policy.policyArn}`,
        gone: `${policy.policyArn} is no longer attached`,
        apply: () =>
          ctx.iam.send(new DetachUserPolicyCommand({ UserName: ctx.userName, PolicyArn: policy.policyArn })),
      });
    }),
  );
}

export async function reattachManagedPolicies(
  ctx: RestoreContext,
  recorded: readonly DetachManagedPolicyOutcome[],
  current: Read<readonly AttachedPolicyState[]>,
): Promise<ReattachManagedPolicyOutcome[]> {
  return Promise.all(
    changedTargets(recorded).map((before) =>
      restoreTarget(ctx.dryRun, current, {
        action: 'reattach-managed-policy',
        target: targetOf(before.policyArn),
        before,
        unreadable: 'could not list the attached managed policies',
        settled: (attached: readonly AttachedPolicyState[]): SettledTarget | undefined =>
          attached.some((policy) => policy.policyArn === before.policyArn)
            ? { status: 'already-done', detail: `${before.policyArn} is attached` }
            : undefined,
        planned: `would re-attach ${before.policyArn}`,
        done: `${before.policyArn} re-attached`,
        failed: `could not re-attach ${before.policyArn}`,
        apply: () =>
          ctx.iam.send(new AttachUserPolicyCommand({ UserName: ctx.userName, PolicyArn: before.policyArn })),
      }),
    ),
  );
}
