/**
 * What the persistence and logging reverters share: their outcomes, the phrase naming the event a
 * revert undoes, the refusal to touch another account's resource, and one read-check-write step
 * (read the state and keep it as `before`, stop when nothing is left to do, plan on a dry run,
 * else write) that every revert and undo of this area runs.
 */
import { nothingToDo } from '../../iam-user/context';
import { errorOf, type ActionError, type ActionStatus } from '../../types';
import type { JsonValue, RevertibleChange, RevertOutcome } from '../types';

import { eventOf, undoAction } from '../outcome-text';

export { eventOf, undoAction };

export function outcome(
  action: string,
  target: string,
  status: ActionStatus,
  detail: string,
  before: JsonValue,
  error?: ActionError,
): RevertOutcome {
  return { action, target, status, detail, before, ...(error ? { error } : {}) };
}

/** `StopLogging (event e1b5…) in us-east-1`: what a detail says it undoes. */

/**
 * A failed outcome when the change is in another account than Cordon's (the record's
 * `recipientAccountId`, or the account an ARN in it names): no call is made. Undefined otherwise;
 * an account the record does not name (null) is not a refusal.
 */
export function otherAccountRefusal(
  action: string,
  change: RevertibleChange,
  accounts: readonly (string | null)[],
  accountId: string,
): RevertOutcome | undefined {
  const other = accounts.find((account) => account !== null && account !== accountId);
  if (!other) return undefined;
  const message = `${change.target} is in account ${other}, not ${accountId} where Cordon runs`;
  return outcome(action, change.target, 'failed', `NOT changed: ${message} (${eventOf(change)})`, null, {
    name: 'OtherAccount',
    message,
  });
}

/** The `before` of the outcome of `action` that changed something, if one did. */
export function changedBefore(outcomes: readonly RevertOutcome[], action: string): JsonValue | undefined {
  return outcomes.find((recorded) => recorded.action === action && recorded.status === 'done')?.before;
}

/** An object field of a recorded `before`, or undefined. */
export function fieldOf(value: JsonValue | undefined, field: string): JsonValue | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return (value as { readonly [key: string]: JsonValue })[field];
}

/** The undo of a revert that changed nothing: nothing to put back. */
export function nothingToPutBack(action: string, change: RevertibleChange, dryRun: boolean): RevertOutcome {
  const { status, detail } = nothingToDo(
    dryRun,
    `the revert of ${eventOf(change)} changed nothing on ${change.target}, so there is nothing to put back`,
  );
  return outcome(undoAction(action), change.target, status, detail, null);
}

/** One read-check-write on one target. */
export interface Step<S extends JsonValue> {
  readonly action: string;
  readonly target: string;
  readonly change: RevertibleChange;
  readonly dryRun: boolean;
  /** Reads the current state (kept as the outcome's `before`). */
  readonly read: () => Promise<S>;
  /** Why nothing is left to do in this state, or undefined when the write is due. */
  readonly settled: (state: S) => string | undefined;
  readonly write: (state: S) => Promise<unknown>;
  /** What the write does, as a verb phrase: `deactivate access key AKIA… of user alice`. */
  readonly does: string;
  /** What the write did: `access key AKIA… of user alice deactivated`. */
  readonly did: string;
  /** What could not be read: `the status of access key AKIA…`. */
  readonly reads: string;
}

/** Runs a step: one outcome, never rejects. */
export async function runStep<S extends JsonValue>(step: Step<S>): Promise<RevertOutcome> {
  const { action, target, change } = step;
  const event = eventOf(change);
  let state: S;
  try {
    state = await step.read();
  } catch (thrown) {
    const error = errorOf(thrown);
    return outcome(
      action,
      target,
      'failed',
      `could not read ${step.reads}: did NOT ${step.does} (${event})`,
      null,
      error,
    );
  }
  const settled = step.settled(state);
  if (settled !== undefined) {
    const { status, detail } = nothingToDo(step.dryRun, `${settled} (${event})`);
    return outcome(action, target, status, detail, state);
  }
  if (step.dryRun) return outcome(action, target, 'planned', `would ${step.does} (${event})`, state);
  try {
    await step.write(state);
  } catch (thrown) {
    const error = errorOf(thrown);
    return outcome(
      action,
      target,
      'failed',
      `could not ${step.does} (${event}): ${error.name}: ${error.message}`,
      state,
      error,
    );
  }
  return outcome(action, target, 'done', `${step.did} (${event})`, state);
}
