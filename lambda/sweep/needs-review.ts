/**
 * What the attacker changed that the sweep does not undo: every write event of its timeline that no
 * reverter, containment or derived credential handled, grouped by service, for a person to review.
 * Bounded: a busy key can write hundreds of thousands of events, so each service keeps its count
 * and its first REVIEW_EXAMPLES_PER_SERVICE events (the newest: LookupEvents reads newest first).
 */
import { at, basicsOf, itemsOf, stringAt } from '../actions/reverts/record-fields';
import type { CloudTrailRecord } from '../actions/reverts/types';

export const REVIEW_EXAMPLES_PER_SERVICE = 25;

export interface ReviewEvent {
  readonly time: string;
  readonly region: string;
  readonly eventName: string;
  readonly eventId: string;
  /** What it changed, as far as the event says: a resource ARN or name, or `?`. */
  readonly resource: string;
}

export interface ReviewGroup {
  /** The service's event source without `.amazonaws.com`: `ec2`, `iam`, `s3`. */
  readonly service: string;
  readonly count: number;
  readonly events: readonly ReviewEvent[];
}

/** Whether the record is a write (LookupEvents returns reads too; `readOnly` says which). */
export function isWriteEvent(record: CloudTrailRecord): boolean {
  return record.readOnly !== true && record.readOnly !== 'true';
}

const NAME_FIELDS = [
  'bucketName',
  'functionName',
  'userName',
  'roleName',
  'groupName',
  'policyArn',
  'instanceId',
  'groupId',
  'name',
  'keyId',
  'secretId',
  'dBInstanceIdentifier',
  'tableName',
  'queueUrl',
  'topicArn',
];

/** The resource the event changed, as far as it says. */
export function resourceOf(record: CloudTrailRecord): string {
  const arn = itemsOf(record.resources)
    .map((resource) => stringAt(resource, 'ARN') ?? stringAt(resource, 'arn'))
    .find((value) => value !== undefined);
  if (arn) return arn;
  for (const field of NAME_FIELDS) {
    const value = at(record.requestParameters, field);
    if (typeof value === 'string' && value) return value;
  }
  return '?';
}

/** Adds one record to the groups (a new array, groups sorted by service). */
export function addForReview(groups: readonly ReviewGroup[], record: CloudTrailRecord): ReviewGroup[] {
  const basics = basicsOf(record);
  const service = (basics?.eventSource ?? stringAt(record, 'eventSource') ?? 'unknown').replace(
    /\.amazonaws\.com$/,
    '',
  );
  const event: ReviewEvent = {
    time: basics?.eventTime ?? stringAt(record, 'eventTime') ?? '?',
    region: basics?.region ?? stringAt(record, 'awsRegion') ?? '?',
    eventName: basics?.eventName ?? stringAt(record, 'eventName') ?? '?',
    eventId: basics?.eventId ?? stringAt(record, 'eventID') ?? '?',
    resource: resourceOf(record),
  };
  const existing = groups.find((group) => group.service === service);
  const updated: ReviewGroup = existing
    ? {
        service,
        count: existing.count + 1,
        events:
          existing.events.length < REVIEW_EXAMPLES_PER_SERVICE
            ? [...existing.events, event]
            : existing.events,
      }
    : { service, count: 1, events: [event] };
  return [...groups.filter((group) => group.service !== service), updated].sort((a, b) =>
    a.service < b.service ? -1 : a.service > b.service ? 1 : 0,
  );
}
