/** The words every reverter's outcomes share: the event a change came from, undo names, errors. */
import type { ActionError } from '../types';
import type { RevertibleChange } from './types';

/** "AuthorizeSecurityGroupIngress (event 1f3e…) in us-east-1": the event a detail sentence names. */
export function eventOf(change: Pick<RevertibleChange, 'eventName' | 'eventId' | 'region'>): string {
  return `${change.eventName} (event ${change.eventId}) in ${change.region}`;
}

/** The action name of an undo's outcomes: `undo-<action>`, as the revert family names undos. */
export const undoAction = (action: string): string => `undo-${action}`;

/** An error in a detail sentence: `Name: message`. */
export const describeError = (error: ActionError): string => `${error.name}: ${error.message}`;
