import { GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { readInstance } from '../actions/ec2-instance/instance';
import { incidentIdFor } from '../incidents/incident-id';
import { regionalEc2Clients } from './clients';
import { plan as planResponse, type PrincipalFacts } from '../planning/plan';
import type { Principal, Signal } from '../signal/signal';
import { ownDeploymentOf } from './own-deployment';
import {
  carryOutPlan,
  DEFAULT_LEASE_MS,
  runClaimedIncident,
  type FinishedIncident,
  type ResponderDependencies,
} from './respond';

/** What an operator can contain by hand: `cordon contain user NAME | role NAME | instance ID --region R`. */
export type ManualTarget =
  | { readonly kind: 'user'; readonly name: string }
  | { readonly kind: 'role'; readonly name: string }
  | { readonly kind: 'instance'; readonly id: string; readonly region: string };

interface ResolvedTarget {
  readonly principal: Principal;
  readonly facts: PrincipalFacts;
  readonly instanceId?: string;
  readonly region: string;
  /** How the incident and the record name it. */
  readonly name: string;
}

/** The target's real ARN (its path decides protection); IAM's NoSuchEntity propagates. */
async function resolve(
  target: ManualTarget,
  deps: ResponderDependencies,
  accountId: Promise<string>,
): Promise<ResolvedTarget> {
  switch (target.kind) {
    case 'user': {
      const [user, account] = await Promise.all([
        deps.iam.send(new GetUserCommand({ UserName: target.name })),
        accountId,
      ]);
      const arn = user.User?.Arn;
      return {
        principal: { type: 'IAMUser', userName: target.name, arn, accountId: arn?.split(':')[4] ?? account },
        facts: arn ? { userArn: arn } : {},
        region: 'global',
        name: `user/${target.name}`,
      };
    }
    case 'role': {
      const [role, account] = await Promise.all([
        deps.iam.send(new GetRoleCommand({ RoleName: target.name })),
        accountId,
      ]);
      const arn = role.Role?.Arn;
      return {
        principal: {
          type: 'AssumedRole',
          roleName: target.name,
          roleArn: arn,
          accountId: arn?.split(':')[4] ?? account,
        },
        facts: arn ? { roleArn: arn } : {},
        region: 'global',
        name: `role/${target.name}`,
      };
    }
    case 'instance': {
      // Read first (an operator's typo must not become an incident): InstanceNotFound propagates.
      const [, account] = await Promise.all([
        readInstance((deps.ec2 ?? regionalEc2Clients())(target.region), target.id, target.region),
        accountId,
      ]);
      return {
        principal: { type: 'Unknown', accountId: account },
        facts: {},
        instanceId: target.id,
        region: target.region,
        name: `instance/${target.region}/${target.id}`,
      };
    }
  }
}

/**
 * `cordon contain user|role|instance`: an operator's decision, so no detection, threshold or
 * circuit breaker applies; protected principals and dry-run still do, decided by the same planner
 * and run by the same execute stage as an event's.
 */
export async function containManually(
  target: ManualTarget,
  deps: ResponderDependencies,
  options: { dryRun?: boolean } = {},
): Promise<FinishedIncident> {
  const now = (deps.now ?? (() => new Date()))();
  const account = deps.accountId();
  const [resolved, accountId] = await Promise.all([resolve(target, deps, account), account]);
  const dryRun = options.dryRun === true || deps.config.mode === 'dry-run';
  const incidentId = incidentIdFor(
    `manual:${dryRun ? 'dry-run:' : ''}${resolved.name}:${now.toISOString()}`,
    now.toISOString(),
  );
  const signal: Signal = {
    kind: 'signal',
    source: 'manual',
    eventId: incidentId,
    time: now.toISOString(),
    region: resolved.region,
    accountId,
    principal: resolved.principal,
    credentialKind: 'unknown',
    ...(resolved.instanceId ? { instanceId: resolved.instanceId } : {}),
  };
  const claim = await deps.store.claim({
    incidentId,
    createdAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + DEFAULT_LEASE_MS).toISOString(),
    summary: {
      principal: resolved.principal.arn ?? resolved.principal.roleArn ?? resolved.name,
      detections: 'manual',
      dryRun,
    },
  });
  if (claim !== 'claimed') throw new Error(`incident ${incidentId} is already claimed (${claim})`);
  return runClaimedIncident(deps, incidentId, claim, async () => {
    const plan = planResponse({
      signal,
      detections: [],
      config: deps.config,
      own: ownDeploymentOf(deps.config, accountId),
      facts: resolved.facts,
      recentContainments: 0,
      dryRun,
    });
    const execution = await carryOutPlan(deps, {
      incidentId,
      now,
      plan,
      accountId,
      attackSeenAt: signal.time,
    });
    return { incidentId, now, detections: [], signal, rejection: null, plan, ...execution };
  });
}
