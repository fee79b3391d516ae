import type { DetectionSeverity } from '../detections/types';
import type { Response } from '../config/schema';
import type { AnyContainment } from '../actions/registry';
import type { Plan } from '../planning/plan';
import type { Rejection, Signal } from '../signal/signal';
import type { VerificationPlan } from './verification';

export const INCIDENT_RECORD_KIND = 'cordon/incident';

/** A detection as the record and the report show it. */
export interface MatchedDetection {
  readonly id: string;
  readonly title: string;
  readonly severity: DetectionSeverity;
  readonly response: Response;
}

/**
 * Everything about one incident: the triggering event, what was made of it, the plan and what
 * each action did. Stored as `incidents/<id>/record.json`; `cordon restore` reads it back.
 */
export interface IncidentRecord {
  readonly kind: typeof INCIDENT_RECORD_KIND;
  readonly schemaVersion: 1;
  readonly incidentId: string;
  readonly createdAt: string;
  readonly detections: readonly MatchedDetection[];
  readonly signal: Signal | null;
  readonly rejection: Rejection | null;
  readonly plan: Plan | null;
  /** One per action of the plan that ran (an IAM user, a role's sessions, an EC2 instance), told apart by `kind`. */
  readonly containments: readonly AnyContainment[];
  /** Errors that stopped an action as a whole (its own outcomes list step failures). */
  readonly errors: readonly { readonly action: string; readonly name: string; readonly message: string }[];
  /** Where the record and the event are kept. */
  readonly location: string;
  /** Set when an earlier attempt failed before finishing and this run (a retry) finished it. */
  readonly resumed?: true;
  /** Whether containment is verified again after IAM's propagation window (enforced containments only). */
  readonly verification?: VerificationPlan;
}

export function isIncidentRecord(value: unknown): value is IncidentRecord {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === INCIDENT_RECORD_KIND
  );
}

/**
 * One word for the whole incident, for subjects, SNS filter policies and the CLI's exit codes:
 * - `contained`: every action done; `partially-contained`: every principal is cut off (the user
 *   denied, the role's older sessions revoked, the instance isolated) but some step failed, or
 *   some principal is cut off and another is not; `failed`: no principal is known to be cut off;
 * - `reverted`: every change a revert detection asked to undo is undone (and nothing was
 *   contained); `partially-reverted`: some change is undone and another is not;
 * - `dry-run`: planned, nothing changed; `held-back`: containment was asked for and not done
 *   (protected, circuit breaker, threshold, sample, root, not automated); `reported`: no
 *   detection asked for containment;
 * - `unparsed`: no signal could be made of the event; `rejected`: a signal for another account.
 */
export const INCIDENT_OUTCOMES = [
  'contained',
  'partially-contained',
  'reverted',
  'partially-reverted',
  'failed',
  'dry-run',
  'held-back',
  'reported',
  'unparsed',
  'rejected',
] as const;
export type IncidentOutcome = (typeof INCIDENT_OUTCOMES)[number];

/** One word for the whole incident, for subjects and SNS filter policies. */
export function outcomeOf(record: IncidentRecord): IncidentOutcome {
  if (!record.signal) return 'unparsed';
  if (record.rejection) return 'rejected';
  if (!record.plan) return 'failed';
  if (record.plan.heldBack?.reason === 'dry-run') return 'dry-run';
  if (record.plan.heldBack) return 'held-back';
  if (!record.plan.enforce) return 'reported';
  if (record.errors.length > 0 || record.containments.length === 0) return 'failed';
  const clean = record.containments.every((c) => c.effective && c.failures === 0);
  const revertsOnly = record.containments.every((c) => c.kind === 'cordon/change-revert');
  if (revertsOnly) {
    if (clean) return 'reverted';
    return record.containments.some((c) => c.effective) ? 'partially-reverted' : 'failed';
  }
  if (clean) return 'contained';
  return record.containments.some((c) => c.effective) ? 'partially-contained' : 'failed';
}
