/**
 * Wrap raw CloudTrail records and GuardDuty findings in the envelope EventBridge delivers them in,
 * so that log records, LookupEvents results and test samples go through the same path as live
 * events (detections match the envelope; `parse` reads it).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json';

/** An EventBridge event as a rule target receives it. */
export interface EventBridgeEnvelope<TDetail = Record<string, unknown>> {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: TDetail;
}

/** CloudTrail `eventType` → the EventBridge `detail-type` it is delivered with. */
export const CLOUDTRAIL_DETAIL_TYPES: Readonly<Record<string, string>> = {
  AwsApiCall: 'AWS API Call via CloudTrail',
  AwsConsoleSignIn: 'AWS Console Sign In via CloudTrail',
  AwsServiceEvent: 'AWS Service Event via CloudTrail',
  AwsCloudTrailInsight: 'AWS Insight via CloudTrail',
};

export const GUARDDUTY_DETAIL_TYPE = 'GuardDuty Finding';

/**
 * Wraps a raw CloudTrail record as EventBridge does: detail-type from `eventType` (records without
 * a known eventType are API calls, the common case), source `aws.` + `eventSource` without
 * `.amazonaws.com` (`aws.signin` for console sign-ins), account = `recipientAccountId`,
 * time = `eventTime`, region = `awsRegion`, no resources. A field the record lacks is left empty
 * rather than invented. The id is deterministic: derived from `eventID`, else from the record.
 */
export function wrapCloudTrailRecord(record: Record<string, unknown>): EventBridgeEnvelope {
  const eventType = text(record.eventType);
  const eventSource = text(record.eventSource);
  let source = eventSource === '' ? '' : 'aws.' + eventSource.replace(/\.amazonaws\.com$/, '');
  if (eventType === 'AwsConsoleSignIn') source = 'aws.signin';
  if (eventType === 'AwsCloudTrailInsight' && source === '') source = 'aws.cloudtrail';
  const eventId = text(record.eventID);
  return {
    version: '0',
    id: eventId === '' ? stableId('cloudtrail-record', record) : stableId('cloudtrail', eventId),
    'detail-type': CLOUDTRAIL_DETAIL_TYPES[eventType] ?? CLOUDTRAIL_DETAIL_TYPES.AwsApiCall,
    source,
    account: text(record.recipientAccountId),
    time: text(record.eventTime),
    region: text(record.awsRegion),
    resources: [],
    detail: record,
  };
}

/**
 * Wraps a GuardDuty finding (the camelCase shape of the EventBridge `detail`) as EventBridge does:
 * account = `accountId`, region = `region`, time = `updatedAt` (else `createdAt`). GuardDuty
 * publishes each update of a finding as a new event, so the id derives from the finding id, its
 * `updatedAt` and `service.count`.
 */
export function wrapGuardDutyFinding(finding: Record<string, unknown>): EventBridgeEnvelope {
  const findingId = text(finding.id);
  const updatedAt = text(finding.updatedAt);
  const service = finding.service;
  const count =
    typeof service === 'object' && service !== null ? (service as Record<string, unknown>).count : undefined;
  return {
    version: '0',
    id:
      findingId === ''
        ? stableId('guardduty-finding', finding)
        : stableId('guardduty', [findingId, updatedAt, typeof count === 'number' ? count : null]),
    'detail-type': GUARDDUTY_DETAIL_TYPE,
    source: 'aws.guardduty',
    account: text(finding.accountId),
    time: updatedAt === '' ? text(finding.createdAt) : updatedAt,
    region: text(finding.region),
    resources: [],
    detail: finding,
  };
}

/**
 * A deterministic UUID-shaped id: the SHA-256 of a namespace and the canonical JSON of a value
 * (object keys sorted, so key order does not matter). Never throws, whatever the value.
 */
export function stableId(namespace: string, value: unknown): string {
  const hex = createHash('sha256')
    .update(namespace + '\n' + canonicalJson(value))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
