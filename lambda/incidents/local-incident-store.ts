/**
 * The CLI's incident store without a bucket: a folder (default `.cordon/incidents/` under the
 * working directory).
 *
 * - `<dir>/<id>/claim.json`: the claim, created exclusively (O_CREAT|O_EXCL). On EEXIST it is read:
 *   completed, held (in progress, lease not expired), or taken again (released, or expired) by
 *   the one run that creates `<dir>/<id>/.claim.<generation>` exclusively. The claim is the file
 *   rather than the folder so that a document written before the claim (which creates the
 *   folder) cannot make an unclaimed incident look claimed;
 * - `<dir>/<id>/<name>.json`: documents, each written to a temporary file and renamed into place;
 * - `<dir>/.containments.jsonl`: one JSON line `{"at", "incidentId"}` per containment (appended).
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  assertIncidentId,
  assertWritableDocumentName,
  assertDocumentName,
  CLAIM_DOCUMENT,
  existingClaimResult,
  isoTime,
  parseDocument,
  serializeDocument,
  type ClaimResult,
  type ClaimState,
  type IncidentClaim,
  type IncidentStore,
} from './store';

/** Where the folder store lives, relative to the working directory. */
export const DEFAULT_LOCAL_INCIDENTS_DIR = join('.cordon', 'incidents');
/** The containment log, inside the store's folder (a name no incident id can have). */
export const CONTAINMENTS_FILE = '.containments.jsonl';

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export interface LocalIncidentStoreOptions {
  /** The store's folder; relative paths are resolved against `cwd`. Default `.cordon/incidents`. */
  readonly dir?: string;
  /** Default `process.cwd()`. */
  readonly cwd?: string;
}

/** A reader never sees half a document: write aside, then rename over. */
async function writeAtomically(path: string, body: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, body, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export class LocalIncidentStore implements IncidentStore {
  /** The store's folder, absolute. */
  readonly dir: string;

  constructor(options: LocalIncidentStoreOptions = {}) {
    this.dir = resolve(options.cwd ?? process.cwd(), options.dir ?? DEFAULT_LOCAL_INCIDENTS_DIR);
  }

  async claim(incident: IncidentClaim): Promise<ClaimResult> {
    const folder = this.incidentDir(incident.incidentId);
    const path = join(folder, `${CLAIM_DOCUMENT}.json`);
    await mkdir(folder, { recursive: true });
    try {
      await writeFile(path, serializeDocument({ ...incident, state: 'in-progress', generation: 0 }, path), {
        encoding: 'utf8',
        flag: 'wx',
      });
      return 'claimed';
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const existing = await this.readClaim(path);
    const decision = existingClaimResult(existing.state, existing.leaseUntil, incident.createdAt);
    if (decision !== 'retake') return decision;
    // One retaker per generation: the marker file is created exclusively, like the claim itself.
    const generation = typeof existing.generation === 'number' ? existing.generation + 1 : 1;
    try {
      await writeFile(join(folder, `.${CLAIM_DOCUMENT}.${generation}`), '', { flag: 'wx' });
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return 'in-progress';
      throw error;
    }
    await this.replaceClaim(path, { ...existing, ...incident, state: 'in-progress', generation });
    return 'resumed';
  }

  completeClaim(incidentId: string, at: Date): Promise<void> {
    return this.setClaimState(incidentId, 'completed', at);
  }

  releaseClaim(incidentId: string, at: Date): Promise<void> {
    return this.setClaimState(incidentId, 'released', at);
  }

  private async setClaimState(incidentId: string, state: ClaimState, at: Date): Promise<void> {
    const path = join(this.incidentDir(incidentId), `${CLAIM_DOCUMENT}.json`);
    const existing = await this.readClaim(path);
    await this.replaceClaim(path, { ...existing, state, stateAt: isoTime(at, 'at') });
  }

  private async readClaim(path: string): Promise<Record<string, unknown>> {
    const claim = parseDocument(await readFile(path, 'utf8'), path);
    return typeof claim === 'object' && claim !== null ? (claim as Record<string, unknown>) : {};
  }

  private async replaceClaim(path: string, claim: Record<string, unknown>): Promise<void> {
    await writeAtomically(path, serializeDocument(claim, path));
  }

  async putDocument(incidentId: string, name: string, document: unknown): Promise<void> {
    assertWritableDocumentName(name);
    const folder = this.incidentDir(incidentId);
    const path = join(folder, `${name}.json`);
    const body = serializeDocument(document, path);
    await mkdir(folder, { recursive: true });
    await writeAtomically(path, body);
  }

  async getDocument(incidentId: string, name: string): Promise<unknown> {
    assertDocumentName(name);
    const path = join(this.incidentDir(incidentId), `${name}.json`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    return parseDocument(text, path);
  }

  async countContainmentsSince(since: Date): Promise<number> {
    const from = isoTime(since, 'since');
    const path = join(this.dir, CONTAINMENTS_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return 0;
      throw error;
    }
    let count = 0;
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      const entry = parseDocument(line, `${path} line ${index + 1}`);
      const at = typeof entry === 'object' && entry !== null && 'at' in entry ? entry.at : undefined;
      if (typeof at !== 'string') throw new Error(`${path} line ${index + 1} has no "at" time`);
      // Every line is written with toISOString: the strings compare as the times do.
      if (at >= from) count += 1;
    });
    return count;
  }

  async recordContainment(incidentId: string, at: Date): Promise<void> {
    assertIncidentId(incidentId);
    const line = `${JSON.stringify({ at: isoTime(at, 'at'), incidentId })}\n`;
    await mkdir(this.dir, { recursive: true });
    // One small O_APPEND write: concurrent appenders do not interleave within a line.
    await appendFile(join(this.dir, CONTAINMENTS_FILE), line, 'utf8');
  }

  locationOf(incidentId: string): string {
    return `${this.incidentDir(incidentId)}${sep}`;
  }

  private incidentDir(incidentId: string): string {
    assertIncidentId(incidentId);
    return join(this.dir, incidentId);
  }
}
