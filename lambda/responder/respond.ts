import type { IAMClient } from '@aws-sdk/client-iam';
import type { CordonConfig } from '../../lib/config/schema';
import { effectiveResponse, isDetectionEnabled } from '../../lib/detections/config-overrides';
import { detectionContextFromConfig } from '../../lib/detections/context';
import { matchDetections } from '../../lib/detections/match';
import type { DetectionContext } from '../../lib/detections/types';
import { containIamUser, errorOf, type ContainmentResult } from '../actions';
import { incidentIdFor } from '../incidents/incident-id';
import type { IncidentStore } from '../incidents/store';
import type { ReportPublisher } from '../notify/publisher';
import { renderReport, type Report } from '../notify/report';
import { plan as planResponse, type Plan } from '../planning/plan';
import { stableId } from '../signal/envelope';
import { parse } from '../signal/parse';
import { INCIDENT_RECORD_KIND, type IncidentRecord, type MatchedDetection } from './incident-record';

export interface ResponderDependencies {
  readonly iam: IAMClient;
  readonly store: IncidentStore;
  readonly publisher: ReportPublisher;
  readonly config: CordonConfig;
  readonly now?: () => Date;
}

export type RespondResult =
  | { readonly duplicate: true; readonly incidentId: string }
  | {
      readonly duplicate: false;
      readonly incidentId: string;
      readonly record: IncidentRecord;
      readonly report: Report;
    };

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

interface Execution {
  readonly containments: readonly ContainmentResult[];
  readonly errors: IncidentRecord['errors'];
}

async function execute(
  plan: Plan,
  deps: Pick<ResponderDependencies, 'iam'>,
  incidentId: string,
  now: Date,
): Promise<Execution> {
  const containments: ContainmentResult[] = [];
  const errors: IncidentRecord['errors'][number][] = [];
  await Promise.all(
    plan.actions.map(async (action) => {
      try {
        containments.push(
          await containIamUser({
            iam: deps.iam,
            userName: action.userName,
            incidentId,
            dryRun: !plan.enforce,
            now,
          }),
        );
      } catch (thrown) {
        errors.push({ action: `${action.kind} ${action.userName}`, ...errorOf(thrown) });
      }
    }),
  );
  return { containments, errors };
}

/**
 * parse → match → plan → execute → record → notify. Never throws on input: an event that cannot be
 * parsed is still recorded and reported. A re-delivery of the same event makes no second incident.
 */
export async function respond(
  event: unknown,
  deps: ResponderDependencies,
  options: { dryRun?: boolean } = {},
): Promise<RespondResult> {
  const now = (deps.now ?? (() => new Date()))();
  const parsed = parse(event);
  const signal = parsed.kind === 'signal' ? parsed : null;
  const eventId = eventIdOf(event, parsed.eventId);
  const incidentId = incidentIdFor(eventId, signal?.time ?? now.toISOString());
  const detections = signal
    ? matchDetections(event, detectionContext(deps.config)).filter((d) => isDetectionEnabled(d, deps.config))
    : [];
  const matched: MatchedDetection[] = detections.map((d) => ({
    id: d.id,
    title: d.title,
    severity: d.severity,
    response: effectiveResponse(d, deps.config),
  }));

  // One store round trip before the deny: the claim (deduplication) and, beside it, the circuit
  // breaker's count, which the plan needs before anything is enforced.
  const since = new Date(now.getTime() - deps.config.circuitBreaker.windowMinutes * 60_000);
  const needsBreaker = signal !== null && matched.some((d) => d.response === 'contain');
  const [claim, recentContainments] = await Promise.all([
    deps.store.claim({
      incidentId,
      createdAt: now.toISOString(),
      summary: {
        eventId,
        principal: signal?.principal.arn ?? signal?.principal.userName ?? 'unknown',
        detections: matched.map((d) => d.id).join(',') || 'none',
      },
    }),
    needsBreaker ? deps.store.countContainmentsSince(since) : Promise.resolve(0),
  ]);
  // The same event arrives again when EventBridge re-delivers it, and at once when two rules match
  // it: acting twice concurrently would record the first run's changes as the second's before-state.
  if (claim === 'exists') return { duplicate: true, incidentId };
  const eventSaved = deps.store.putDocument(incidentId, 'event', event);

  let plan: Plan | null = null;
  let execution: Execution = { containments: [], errors: [] };
  if (signal) {
    plan = planResponse({
      signal,
      detections,
      config: deps.config,
      recentContainments,
      dryRun: options.dryRun,
    });
    [execution] = await Promise.all([carryOutPlan(deps, incidentId, now, plan), eventSaved]);
  } else {
    await eventSaved;
  }
  return finishIncident(deps, {
    incidentId,
    now,
    detections: matched,
    signal,
    rejection: parsed.kind === 'rejection' ? parsed : null,
    plan,
    ...execution,
  });
}

type IncidentFacts = Omit<IncidentRecord, 'kind' | 'schemaVersion' | 'createdAt' | 'location'> & {
  readonly now: Date;
};

/** Writes the incident record and publishes its report. */
export async function finishIncident(
  deps: ResponderDependencies,
  facts: IncidentFacts,
): Promise<RespondResult & { duplicate: false }> {
  const { now, ...rest } = facts;
  const record: IncidentRecord = {
    kind: INCIDENT_RECORD_KIND,
    schemaVersion: 1,
    createdAt: now.toISOString(),
    ...rest,
    location: deps.store.locationOf(facts.incidentId),
  };
  await deps.store.putDocument(facts.incidentId, 'record', record);
  const report = renderReport(record);
  await deps.publisher.publish(report);
  return { duplicate: false, incidentId: facts.incidentId, record, report };
}

/**
 * Runs a plan's actions (one failing action never stops another), storing the plan beside the
 * changes, and counts an enforced containment for the circuit breaker.
 */
export async function carryOutPlan(
  deps: Pick<ResponderDependencies, 'iam' | 'store'>,
  incidentId: string,
  now: Date,
  plan: Plan,
): Promise<Execution> {
  const [execution] = await Promise.all([
    execute(plan, deps, incidentId, now),
    deps.store.putDocument(incidentId, 'plan', plan),
  ]);
  if (plan.enforce && execution.containments.length > 0) await deps.store.recordContainment(incidentId, now);
  return execution;
}
