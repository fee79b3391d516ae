/**
 * What kind of value an input is, by the keys each shape is known by: an EventBridge event, a raw
 * CloudTrail record, a CloudTrail log file (`{"Records": [...]}`) or a raw GuardDuty finding. The
 * one definition of each shape, for the parser and for the CLI's input reader alike.
 */
import { quote } from './values';

export type JsonObject = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether the object has the key itself (not through its prototype). */
export function has(value: JsonObject, key: string): boolean {
  return Object.hasOwn(value, key);
}

/** An EventBridge event: a `detail-type`, or a `detail` with a `source`. */
export function isEnvelope(value: JsonObject): boolean {
  return has(value, 'detail-type') || (has(value, 'detail') && has(value, 'source'));
}

/** A raw CloudTrail record: eventVersion, eventSource or userIdentity. */
export function isCloudTrailRecord(value: JsonObject): boolean {
  return has(value, 'eventVersion') || has(value, 'eventSource') || has(value, 'userIdentity');
}

/** A raw GuardDuty finding (the `detail` of its EventBridge event): a type, with a schemaVersion or a GuardDuty ARN. */
export function isGuardDutyFinding(value: JsonObject): boolean {
  if (typeof value.type !== 'string') return false;
  return has(value, 'schemaVersion') || (typeof value.arn === 'string' && value.arn.includes(':guardduty:'));
}

/** A CloudTrail log file as CloudTrail writes it to S3: `{"Records": [...]}`. */
export function isCloudTrailLogFile(value: unknown): value is JsonObject & { Records: unknown[] } {
  return isRecord(value) && Array.isArray(value.Records);
}

/** Why an object is none of the shapes above, naming what it looks like instead when it can. */
export function describeUnknownObject(event: JsonObject): string {
  const keys = Object.keys(event);
  const lowerCase = ['useridentity', 'eventsource', 'eventversion', 'eventname', 'eventtime'].filter((key) =>
    has(event, key),
  );
  if (lowerCase.length > 0) {
    return (
      `Object has lower-case CloudTrail keys (${lowerCase.join(', ')}): a data-warehouse export, not a ` +
      `CloudTrail record, whose keys are camelCase (userIdentity, eventSource, eventVersion)`
    );
  }
  if (isCloudTrailLogFile(event)) {
    return `Object is a CloudTrail log file with ${event.Records.length} Records: parse each record on its own`;
  }
  if (typeof event.CloudTrailEvent === 'string') {
    return 'Object is a CloudTrail LookupEvents result: parse the JSON in its CloudTrailEvent field';
  }
  const shown = keys.slice(0, 8).map((key) => quote(key));
  return (
    'Object is neither an EventBridge event (no "detail-type"), a CloudTrail record (no eventVersion, ' +
    'eventSource or userIdentity) nor a GuardDuty finding (no type with schemaVersion); ' +
    (keys.length === 0 ? 'it has no keys' : `its keys: ${shown.join(', ')}${keys.length > 8 ? ', ...' : ''}`)
  );
}
