/**
 * Every third-party event in the shared corpus goes through `parse` without an exception, and what
 * comes out agrees with what the event says. The corpus lives outside the repository (see
 * /work/shared/corpus/README.md): this suite is not part of the default `jest` run; it runs with
 * the corpus configuration, and fails (never skips) when the corpus is not where it looks.
 *
 * CORDON_CORPUS overrides the location, relative to the project root; the default is
 * ../shared/corpus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { wrapCloudTrailRecord, wrapGuardDutyFinding } from '../../lambda/signal/envelope';
import { parse } from '../../lambda/signal/parse';
import type { ParseResult } from '../../lambda/signal/signal';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.resolve(PROJECT_ROOT, process.env.CORDON_CORPUS ?? '../shared/corpus');
const FOLDERS = ['panther', 'guardduty', 'panther_scenarios'] as const;

type Json = Record<string, unknown>;

interface CorpusCase {
  readonly file: string;
  readonly name: string;
  readonly kind: 'cloudtrail' | 'guardduty';
  /** As the corpus holds it: a raw CloudTrail record or a raw GuardDuty finding. */
  readonly raw: Json;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(file: string): Json {
  const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isJson(value)) throw new Error(`${file}: expected a JSON object`);
  return value;
}

function corpusMissing(): string | undefined {
  const where = `looked in ${CORPUS} (CORDON_CORPUS=${process.env.CORDON_CORPUS ?? '(unset)'}, resolved from the project root ${PROJECT_ROOT})`;
  if (!fs.existsSync(CORPUS) || !fs.statSync(CORPUS).isDirectory()) return `No third-party corpus: ${where}`;
  const absent = FOLDERS.filter((folder) => !fs.existsSync(path.join(CORPUS, folder)));
  if (absent.length > 0) return `The corpus lacks ${absent.join(', ')}: ${where}`;
  return undefined;
}

function loadCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const files = (folder: string) =>
    fs
      .readdirSync(path.join(CORPUS, folder))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({ file: `${folder}/${file}`, json: readJson(path.join(CORPUS, folder, file)) }));

  for (const { file, json } of files('panther')) {
    for (const test of (json.tests as Json[] | undefined) ?? []) {
      const kind = test.kind === 'guardduty' ? 'guardduty' : 'cloudtrail';
      cases.push({ file, name: String(test.name), kind, raw: test.event as Json });
    }
  }
  for (const { file, json } of files('guardduty')) {
    ((json.findings as Json[] | undefined) ?? []).forEach((finding, index) => {
      cases.push({ file, name: `findings[${index}]`, kind: 'guardduty', raw: finding.finding as Json });
    });
  }
  for (const { file, json } of files('panther_scenarios')) {
    ((json.events as Json[] | undefined) ?? []).forEach((event, index) => {
      cases.push({ file, name: `events[${index}]`, kind: 'cloudtrail', raw: event });
    });
  }
  return cases;
}

function wrap(c: CorpusCase): Json {
  return (c.kind === 'guardduty'
    ? wrapGuardDutyFinding(c.raw)
    : wrapCloudTrailRecord(c.raw)) as unknown as Json;
}

/** Runs parse, turning an exception into a failure description instead of stopping the file. */
function attempt(input: unknown): ParseResult | string {
  try {
    return parse(input);
  } catch (error) {
    return `threw ${error instanceof Error ? error.stack : String(error)}`;
  }
}

/** What must hold for a result, given the event it came from; empty when all is well. */
function problemsWith(c: CorpusCase, result: ParseResult | string): string[] {
  if (typeof result === 'string') return [result];
  if (result.kind === 'rejection') {
    const problems: string[] = [];
    if (result.reason === 'parser-error') problems.push(`parser-error: ${result.message}`);
    if (result.message.trim().length === 0) problems.push('a rejection without a message');
    const identity = c.raw.userIdentity;
    if (c.kind === 'cloudtrail' && isJson(identity) && identity.type === 'AWSService') {
      if (result.reason !== 'aws-service-principal') problems.push(`AWSService rejected as ${result.reason}`);
    }
    return problems;
  }
  const problems: string[] = [];
  if (!/^\d{12}$/.test(result.accountId)) problems.push(`accountId ${result.accountId}`);
  if (!Number.isFinite(Date.parse(result.time))) problems.push(`time ${result.time}`);
  if (result.source !== c.kind) problems.push(`source ${result.source} for a ${c.kind} event`);
  if (c.kind === 'cloudtrail') {
    const identity = isJson(c.raw.userIdentity) ? c.raw.userIdentity : {};
    const expected: Record<string, string> = {
      IAMUser: 'IAMUser',
      Root: 'Root',
      FederatedUser: 'FederatedUser',
      AWSAccount: 'AWSAccount',
      IdentityCenterUser: 'IdentityCenterUser',
    };
    const type = typeof identity.type === 'string' ? identity.type : '';
    if (type === 'AWSService') problems.push('an AWSService call became a Signal');
    if (type === 'AssumedRole' && !['AssumedRole', 'IdentityCenterUser'].includes(result.principal.type)) {
      problems.push(`AssumedRole became ${result.principal.type}`);
    } else if (type !== 'AssumedRole' && (expected[type] ?? 'Unknown') !== result.principal.type) {
      problems.push(`userIdentity.type ${type} became ${result.principal.type}`);
    }
    const key = typeof identity.accessKeyId === 'string' ? identity.accessKeyId.trim() : '';
    if (key.startsWith('AKIA') && result.credentialKind !== 'long-term')
      problems.push(`${key} is not long-term`);
    if (key.startsWith('ASIA') && result.credentialKind !== 'temporary')
      problems.push(`${key} is not temporary`);
    if (type === 'IAMUser' && typeof identity.userName === 'string' && !identity.userName.startsWith('<')) {
      if (result.principal.userName !== identity.userName.trim()) {
        problems.push(`userName ${String(result.principal.userName)} for ${identity.userName}`);
      }
    }
  } else {
    const service = isJson(c.raw.service) ? c.raw.service : {};
    const sample = isJson(service.additionalInfo) && service.additionalInfo.sample === true;
    if (sample !== (result.sample === true)) problems.push(`sample ${String(result.sample)}`);
    if (typeof c.raw.type === 'string' && result.findingType !== c.raw.type) problems.push('findingType');
  }
  return problems;
}

const missing = corpusMissing();
const cases = missing === undefined ? loadCases() : [];
const byFile = new Map<string, CorpusCase[]>();
for (const c of cases) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);

describe('parse over the third-party corpus', () => {
  it('finds the corpus', () => {
    if (missing !== undefined) throw new Error(missing);
    expect(cases.length).toBeGreaterThan(400);
  });

  // Without the corpus the test above fails, and there is nothing else to run.
  if (missing !== undefined) return;

  it.each([...byFile.keys()])(
    '%s: every event parses, wrapped and raw, and agrees with the event',
    (file) => {
      const failures: string[] = [];
      for (const c of byFile.get(file) ?? []) {
        const wrapped = attempt(wrap(c));
        const raw = attempt(c.raw);
        for (const problem of problemsWith(c, wrapped)) failures.push(`${c.name} (wrapped): ${problem}`);
        // A raw record's lower-case keys are not recognised as CloudTrail, so only a wrapped one must agree.
        for (const problem of problemsWith(c, raw)) failures.push(`${c.name} (raw): ${problem}`);
        if (typeof wrapped !== 'string' && typeof raw !== 'string' && wrapped.kind === 'signal') {
          // The envelope adds nothing the record did not say: the same Signal, but for the id.
          if (JSON.stringify({ ...raw, eventId: '' }) !== JSON.stringify({ ...wrapped, eventId: '' })) {
            failures.push(`${c.name}: the raw record and the wrapped one give different Signals`);
          }
        }
      }
      expect(failures).toEqual([]);
    },
  );

  it('makes Signals of most of it, and says why for the rest', () => {
    const tally = new Map<string, number>();
    for (const c of cases) {
      const result = parse(wrap(c));
      const key = result.kind === 'signal' ? 'signal' : result.reason;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    const signals = tally.get('signal') ?? 0;
    // Most corpus events name a principal; the rest are synthetic records without one, service
    // calls, attack sequences, and records with malformed account ids.
    expect(signals / cases.length).toBeGreaterThan(0.75);
    expect(tally.get('parser-error')).toBeUndefined();
    expect(tally.get('not-an-object')).toBeUndefined();
  });
});
