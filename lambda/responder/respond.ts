import type { IAMClient } from '@aws-sdk/client-iam';
import type { CordonConfig } from '../config/schema';
import { effectiveResponse, isDetectionEnabled } from '../detections/config-overrides';
import { detectionContextFromConfig } from '../detections/context';
import { matchDetections } from '../detections/match';
import type { DetectionContext } from '../detections/types';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { isIamUserContainment } from '../actions/registry';
import { revertibleChangesOf } from '../actions/reverts';
import type { CloudTrailRecord } from '../actions/reverts/types';
import { incidentIdFor } from '../incidents/incident-id';
import type { ClaimResult, IncidentStore } from '../incidents/store';
import type { ReportPublisher } from '../notify/publisher';
import { renderReport, type Report } from '../notify/report';
import { plan as planResponse, type Plan, type PrincipalFacts } from '../planning/plan';
import { stableId } from '../signal/envelope';
import { parse } from '../signal/parse';
import type { Rejection, Signal } from '../signal/signal';
import {
  INCIDENT_RECORD_KIND,
  isIncidentRecord,
  type IncidentRecord,
  type MatchedDetection,
} from './incident-record';
import { ownDeploymentOf } from './own-deployment';
import { needsRoleArnLookup, needsUserArnLookup, roleNameOf } from '../planning/protected-principals';
import { actionClientsOf, type ServiceClients } from './clients';
import { executePlan, type Execution } from './execute';
import { lookUpInstanceRole, lookUpRoleArn, lookUpUserArn } from '../principals/lookups';
import {
  VERIFICATION_DELAYS_SECONDS,
  verificationRequests,
  type VerificationPlan,
  type VerificationScheduler,
} from './verification';

export interface ResponderDependencies {
  readonly iam: IAMClient;
  /** EC2 in a region, for instance isolation. Default: clients made from the environment, one per region. */
  readonly ec2?: (region: string) => EC2Client;
  /** S3, S3 Control, Lambda, RDS, CloudTrail, GuardDuty by region, for reverts. Default: from the environment. */
  readonly services?: ServiceClients;
  readonly store: IncidentStore;
  readonly publisher: ReportPublisher;
  readonly config: CordonConfig;
  /** The account Cordon runs in: the Lambda's own, or the CLI credentials' (sts:GetCallerIdentity). */
  readonly accountId: () => Promise<string>;
  /** Schedules the verification rounds after IAM's propagation window; none from the command line. */
  readonly verifier?: VerificationScheduler;
  readonly now?: () => Date;
}

export interface RespondOptions {
  /** `--dry-run` on the command line, on top of the config's mode. */
  readonly dryRun?: boolean;
  /**
   * How long this run may take: its claim holds the incident that long, then a retry may take it
   * (a run that died must not block its retry forever). The Lambda passes its remaining time.
   */
  readonly leaseMs?: number;
  /**
   * Plan a dry run again although this event's dry run was recorded before (an operator tuning the
   * config wants the new plan). A dry run changes nothing, so repeating it is safe; the Lambda
   * leaves this off, so that a re-delivery does not publish the same dry-run report twice.
   */
  readonly repeatDryRun?: boolean;
}

/** A CLI run's lease: long enough for any containment, short enough for a retry the same hour. */
export const DEFAULT_LEASE_MS = 15 * 60_000;

export type RespondResult =
  | {
      readonly duplicate: true;
      readonly incidentId: string;
      /** `in-progress`: another run holds it now; `completed`: it was finished before. */
      readonly claim: Extract<ClaimResult, 'in-progress' | 'completed'>;
      readonly dryRun: boolean;
    }
  | {
      readonly duplicate: false;
      readonly incidentId: string;
      readonly record: IncidentRecord;
      readonly report: Report;
    };

export type FinishedIncident = Extract<RespondResult, { duplicate: false }>;

const contexts = new WeakMap<CordonConfig, DetectionContext>();
function detectionContext(config: CordonConfig): DetectionContext {
  let context = contexts.get(config);
  if (!context) {
    context = detectionContextFromConfig(config);
    contexts.set(config, context);
  }
  return context;
}

function eventIdOf(event: unknown, parsedId: string | undefined): string {
  if (parsedId) return parsedId;
  const id = typeof event === 'object' && event !== null ? (event as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id ? id : stableId('event', event);
}

/** The CloudTrail record an EventBridge event carries (its detail), or an empty one. */
function cloudTrailRecordOf(event: unknown): CloudTrailRecord {
  const detail =
    typeof event === 'object' && event !== null ? (event as { detail?: unknown }).detail : undefined;
  return typeof detail === 'object' && detail !== null && !Array.isArray(detail)
    ? (detail as CloudTrailRecord)
    : {};
}

/** The account the EventBridge envelope names, when it names one. */
function envelopeAccount(event: unknown): string | undefined {
  const account =
    typeof event === 'object' && event !== null ? (event as { account?: unknown }).account : undefined;
  return typeof account === 'string' && account !== '' ? account : undefined;
}

/** An event for another account is refused whole: nothing in it may be acted on here. */
function otherAccountRejection(event: unknown, signal: Signal, accountId: string): Rejection | null {
  const named = [envelopeAccount(event), signal.accountId].filter((a): a is string => a !== undefined);
  const other = named.find((account) => account !== accountId);
  if (other === undefined) return null;
  return {
    kind: 'rejection',
    reason: 'other-account',
    message:
      `the event is for account ${other}, and Cordon runs in account ${accountId}: nothing was changed. ` +
      `Respond to it in account ${other} (deploy Cordon there, or run the CLI with that account's credentials).`,
    eventId: signal.eventId,
  };
}

/**
 * parse → match → plan → execute → record → notify. Never throws on input: an event that cannot be
 * parsed, or that is for another account, is still recorded and reported. A re-delivery of a
 * finished incident, or a duplicate while another run holds it, makes no second incident; a retry
 * after a failed run finishes it.
 */
export async function respond(
  event: unknown,
  deps: ResponderDependencies,
  options: RespondOptions = {},
): Promise<RespondResult> {
  const now = (deps.now ?? (() => new Date()))();
  const parsed = parse(event);
  const signal = parsed.kind === 'signal' ? parsed : null;
  const eventId = eventIdOf(event, parsed.eventId);
  const dryRun = options.dryRun === true || deps.config.mode === 'dry-run';
  // A dry run is an incident of its own: it never blocks the real run of the same event.
  const incidentId = incidentIdFor(
    dryRun ? `dry-run:${eventId}` : eventId,
    signal?.time ?? now.toISOString(),
  );
  const detections = signal
    ? matchDetections(event, detectionContext(deps.config)).filter((d) => isDetectionEnabled(d, deps.config))
    : [];
  const matched: MatchedDetection[] = detections.map((d) => ({
    id: d.id,
    title: d.title,
    severity: d.severity,
    response: effectiveResponse(d, deps.config),
  }));

  // One round trip before the deny, side by side: the claim (deduplication), the circuit breaker's
  // count, the account Cordon runs in, and the user's real ARN when protection depends on its path.
  const since = new Date(now.getTime() - deps.config.circuitBreaker.windowMinutes * 60_000);
  const wantsContainment = signal !== null && matched.some((d) => d.response === 'contain');
  // A revert is held back when a protected principal made the change: its protection is decided too.
  const wantsAction = signal !== null && matched.some((d) => d.response !== 'notify');
  const [claim, recentContainments, accountId, facts] = await Promise.all([
    deps.store.claim({
      incidentId,
      createdAt: now.toISOString(),
      leaseUntil: new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)).toISOString(),
      summary: {
        eventId,
        principal: signal?.principal.arn ?? signal?.principal.userName ?? 'unknown',
        detections: matched.map((d) => d.id).join(',') || 'none',
        dryRun,
      },
    }),
    wantsContainment ? deps.store.countContainmentsSince(since) : Promise.resolve(0),
    deps.accountId(),
    wantsAction ? lookUpPrincipalFacts(deps, signal) : Promise.resolve<PrincipalFacts>({}),
  ]);
  // The same event arrives again when EventBridge re-delivers it, and at once when two rules match
  // it: acting twice concurrently would record the first run's changes as the second's before-state.
  const repeat = claim === 'completed' && dryRun && options.repeatDryRun === true;
  if (claim === 'in-progress' || (claim === 'completed' && !repeat)) {
    return { duplicate: true, incidentId, claim, dryRun };
  }

  return runClaimedIncident(deps, incidentId, claim === 'resumed' ? 'resumed' : 'claimed', async () => {
    const eventSaved = deps.store.putDocument(incidentId, 'event', event);
    const foreign = signal ? otherAccountRejection(event, signal, accountId) : null;
    let plan: Plan | null = null;
    let execution: Awaited<ReturnType<typeof carryOutPlan>> = { containments: [], errors: [] };
    if (signal && !foreign) {
      plan = planResponse({
        signal,
        detections,
        config: deps.config,
        own: ownDeploymentOf(deps.config, accountId),
        facts,
        recentContainments,
        dryRun,
        changes: matched.some((d) => d.response === 'revert')
          ? revertibleChangesOf(cloudTrailRecordOf(event))
          : [],
      });
      [execution] = await Promise.all([
        carryOutPlan(deps, { incidentId, now, plan, accountId, attackSeenAt: signal.time }),
        eventSaved,
      ]);
    } else {
      await eventSaved;
    }
    return {
      incidentId,
      now,
      detections: matched,
      signal,
      rejection: foreign ?? (parsed.kind === 'rejection' ? parsed : null),
      plan,
      ...execution,
    };
  });
}

/**
 * What the planner needs and the event does not say, each read only when it matters: the user's
 * or the role's ARN when protection depends on its path (and whether the role still exists), the
 * role of an instance profile when the config revokes an instance's role sessions.
 */
async function lookUpPrincipalFacts(
  deps: Pick<ResponderDependencies, 'iam' | 'config'>,
  signal: Signal,
): Promise<PrincipalFacts> {
  const { principal } = signal;
  const roleName = roleNameOf(principal);
  const [user, role, instanceRole] = await Promise.all([
    principal.userName && needsUserArnLookup(principal, deps.config.protectedPrincipals)
      ? lookUpUserArn(deps.iam, principal.userName)
      : undefined,
    roleName && needsRoleArnLookup(principal) ? lookUpRoleArn(deps.iam, roleName) : undefined,
    signal.instanceProfileArn &&
    principal.type === 'Unknown' &&
    deps.config.instanceIsolation.revokeRoleSessions
      ? lookUpInstanceRole(deps.iam, signal.instanceProfileArn)
      : undefined,
  ]);
  return { ...user, ...role, ...instanceRole };
}

export type IncidentFacts = Omit<
  IncidentRecord,
  'kind' | 'schemaVersion' | 'createdAt' | 'location' | 'resumed'
> & {
  readonly now: Date;
};

/**
 * Runs a claimed incident to its end: the work, the record, the report, then the claim marked
 * completed. A resumed incident whose record was written by the failed attempt is only reported
 * again. If anything fails, the claim is released so that a retry (Lambda's own, or the operator's)
 * can finish the incident at once, and the error propagates.
 */
export async function runClaimedIncident(
  deps: Pick<ResponderDependencies, 'store' | 'publisher' | 'now'>,
  incidentId: string,
  claim: Extract<ClaimResult, 'claimed' | 'resumed'>,
  work: () => Promise<IncidentFacts>,
): Promise<FinishedIncident> {
  const clock = deps.now ?? (() => new Date());
  try {
    let record: IncidentRecord | undefined;
    if (claim === 'resumed') {
      const previous = await deps.store.getDocument(incidentId, 'record');
      if (isIncidentRecord(previous)) record = previous;
    }
    if (!record) {
      const { now, ...rest } = await work();
      record = {
        kind: INCIDENT_RECORD_KIND,
        schemaVersion: 1,
        createdAt: now.toISOString(),
        ...rest,
        ...(claim === 'resumed' ? { resumed: true } : {}),
        location: deps.store.locationOf(incidentId),
      };
      await deps.store.putDocument(incidentId, 'record', record);
    }
    const report = renderReport(record);
    await deps.publisher.publish(report);
    await deps.store.completeClaim(incidentId, clock());
    return { duplicate: false, incidentId, record, report };
  } catch (error) {
    // Best effort: if the store is what failed, the lease expires and lets the retry in anyway.
    await deps.store.releaseClaim(incidentId, clock()).catch(() => undefined);
    throw error;
  }
}

/**
 * Runs a plan's actions (one failing action never stops another), storing the plan beside the
 * changes, counts an enforced containment for the circuit breaker, and schedules its
 * verification. Scheduling is part of the run: if it fails, the run fails and its retry
 * schedules again (a verification round is idempotent, so twice is harmless).
 */
export async function carryOutPlan(
  deps: Pick<ResponderDependencies, 'iam' | 'ec2' | 'services' | 'store' | 'verifier'>,
  run: {
    readonly incidentId: string;
    readonly now: Date;
    readonly plan: Plan;
    /** The account Cordon runs in. */
    readonly accountId: string;
    /** When the attacker was seen (the signal's time). */
    readonly attackSeenAt?: string;
  },
): Promise<Execution & { readonly verification?: VerificationPlan }> {
  const { incidentId, now, plan, accountId, attackSeenAt } = run;
  const clients = actionClientsOf(deps.iam, deps.ec2, deps.services);
  const [execution] = await Promise.all([
    executePlan({ plan, clients, incidentId, now, accountId, attackSeenAt }),
    deps.store.putDocument(incidentId, 'plan', plan),
  ]);
  const enforced = execution.containments.filter((c) => !c.dryRun);
  const contained = enforced.filter(isIamUserContainment).map((c) => c.userName);
  if (plan.enforce && enforced.length > 0 && contained.length === 0) {
    // Roles and instances: counted for the circuit breaker; verified by no later round (yet).
    await deps.store.recordContainment(incidentId, now);
    return execution;
  }
  if (!plan.enforce || contained.length === 0) return execution;
  const verification: VerificationPlan = deps.verifier
    ? { scheduled: true, delaysSeconds: VERIFICATION_DELAYS_SECONDS }
    : {
        scheduled: false,
        why: `No verification round is scheduled for this run (the command line schedules none): once IAM has propagated (about a minute), check that ${contained.join(', ')} is still contained (nothing re-enabled, no new key, policy or console password).`,
      };
  await Promise.all([
    deps.store.recordContainment(incidentId, now),
    deps.verifier?.schedule(verificationRequests(incidentId, contained), VERIFICATION_DELAYS_SECONDS),
  ]);
  return { ...execution, verification };
}
