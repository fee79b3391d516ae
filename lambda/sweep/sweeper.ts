/**
 * One run of the sweeper, for the Lambda and `cordon sweep` alike: continue (or start) the sweep of
 * an incident until its time budget ends, then either hand over to the next run (the state is
 * saved) or, once the timeline is read to its end, send the damage report, once.
 */
import type { CordonConfig } from '../config/schema';
import type { IncidentRecord } from '../responder/incident-record';
import type { ReportPublisher } from '../notify/publisher';
import { renderDamageReport } from '../notify/damage-report';
import type { Report } from '../notify/report';
import { runSweep, SWEEP_DOCUMENT, type SweepDependencies, type SweepStart, type SweepState } from './sweep';

export interface SweeperDependencies extends SweepDependencies {
  readonly publisher: ReportPublisher;
}

export interface SweeperRun {
  readonly incidentId: string;
  readonly start?: SweepStart;
  /** Epoch milliseconds: no page is asked for after it. */
  readonly deadline: number;
}

export interface SweeperResult {
  readonly state: SweepState;
  /** The damage report, when this run finished the sweep. */
  readonly report?: Report;
}

/** Runs the sweep until done or the deadline; publishes the damage report when this run finishes it. */
export async function sweepOnce(run: SweeperRun, deps: SweeperDependencies): Promise<SweeperResult> {
  const clock = deps.now ?? (() => new Date());
  const state = await runSweep(
    { incidentId: run.incidentId, start: run.start, shouldStop: () => clock().getTime() >= run.deadline },
    deps,
  );
  if (!state.done || state.reportedAt) return { state };
  const report = renderDamageReport(state);
  await deps.publisher.publish(report);
  const reported: SweepState = { ...state, reportedAt: clock().toISOString() };
  await deps.store.putDocument(run.incidentId, SWEEP_DOCUMENT, reported);
  return { state: reported, report };
}

/**
 * What the sweep of an incident starts from, or why there is none: a sweep follows the
 * credentials of a principal Cordon contained (or would contain, on a dry run), by its access key.
 */
export function sweepStartOf(
  record: IncidentRecord,
  config: Pick<CordonConfig, 'sweep'>,
): { readonly start: SweepStart } | { readonly skipped: string } {
  if (!config.sweep.enabled) return { skipped: 'sweep.enabled is off' };
  const { signal, plan } = record;
  if (!signal || !plan) return { skipped: 'nothing was planned' };
  const contains = plan.actions.some(
    (a) => a.kind === 'contain-iam-user' || a.kind === 'revoke-role-sessions',
  );
  if (!contains) return { skipped: 'no principal was contained' };
  if (plan.heldBack && plan.heldBack.reason !== 'dry-run')
    return { skipped: `containment was held back (${plan.heldBack.reason})` };
  if (!signal.accessKeyId) return { skipped: 'the event names no access key to follow' };
  return {
    start: {
      accessKeyId: signal.accessKeyId,
      ...(signal.principal.type === 'IAMUser' && signal.principal.userName
        ? { userName: signal.principal.userName }
        : {}),
      firstSeen: new Date(signal.time),
      dryRun: !plan.enforce,
    },
  };
}
