import { GetUserCommand } from '@aws-sdk/client-iam';
import { incidentIdFor } from '../incidents/incident-id';
import { plan as planResponse } from '../planning/plan';
import type { Signal } from '../signal/signal';
import { ownDeploymentOf } from './own-deployment';
import {
  carryOutPlan,
  DEFAULT_LEASE_MS,
  runClaimedIncident,
  type FinishedIncident,
  type ResponderDependencies,
} from './respond';

/**
 * `cordon contain user NAME`: an operator's decision, so no detection, threshold or circuit
 * breaker applies; protected principals and dry-run still do, decided by the same planner on the
 * user's real ARN (GetUser gives its path).
 */
export async function containUserManually(
  userName: string,
  deps: ResponderDependencies,
  options: { dryRun?: boolean } = {},
): Promise<FinishedIncident> {
  const now = (deps.now ?? (() => new Date()))();
  const [user, accountId] = await Promise.all([
    deps.iam.send(new GetUserCommand({ UserName: userName })),
    deps.accountId(),
  ]);
  const arn = user.User?.Arn;
  const dryRun = options.dryRun === true || deps.config.mode === 'dry-run';
  const incidentId = incidentIdFor(
    `manual:${dryRun ? 'dry-run:' : ''}${userName}:${now.toISOString()}`,
    now.toISOString(),
  );
  const signal: Signal = {
    kind: 'signal',
    source: 'manual',
    eventId: incidentId,
    time: now.toISOString(),
    region: 'global',
    accountId,
    principal: { type: 'IAMUser', userName, arn, accountId: arn?.split(':')[4] ?? accountId },
    credentialKind: 'unknown',
  };
  const claim = await deps.store.claim({
    incidentId,
    createdAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + DEFAULT_LEASE_MS).toISOString(),
    summary: { principal: arn ?? userName, detections: 'manual', dryRun },
  });
  if (claim !== 'claimed') throw new Error(`incident ${incidentId} is already claimed (${claim})`);
  return runClaimedIncident(deps, incidentId, claim, async () => {
    const plan = planResponse({
      signal,
      detections: [],
      config: deps.config,
      own: ownDeploymentOf(deps.config, accountId),
      facts: arn ? { userArn: arn } : {},
      recentContainments: 0,
      dryRun,
    });
    const execution = await carryOutPlan(deps, incidentId, now, plan);
    return { incidentId, now, detections: [], signal, rejection: null, plan, ...execution };
  });
}
