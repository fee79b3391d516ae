/**
 * Reading a CloudTrail record defensively, for every reverter's `changesOf`: the fields every
 * change names, and whether the record is one of a reverter's events.
 */
import type { ChangeReverter, CloudTrailRecord, JsonObject, RevertibleChange } from './types';

/** The fields every change carries, or undefined when the record lacks one (or failed: an error code). */
export interface RecordBasics {
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string;
  readonly eventTime: string;
  readonly region: string;
  readonly accountId?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The record's identity fields, when it is a successful call (no errorCode). */
export function basicsOf(record: CloudTrailRecord): RecordBasics | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  if (record.errorCode !== undefined && record.errorCode !== null && record.errorCode !== '')
    return undefined;
  const eventId = text(record.eventID);
  const eventName = text(record.eventName);
  const eventSource = text(record.eventSource);
  const eventTime = text(record.eventTime);
  const region = text(record.awsRegion);
  if (!eventId || !eventName || !eventSource || !eventTime || !region) return undefined;
  const accountId = text(record.recipientAccountId);
  return { eventId, eventName, eventSource, eventTime, region, ...(accountId ? { accountId } : {}) };
}

/** Whether an event name is one of the names (a name ending in `*` is a prefix: `AddPermission*`). */
export function namesEvent(names: readonly string[], eventName: string): boolean {
  return names.some((name) =>
    name.endsWith('*') ? eventName.startsWith(name.slice(0, -1)) : name === eventName,
  );
}

/** Whether the record is a successful call of one of the reverter's events. */
export function isEventOf(
  reverter: Pick<ChangeReverter, 'events'>,
  record: CloudTrailRecord,
): RecordBasics | undefined {
  const basics = basicsOf(record);
  if (!basics) return undefined;
  if (basics.eventSource !== reverter.events.eventSource) return undefined;
  return namesEvent(reverter.events.eventNames, basics.eventName) ? basics : undefined;
}

/** A change of this record, with the record's identity fields. */
export function changeOf<D extends JsonObject>(
  revert: string,
  basics: RecordBasics,
  target: string,
  details: D,
): RevertibleChange<D> {
  return {
    revert,
    region: basics.region,
    target,
    eventId: basics.eventId,
    eventName: basics.eventName,
    eventTime: basics.eventTime,
    details,
  };
}

/** The value at a path of nested objects, or undefined. */
export function at(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** CloudTrail's lists: `{items: [...]}`, a plain array, or one value; each as a list. */
export function itemsOf(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  const items = at(value, 'items');
  if (Array.isArray(items)) return items;
  return [value];
}

/** A string, or undefined. */
export function stringAt(value: unknown, ...path: readonly string[]): string | undefined {
  return text(at(value, ...path));
}
