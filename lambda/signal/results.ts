/**
 * Building the parser's results: a Rejection with its reason and message (and the messages for
 * missing fields), and a Signal without its undefined keys.
 */
import type { Rejection, RejectionReason, Signal } from './signal';
import { isPlaceholder, kindOf, quote } from './values';

/** Why a principal cannot be made out: becomes a Rejection with the event's id. */
export interface Refusal {
  readonly reason: RejectionReason;
  readonly message: string;
}

export function reject(reason: RejectionReason, message: string, eventId?: string): Rejection {
  return eventId === undefined
    ? { kind: 'rejection', reason, message }
    : { kind: 'rejection', reason, message, eventId };
}

/** What is wrong with one field: absent, a placeholder, or not what it must be. */
export function fieldProblem(field: string, given: unknown, expected: string): string {
  const value = typeof given === 'string' ? given.trim() : given;
  if (value === undefined || value === null || value === '') return `${field} is absent`;
  if (typeof value === 'string' && isPlaceholder(value)) return `${field} is a placeholder (${quote(value)})`;
  return `${field} ${typeof value === 'string' ? quote(value) : `(${kindOf(value)})`} is not ${expected}`;
}

/** The message for a record that lacks the time, region or account a Signal needs. */
export function missingFields(what: string, problems: readonly (string | undefined)[]): string {
  const listed = problems.filter((problem): problem is string => problem !== undefined);
  return `${what}: ${listed.join('; ')} (also looked for it in the EventBridge envelope); a Signal needs a time, a region and an account`;
}

/** Drops keys whose value is undefined, here and in the principal, so a Signal prints cleanly. */
export function compact(signal: Signal): Signal {
  return { ...dropUndefined(signal), principal: dropUndefined(signal.principal) };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
