/**
 * The outcomes of the compute reverters, in one shape: who acted on what, how it went, the state
 * read before, and (when no API can put it back) the step a person must take. Also the two facts
 * every revert checks first: the event it undoes, named for the on-call engineer, and whether the
 * change is in another account (never touched).
 */
import { nothingToDo } from '../../iam-user/context';
import type { ActionError, ActionStatus } from '../../types';
import type { JsonObject, JsonValue, RevertibleChange, RevertOutcome } from '../types';

export interface OutcomeExtras {
  readonly error?: ActionError;
  readonly manualStep?: string;
}

export function outcome(
  action: string,
  target: string,
  status: ActionStatus,
  detail: string,
  before: JsonValue,
  extras: OutcomeExtras = {},
): RevertOutcome {
  return {
    action,
    target,
    status,
    detail,
    before,
    ...(extras.error ? { error: extras.error } : {}),
    ...(extras.manualStep ? { manualStep: extras.manualStep } : {}),
  };
}

/** A target already as wanted: `already-done`, or in a dry run `planned` with "nothing to do". */
export function unchanged(
  action: string,
  target: string,
  dryRun: boolean,
  detail: string,
  before: JsonValue,
): RevertOutcome {
  const { status, detail: said } = nothingToDo(dryRun, detail);
  return outcome(action, target, status, said, before);
}

/** A failed outcome whose error is the reason itself (no AWS error behind it). */
export function refused(
  action: string,
  target: string,
  name: string,
  detail: string,
  before: JsonValue,
  manualStep?: string,
): RevertOutcome {
  return outcome(action, target, 'failed', detail, before, {
    error: { name, message: detail },
    ...(manualStep ? { manualStep } : {}),
  });
}

/** The event a change came from, for a sentence: `RunInstances (event 37f1…) in us-west-2`. */
import { describeError, eventOf } from '../outcome-text';

export { describeError, eventOf };

/** The account a change's record names, when it names one. */
export function accountOf(details: JsonObject): string | undefined {
  const account = details.accountId;
  return typeof account === 'string' && account !== '' ? account : undefined;
}

/**
 * The failed outcome for a change in another account than Cordon's (no call is made), or
 * undefined when the change is in this account (or its record names none).
 */
export function foreignAccountOutcome(
  action: string,
  change: RevertibleChange,
  accountId: string,
): RevertOutcome | undefined {
  const account = accountOf(change.details);
  if (account === undefined || account === accountId) return undefined;
  return refused(
    action,
    change.target,
    'ForeignAccount',
    `${change.target} is in account ${account}, not in ${accountId} where Cordon runs: NOT changed; undo ${eventOf(change)} from that account`,
    null,
  );
}

/** The error a call answered, by its SDK name, or undefined. */
export function errorNameOf(thrown: unknown): string | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { name } = thrown as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}
