/**
 * What the EC2 reverters share: their outcomes, the sentence naming the event a revert undoes, and
 * the refusal to touch a change recorded in another account than the one Cordon runs in.
 */
import type { ActionError, ActionStatus } from '../../types';
import type { JsonValue, RevertibleChange, RevertOutcome } from '../types';

/** Every EC2 change's details carry the record's account (its `recipientAccountId`), null when the record lacks it. */
export type AccountOfChange = { readonly accountId: string | null };

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

/** `AuthorizeSecurityGroupIngress (event 0f1e…) in us-east-1`: what a detail says it undoes. */
import { describeError, eventOf, undoAction } from '../outcome-text';

export { describeError, eventOf, undoAction };

/**
 * A failed outcome when the change was recorded in another account than Cordon's: Cordon never acts
 * on another account's resource (no call is made). Undefined when the change is Cordon's account's.
 */
export function otherAccountRefusal(
  action: string,
  change: Pick<RevertibleChange, 'eventName' | 'eventId' | 'region' | 'target'> & {
    readonly details: AccountOfChange;
  },
  accountId: string,
): RevertOutcome | undefined {
  const recorded = change.details.accountId;
  if (recorded === null || recorded === accountId) return undefined;
  const message = `${change.target} is in account ${recorded}, not ${accountId} where Cordon runs`;
  return outcome(
    action,
    change.target,
    'failed',
    `NOT changed: ${message}; ${eventOf(change)} is for that account's own responders`,
    null,
    { name: 'OtherAccount', message },
  );
}
