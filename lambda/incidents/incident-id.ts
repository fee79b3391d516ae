import { createHash } from 'node:crypto';

/** `cordon-YYYYMMDDTHHMM-<12 hex>`: what `incidentIdFor` makes. */
export const INCIDENT_ID_PATTERN = /^cordon-\d{8}T\d{4}-[0-9a-f]{12}$/;

/** The time stamp used when the event's time cannot be read (the hash still makes the id unique). */
const UNKNOWN_TIME = '00000000T0000';

function compactUtcMinute(time: string): string {
  const date = new Date(time);
  if (time.trim() === '' || Number.isNaN(date.getTime())) return UNKNOWN_TIME;
  const iso = date.toISOString(); // 2026-01-15T09:30:00.000Z
  if (!/^\d{4}-/.test(iso)) return UNKNOWN_TIME; // years outside 0000-9999
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/**
 * The incident id of an EventBridge event: `cordon-20260115T0930-<first 12 hex of sha256(id)>`.
 *
 * Deterministic: a re-delivery of the same event (same `id`) gives the same incident id, which
 * the store's claim then refuses. The time (UTC, to the minute) only makes ids sort and read
 * well; the event id alone decides the hash. Never throws: an unreadable time gives
 * `00000000T0000`. Safe in S3 keys and folder names.
 */
export function incidentIdFor(eventId: string, time: string): string {
  const hash = createHash('sha256').update(eventId, 'utf8').digest('hex').slice(0, 12);
  return `cordon-${compactUtcMinute(time)}-${hash}`;
}
