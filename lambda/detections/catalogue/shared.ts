/**
 * Building blocks for the catalogue: CloudTrail envelope patterns, and defensive readers for `refine`
 * (which sees any JSON a rule delivered, so it reads every field as unknown and never throws).
 */
import type { EventPattern, PatternLeaf } from '../types';

/** EventBridge `detail-type` of a CloudTrail management API call. */
export const API_CALL = 'AWS API Call via CloudTrail';
/** EventBridge `detail-type` of a console sign-in (source aws.signin). */
export const CONSOLE_SIGN_IN = 'AWS Console Sign In via CloudTrail';
/** EventBridge `detail-type` and source of a GuardDuty finding. */
export const GUARDDUTY_FINDING = 'GuardDuty Finding';

/** `errorCode` is absent: the call succeeded. */
export const SUCCEEDED: EventPattern = { errorCode: [{ exists: false }] };

/**
 * A pattern on CloudTrail API calls of the given services (`iam` → source aws.iam, eventSource
 * iam.amazonaws.com), with `detail` as given.
 */
export function apiCall(services: string | readonly string[], detail: EventPattern): EventPattern {
  const list = typeof services === 'string' ? [services] : services;
  return {
    source: list.map((service) => `aws.${service}`),
    'detail-type': [API_CALL],
    detail,
  };
}

/** A successful call of one of these event names. */
export function succeeded(eventNames: readonly PatternLeaf[], more: EventPattern = {}): EventPattern {
  return { eventName: eventNames, ...SUCCEEDED, ...more };
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of object keys, or undefined when any step is missing or not an object. */
export function at(value: unknown, ...keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** The value when it is a string, else undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An array as is, a missing value as [], anything else as a one-element array (CloudTrail writes both). */
export function asList(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value as readonly unknown[];
  return value === undefined || value === null ? [] : [value];
}

/** The CloudTrail record of an event (its `detail`). */
export function detailOf(event: unknown): unknown {
  return at(event, 'detail');
}
