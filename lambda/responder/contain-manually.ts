import { GetUserCommand } from '@aws-sdk/client-iam';
import { incidentIdFor } from '../incidents/incident-id';
import type { Plan } from '../planning/plan';
import { findProtection } from '../planning/protected-principals';
import type { Signal } from '../signal/signal';
import { carryOutPlan, finishIncident, type RespondResult, type ResponderDependencies } from './respond';

const OPERATOR_STEPS = (userName: string) => [
  `Find out why ${userName} was contained and record it in the incident.`,
  `Undo with \`cordon restore <incident>\` only once the credentials are known to be safe; rotate them otherwise.`,
];

/**
 * `cordon contain user NAME`: an operator's decision, so no detection, threshold or circuit
 * breaker applies; protected principals and dry-run still do.
 */
export async function containUserManually(
  userName: string,
  deps: ResponderDependencies,
  options: { dryRun?: boolean } = {},
): Promise<RespondResult & { duplicate: false }> {
  const now = (deps.now ?? (() => new Date()))();
  const user = await deps.iam.send(new GetUserCommand({ UserName: userName }));
  const arn = user.User?.Arn;
  const accountId = arn?.split(':')[4] ?? 'unknown';
  const incidentId = incidentIdFor(`manual:${userName}:${now.toISOString()}`, now.toISOString());
  const signal: Signal = {
    kind: 'signal',
    source: 'manual',
    eventId: incidentId,
    time: now.toISOString(),
    region: 'global',
    accountId,
    principal: { type: 'IAMUser', userName, arn },
    credentialKind: 'unknown',
  };
  const protection = findProtection(signal.principal, deps.config.protectedPrincipals);
  const dryRun = options.dryRun === true || deps.config.mode === 'dry-run';
  const reasons = [`manual containment of IAM user ${userName} requested from the command line`];
  const action = { kind: 'contain-iam-user', userName, reason: 'requested by an operator' } as const;
  let plan: Plan;
  if (protection) {
    const message = `${protection.arn} is protected (${protection.why}, pattern ${protection.pattern}): not contained`;
    plan = {
      response: 'contain',
      severity: 'high',
      enforce: false,
      actions: [],
      heldBack: { reason: 'protected-principal', message },
      manualSteps: [],
      reasons: [...reasons, message],
    };
  } else if (dryRun) {
    const message = 'dry-run: every action is planned and reported, nothing is changed';
    plan = {
      response: 'contain',
      severity: 'high',
      enforce: false,
      actions: [action],
      heldBack: { reason: 'dry-run', message },
      manualSteps: OPERATOR_STEPS(userName),
      reasons: [...reasons, message],
    };
  } else {
    plan = {
      response: 'contain',
      severity: 'high',
      enforce: true,
      actions: [action],
      manualSteps: OPERATOR_STEPS(userName),
      reasons,
    };
  }
  await deps.store.claim({
    incidentId,
    createdAt: now.toISOString(),
    summary: { principal: arn ?? userName, detections: 'manual' },
  });
  const execution = await carryOutPlan(deps, incidentId, now, plan);
  return finishIncident(deps, {
    incidentId,
    now,
    detections: [],
    signal,
    rejection: null,
    plan,
    ...execution,
  });
}
