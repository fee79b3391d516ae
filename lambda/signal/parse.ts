/**
 * `parse(event)`: what an incoming event says about a principal, as a Signal, or why it says
 * nothing Cordon can act on, as a Rejection. Never throws: any JSON (any value at all) gives one
 * of the two, and a Rejection's message names what was missing or wrong.
 *
 * Reads EventBridge events (GuardDuty findings; CloudTrail API calls, console sign-ins, service
 * events and Insight events) and the same records without the envelope (raw CloudTrail records as
 * in log files, raw GuardDuty findings), so the CLI can feed either.
 *
 * Values are taken as given, never invented: a string that is empty or an angle-bracketed
 * placeholder ("<Attacker source IP>") counts as absent; a time without a zone (Panther's
 * "2022-09-15 13:45:24", GuardDuty's "2025-02-25 20:40:06.721") is read as UTC, which both
 * services use, and written in ISO 8601.
 */
import { parseCloudTrail } from './cloudtrail';
import { CLOUDTRAIL_DETAIL_TYPES, GUARDDUTY_DETAIL_TYPE } from './envelope';
import { parseGuardDuty } from './guardduty';
import { reject } from './results';
import { EventBridgeEnvelopeSchema } from './schemas';
import {
  describeUnknownObject,
  isCloudTrailRecord,
  isEnvelope,
  isGuardDutyFinding,
  isRecord,
} from './shapes';
import type { ParseResult } from './signal';
import { clean, kindOf, quote } from './values';

const CLOUDTRAIL_DETAIL_TYPE_NAMES: ReadonlySet<string> = new Set(Object.values(CLOUDTRAIL_DETAIL_TYPES));

/** Parses any value into a Signal or a Rejection. Never throws. */
export function parse(event: unknown): ParseResult {
  try {
    return route(event);
  } catch (error) {
    return {
      kind: 'rejection',
      reason: 'parser-error',
      message: `Cordon's parser failed on this event (a bug in Cordon, please report it): ${describeError(error)}`,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------

function route(event: unknown): ParseResult {
  if (!isRecord(event)) {
    return reject(
      'not-an-object',
      `Expected a JSON object (an EventBridge event, a CloudTrail record or a GuardDuty finding), got ${kindOf(event)}`,
    );
  }
  if (isEnvelope(event)) return parseEnvelope(event);
  if (isCloudTrailRecord(event)) return parseCloudTrail(event, undefined);
  if (isGuardDutyFinding(event)) return parseGuardDuty(event, undefined);
  return reject('unknown-shape', describeUnknownObject(event));
}

function parseEnvelope(event: Record<string, unknown>): ParseResult {
  const envelope = EventBridgeEnvelopeSchema.parse(event);
  const detailType = envelope['detail-type'];
  const source = envelope.source;
  const eventId = clean(envelope.id);
  const detail = envelope.detail;
  const what = `EventBridge event (detail-type ${quote(detailType)}, source ${quote(source)})`;
  if (!isRecord(detail)) {
    return reject(
      'unknown-shape',
      `${what} has ${detail === undefined ? 'no detail' : `a detail that is ${kindOf(detail)}`}: expected an object`,
      eventId,
    );
  }
  if (detailType === GUARDDUTY_DETAIL_TYPE) return parseGuardDuty(detail, envelope);
  if (detailType !== undefined && CLOUDTRAIL_DETAIL_TYPE_NAMES.has(detailType)) {
    return parseCloudTrail(detail, envelope);
  }
  if (detailType === undefined) {
    // Not a shape EventBridge delivers, but the detail may still say what it is.
    if (source === 'aws.guardduty' || isGuardDutyFinding(detail)) return parseGuardDuty(detail, envelope);
    if (isCloudTrailRecord(detail)) return parseCloudTrail(detail, envelope);
  }
  return reject(
    'unknown-shape',
    `${what} is not one Cordon reads: expected "${GUARDDUTY_DETAIL_TYPE}" or one of ` +
      [...CLOUDTRAIL_DETAIL_TYPE_NAMES].map((name) => `"${name}"`).join(', '),
    eventId,
  );
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'an error that cannot be printed';
  }
}
