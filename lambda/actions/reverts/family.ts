/**
 * The revert family of the action registry: one planned `revert-change` undoes one change an event
 * made, with the reverter that change names (lambda/actions/reverts/index.ts). Its record has the
 * shape of every containment record (subject, effective, outcomes, failures, manual steps), so the
 * incident's outcome, the report and `cordon restore` read it like any other.
 */
import { CHANGE_REVERTERS, reverterOf } from './index';
import type { RevertContext, RevertibleChange, RevertOutcome, UndoContext } from './types';
import type { ContainmentRecordBase, RestoreRecordBase } from '../types';
import { errorOf } from '../types';

export const REVERT_RECORD_KIND = 'cordon/change-revert';
export const REVERT_RESTORE_KIND = 'cordon/change-revert-restore';

export interface ChangeRevertResult extends ContainmentRecordBase<typeof REVERT_RECORD_KIND, RevertOutcome> {
  /** The change that was undone, as planned (the restore undoes the revert from it). */
  readonly change: RevertibleChange;
  /** The account it was undone in (the restore acts in no other). */
  readonly accountId: string;
}

export type ChangeRestoreResult = RestoreRecordBase<typeof REVERT_RESTORE_KIND, RevertOutcome>;

/** The change as people name it: `security-group/sg-0abc (us-east-1), changed by AuthorizeSecurityGroupIngress`. */
export function changeSubject(change: RevertibleChange): string {
  return `${change.target} (${change.region}), changed by ${change.eventName} ${change.eventId}`;
}

function unknownReverter(change: RevertibleChange, action: string): RevertOutcome {
  return {
    action,
    target: change.target,
    status: 'failed',
    detail: `no reverter named ${change.revert} in this version of Cordon: ${change.target} was NOT changed; undo ${change.eventName} (${change.eventId}) by hand`,
    error: { name: 'UnknownReverter', message: `unknown reverter ${change.revert}` },
    before: null,
  };
}

function manualStepsOf(outcomes: readonly RevertOutcome[]): readonly string[] {
  return outcomes.flatMap((outcome) => (outcome.manualStep ? [outcome.manualStep] : []));
}

/** Undoes one change with its reverter; never rejects (a reverter that throws is a failed outcome). */
export async function revertChange(
  change: RevertibleChange,
  context: RevertContext,
): Promise<ChangeRevertResult> {
  const reverter = reverterOf(change);
  let outcomes: readonly RevertOutcome[];
  if (!reverter) outcomes = [unknownReverter(change, 'revert-change')];
  else {
    try {
      outcomes = await reverter.revert(change, context);
    } catch (thrown) {
      outcomes = [
        {
          action: reverter.action,
          target: change.target,
          status: 'failed',
          detail: `${reverter.action} failed on ${change.target}: ${errorOf(thrown).message}`,
          error: errorOf(thrown),
          before: null,
        },
      ];
    }
  }
  const failures = outcomes.filter((outcome) => outcome.status === 'failed').length;
  const manualSteps = manualStepsOf(outcomes);
  return {
    kind: REVERT_RECORD_KIND,
    schemaVersion: 1,
    incidentId: context.incidentId,
    dryRun: context.dryRun,
    startedAt: context.now.toISOString(),
    subject: changeSubject(change),
    effective: !context.dryRun && outcomes.length > 0 && failures === 0,
    outcomes,
    failures,
    ...(manualSteps.length ? { manualSteps } : {}),
    change,
    accountId: context.accountId,
  };
}

/** Puts back what a revert changed, from its record. */
export async function restoreRevert(
  record: ChangeRevertResult,
  context: UndoContext,
): Promise<ChangeRestoreResult> {
  const reverter = reverterOf(record.change);
  let outcomes: readonly RevertOutcome[];
  if (!reverter) outcomes = [unknownReverter(record.change, 'undo-revert')];
  else {
    try {
      outcomes = await reverter.undo(record.change, record.outcomes, context);
    } catch (thrown) {
      outcomes = [
        {
          action: `undo-${reverter.action}`,
          target: record.change.target,
          status: 'failed',
          detail: `undoing ${reverter.action} failed on ${record.change.target}: ${errorOf(thrown).message}`,
          error: errorOf(thrown),
          before: null,
        },
      ];
    }
  }
  const manualSteps = manualStepsOf(outcomes);
  return {
    kind: REVERT_RESTORE_KIND,
    incidentId: record.incidentId,
    dryRun: context.dryRun,
    subject: record.subject,
    complete:
      manualSteps.length === 0 &&
      outcomes.every((outcome) => outcome.status === 'done' || outcome.status === 'already-done'),
    outcomes,
    manualSteps,
  };
}

/** Every reverter's declaration: the grants of whoever runs reverts. */
export const REVERT_ACTION_MODULES = CHANGE_REVERTERS;
