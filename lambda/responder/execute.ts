/**
 * The execute stage: runs a plan's actions, each with its family from the action registry, all at
 * once (a role's revocation and its instance's isolation do not wait for each other). One failing
 * action never stops another: an action that throws as a whole is an error of the record, its
 * step failures are outcomes of its own. The Lambda, `cordon respond` and `cordon contain` all
 * come here through carryOutPlan (respond.ts).
 */
import { errorOf } from '../actions/types';
import { runPlannedAction, type ActionClients, type AnyContainment } from '../actions/registry';
import type { Plan, PlannedAction } from '../planning/plan';
import type { IncidentRecord } from './incident-record';

export interface Execution {
  /** One per action that ran, in the plan's order. */
  readonly containments: readonly AnyContainment[];
  readonly errors: IncidentRecord['errors'];
}

export interface ExecuteInput {
  readonly plan: Plan;
  readonly clients: ActionClients;
  readonly incidentId: string;
  readonly now: Date;
  /** The account Cordon runs in. */
  readonly accountId: string;
  /** When the attacker was seen (the signal's time). */
  readonly attackSeenAt?: string;
}

/** The action as errors name it: its kind and what it acts on (`contain-iam-user alice`). */
function nameOf(action: PlannedAction): string {
  switch (action.kind) {
    case 'contain-iam-user':
      return `${action.kind} ${action.userName}`;
    case 'revoke-role-sessions':
      return `${action.kind} ${action.roleName}`;
    case 'isolate-ec2-instance':
      return `${action.kind} ${action.instanceId}`;
    case 'revert-change':
      return `${action.kind} ${action.change.target} (${action.change.eventName} ${action.change.eventId})`;
  }
}

export async function executePlan(input: ExecuteInput): Promise<Execution> {
  const { plan, clients, incidentId, now, accountId, attackSeenAt } = input;
  const context = { clients, incidentId, dryRun: !plan.enforce, now, accountId, attackSeenAt };
  // async: an action that throws before its first await is a rejection too, not an escape.
  const settled = await Promise.allSettled(
    plan.actions.map(async (action) => runPlannedAction(action, context)),
  );
  const containments: AnyContainment[] = [];
  const errors: IncidentRecord['errors'][number][] = [];
  settled.forEach((result, index) => {
    if (result.status === 'fulfilled') containments.push(result.value);
    else errors.push({ action: nameOf(plan.actions[index]), ...errorOf(result.reason) });
  });
  return { containments, errors };
}
