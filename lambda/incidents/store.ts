/**
 * Where incidents are kept, deduplicated and counted (for the circuit breaker).
 *
 * Three implementations share this interface: `AwsIncidentStore` (S3 + DynamoDB, the Lambda),
 * `S3IncidentStore` (S3 only, the CLI with `--evidence-bucket`) and `LocalIncidentStore` (a
 * folder, the CLI without a bucket). Documents are plain JSON in every one of them.
 */

/** Scalar facts about an incident, kept with its claim (detection, principal, severity...). */
export type IncidentSummary = Record<string, string | number | boolean>;

/** What `claim` records. */
export interface IncidentClaim {
  readonly incidentId: string;
  /** ISO 8601: when this attempt claims the incident (the incident's creation time on the first). */
  readonly createdAt: string;
  /**
   * ISO 8601: until when this attempt holds the incident. Past it, a run that died (a Lambda
   * timeout, a killed process) no longer blocks a retry. At least the run's own time limit.
   */
  readonly leaseUntil: string;
  readonly summary: IncidentSummary;
}

/**
 * - `claimed`: a new incident, this run owns it.
 * - `resumed`: an earlier attempt did not finish (it released the claim after a failure, or its
 *   lease expired): this run owns it and finishes it (every action is idempotent).
 * - `in-progress`: another run holds it now (two rules delivered the same event at once).
 * - `completed`: it was finished before (a re-delivery).
 */
export type ClaimResult = 'claimed' | 'resumed' | 'in-progress' | 'completed';

/** The states of a claim, as stored. A claim stored without a state (before states existed) is completed. */
export type ClaimState = 'in-progress' | 'completed' | 'released';

/** What decides a claim that exists: taken again when released or expired. */
export function existingClaimResult(
  state: unknown,
  leaseUntil: unknown,
  now: string,
): 'retake' | 'in-progress' | 'completed' {
  if (state === 'released') return 'retake';
  if (state === 'in-progress') {
    return typeof leaseUntil === 'string' && leaseUntil < now ? 'retake' : 'in-progress';
  }
  return 'completed';
}

export interface IncidentStore {
  /**
   * Atomically claims an incident id (EventBridge delivers at least once, and two rules matching
   * one event deliver it twice at once: only one run may act). Any failure but a held or
   * completed claim throws.
   */
  claim(incident: IncidentClaim): Promise<ClaimResult>;
  /** The run finished (record written, report published): a re-delivery is a duplicate from now on. */
  completeClaim(incidentId: string, at: Date): Promise<void>;
  /** The run failed before finishing: a retry may take the incident at once, without waiting for the lease. */
  releaseClaim(incidentId: string, at: Date): Promise<void>;
  /** Writes (or overwrites) one JSON document of the incident: `incidents/<id>/<name>.json`. */
  putDocument(incidentId: string, name: string, document: unknown): Promise<void>;
  /** The document, parsed; `undefined` when there is none. */
  getDocument(incidentId: string, name: string): Promise<unknown>;
  /** Circuit breaker: how many containments were recorded at or after `since`. */
  countContainmentsSince(since: Date): Promise<number>;
  recordContainment(incidentId: string, at: Date): Promise<void>;
  /** Where the records are, for messages: "s3://bucket/incidents/<id>/" or a folder path. */
  locationOf(incidentId: string): string;
}

/**
 * Key prefix of incident records in the evidence bucket; the stack lets the responder's role
 * write only under it (it imports this constant: runtime code never imports the CDK app).
 */
export const INCIDENTS_PREFIX = 'incidents/';

/** The incidents table's TTL attribute (epoch seconds); the stack's table is made with it. */
export const INCIDENT_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Name of the document that holds the claim in the S3 and folder stores; reserved, so that no
 * `putDocument` can overwrite a claim.
 */
export const CLAIM_DOCUMENT = 'claim';

/** Letters, digits, `_` and `-`, starting with a letter or digit: safe in S3 keys and file names. */
const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** As incident ids, plus `.` and `:` (for names such as `restore-2026-01-15T09:30:00.000Z`). */
const DOCUMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/** An incident id that is not safe as a key segment or a folder name (bad input, not a store failure). */
export class InvalidIncidentIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIncidentIdError';
  }
}

/** Throws unless `incidentId` is safe as one S3 key segment and one folder name. */
export function assertIncidentId(incidentId: string): void {
  if (!INCIDENT_ID.test(incidentId)) {
    throw new InvalidIncidentIdError(
      `invalid incident id ${JSON.stringify(incidentId)}: expected letters, digits, '_' or '-' (at most 128, starting with a letter or digit)`,
    );
  }
}

/** Throws unless `name` is a valid document name. */
export function assertDocumentName(name: string): void {
  if (!DOCUMENT_NAME.test(name)) {
    throw new Error(
      `invalid document name ${JSON.stringify(name)}: expected letters, digits, '.', ':', '_' or '-' (at most 200, starting with a letter or digit)`,
    );
  }
}

/** As `assertDocumentName`, and refuses the reserved claim document. */
export function assertWritableDocumentName(name: string): void {
  assertDocumentName(name);
  if (name === CLAIM_DOCUMENT) {
    throw new Error(`document name '${CLAIM_DOCUMENT}' is reserved for the incident's claim`);
  }
}

/** `incidents/<id>/` */
export function incidentKeyPrefix(incidentId: string): string {
  assertIncidentId(incidentId);
  return `${INCIDENTS_PREFIX}${incidentId}/`;
}

/** `incidents/<id>/<name>.json` */
export function documentKey(incidentId: string, name: string): string {
  assertDocumentName(name);
  return `${incidentKeyPrefix(incidentId)}${name}.json`;
}

/** Throws unless `date` is a valid Date; returns its ISO form (always 24 characters, UTC). */
export function isoTime(date: Date, what: string): string {
  if (Number.isNaN(date.getTime())) throw new Error(`${what} is not a valid date`);
  return date.toISOString();
}

/** The document as the stores write it: indented JSON with a final newline. */
export function serializeDocument(document: unknown, what: string): string {
  const text = JSON.stringify(document, null, 2) as string | undefined;
  if (text === undefined) throw new Error(`${what}: the document is not JSON-serializable`);
  return `${text}\n`;
}

/** Parses a stored document, naming it when it is not JSON. */
export function parseDocument(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
