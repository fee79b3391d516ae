/**
 * What every data-sharing reverter reports, in one place: the outcome of one change, the sentence
 * naming the event it undoes, the refusal to touch another account's resource, and the revert
 * outcome an undo starts from. Kept apart so each reverter module holds only its own service's calls.
 */
import type { ActionError, ActionStatus } from '../../types';
import type { JsonObject, JsonValue, RevertibleChange, RevertOutcome } from '../types';

/** The facts every data change keeps: the account the event was recorded in (null when it did not say). */
export type AccountScoped = { readonly accountId: string | null };

/** "PutBucketAcl (eventId ...) in us-east-1": the event a sentence is about. */
import { eventOf } from '../outcome-text';

export { eventOf };

/** One outcome for the change's target. */
export function outcomeOf(
  action: string,
  change: RevertibleChange,
  status: ActionStatus,
  detail: string,
  before: JsonValue,
  error?: ActionError,
): RevertOutcome {
  return { action, target: change.target, status, detail, before, ...(error ? { error } : {}) };
}

/** A value of the SDK's (undefined fields dropped) as JSON, for a `before`. */
export function jsonOf(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/**
 * The failed outcome when the change was recorded in another account than the one Cordon runs in:
 * nothing is called, since the resource is not ours to change.
 */
export function foreignAccount(
  action: string,
  change: RevertibleChange<JsonObject & AccountScoped>,
  accountId: string,
): RevertOutcome | undefined {
  const recorded = change.details.accountId;
  if (recorded === null || recorded === accountId) return undefined;
  return outcomeOf(
    action,
    change,
    'failed',
    `${change.target} is in account ${recorded}, not ${accountId}: ${eventOf(change)} is not reverted.`,
    null,
    { name: 'ForeignAccount', message: `the change is in account ${recorded}, Cordon runs in ${accountId}` },
  );
}

/** The outcome of the revert of this change that changed something (`done`), or undefined. */
export function revertDone(
  action: string,
  change: RevertibleChange,
  outcomes: readonly RevertOutcome[],
): RevertOutcome | undefined {
  return outcomes.find(
    (outcome) => outcome.action === action && outcome.target === change.target && outcome.status === 'done',
  );
}

/** The undo outcome when the revert changed nothing, so there is nothing to put back. */
export function nothingToUndo(action: string, change: RevertibleChange): RevertOutcome {
  return outcomeOf(
    action,
    change,
    'already-done',
    `The revert of ${eventOf(change)} changed nothing on ${change.target}; nothing to put back.`,
    null,
  );
}

/** A JSON object field of a recorded `before`, or undefined. */
export function fieldOf(before: JsonValue, key: string): JsonValue | undefined {
  if (typeof before !== 'object' || before === null || Array.isArray(before)) return undefined;
  return (before as JsonObject)[key];
}
