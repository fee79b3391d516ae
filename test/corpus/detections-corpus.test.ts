/**
 * Cordon's detections against third-party judgements: every test case of every Panther rule that
 * means the same as a Cordon detection (test/corpus/panther-mapping.ts), wrapped as EventBridge
 * delivers it and matched with `matchDetections` under the default configuration, is compared with
 * Panther's `expected`. A disagreement not listed in the mapping fails (a regression), and so does a
 * listed one that has gone away. The GuardDuty findings of the corpus are checked too: a finding of
 * a credential family at or above the threshold matches its detection, and nothing else matches a
 * credential detection.
 *
 * The results are written to docs/detections.md, between the corpus markers. The corpus lives
 * outside the repository (CORDON_CORPUS, relative to the project root; ../shared/corpus by
 * default); this suite runs with `npm run corpus` and fails, never skips, when it is missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../lambda/config/load';
import { DETECTIONS, detectionById } from '../../lambda/detections/catalogue';
import { detectionContextFromConfig } from '../../lambda/detections/context';
import { matchDetections } from '../../lambda/detections/match';
import type { Detection } from '../../lambda/detections/types';
import { wrapCloudTrailRecord, wrapGuardDutyFinding } from '../../lambda/signal/envelope';
import {
  GUARDDUTY_FINDING_EXCEPTIONS,
  NOT_MAPPED,
  PANTHER_MAPPINGS,
  type PantherMapping,
} from './panther-mapping';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.resolve(PROJECT_ROOT, process.env.CORDON_CORPUS ?? '../shared/corpus');
const DOCS_FILE = path.join(PROJECT_ROOT, 'docs', 'detections.md');
const START_MARKER = '<!-- corpus:start -->';
const END_MARKER = '<!-- corpus:end -->';

/** The default configuration: the threshold every deployment starts with, and no honeytokens. */
const CONFIG = parseConfig({});
const CONTEXT = detectionContextFromConfig(CONFIG);

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function corpusMissing(): string | undefined {
  const where = `looked in ${CORPUS} (CORDON_CORPUS=${process.env.CORDON_CORPUS ?? '(unset)'}, resolved from the project root ${PROJECT_ROOT})`;
  if (!fs.existsSync(CORPUS) || !fs.statSync(CORPUS).isDirectory()) return `No third-party corpus: ${where}`;
  const absent = ['panther', 'guardduty'].filter((folder) => !fs.existsSync(path.join(CORPUS, folder)));
  if (absent.length > 0) return `The corpus lacks ${absent.join(', ')}: ${where}`;
  return undefined;
}

const missing = corpusMissing();

function readJson(file: string): Json {
  const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isJson(value)) throw new Error(`${file}: expected a JSON object`);
  return value;
}

interface PantherCase {
  readonly name: string;
  readonly expected: boolean;
  readonly kind: 'cloudtrail' | 'guardduty';
  readonly event: Json;
}

function pantherCases(rule: string): PantherCase[] {
  if (missing !== undefined) throw new Error(missing);
  const file = path.join(CORPUS, 'panther', `${rule}.json`);
  if (!fs.existsSync(file)) throw new Error(`the mapping names ${rule}, but ${file} does not exist`);
  const tests = readJson(file).tests;
  if (!Array.isArray(tests)) throw new Error(`${file}: no tests`);
  return tests.filter(isJson).map((test) => ({
    name: String(test.name),
    expected: test.expected === true,
    kind: test.kind === 'guardduty' ? 'guardduty' : 'cloudtrail',
    event: isJson(test.event) ? test.event : {},
  }));
}

/** The event as EventBridge delivers it. */
function delivered(kind: 'cloudtrail' | 'guardduty', raw: Json): Json {
  return (kind === 'guardduty' ? wrapGuardDutyFinding(raw) : wrapCloudTrailRecord(raw)) as unknown as Json;
}

function detectionsOf(mapping: PantherMapping): Detection[] {
  return mapping.detections.map((id) => {
    const detection = detectionById(id);
    if (detection === undefined) throw new Error(`${mapping.rule}: no Cordon detection ${id}`);
    return detection;
  });
}

interface CaseOutcome {
  readonly name: string;
  readonly expected: boolean;
  /** The mapped detections that matched. */
  readonly matched: readonly string[];
  readonly inScope: boolean;
  /** The reason, when the mapping lists this case as a disagreement on purpose. */
  readonly listedReason?: string;
}

interface RuleOutcome {
  readonly mapping: PantherMapping;
  readonly cases: readonly CaseOutcome[];
}

function evaluate(mapping: PantherMapping): RuleOutcome {
  const detections = detectionsOf(mapping);
  const cases = pantherCases(mapping.rule).map((test): CaseOutcome => {
    const inScope = mapping.scope?.includes(test.event) ?? true;
    const matched = inScope ? matchDetections(delivered(test.kind, test.event), CONTEXT, detections) : [];
    return {
      name: test.name,
      expected: test.expected,
      matched: matched.map((detection) => detection.id),
      inScope,
      listedReason: mapping.disagreements?.[test.name],
    };
  });
  return { mapping, cases };
}

function agrees(outcome: CaseOutcome): boolean {
  return outcome.expected === outcome.matched.length > 0;
}

/** What is wrong with a rule's outcome: unlisted disagreements, stale listings, listings that name no case. */
function problemsWith(rule: RuleOutcome): string[] {
  const problems: string[] = [];
  const names = new Set(rule.cases.map((c) => c.name));
  for (const listed of Object.keys(rule.mapping.disagreements ?? {})) {
    if (!names.has(listed))
      problems.push(`lists a disagreement on "${listed}", which is not one of its test cases`);
  }
  for (const c of rule.cases) {
    if (!c.inScope) {
      if (c.listedReason !== undefined) problems.push(`"${c.name}" is listed but outside the scope`);
      continue;
    }
    const verdict = `Panther ${c.expected ? 'alerts' : 'does not alert'}, Cordon ${
      c.matched.length > 0 ? `matches ${c.matched.join(', ')}` : 'matches nothing'
    }`;
    if (!agrees(c) && c.listedReason === undefined) problems.push(`"${c.name}": ${verdict} (a regression?)`);
    if (agrees(c) && c.listedReason !== undefined) {
      problems.push(
        `"${c.name}" is listed as a disagreement but agrees now (${verdict}): remove it from the list`,
      );
    }
  }
  if (!rule.cases.some((c) => c.inScope)) problems.push('no test case is within the scope');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// GuardDuty findings
// ---------------------------------------------------------------------------------------------

const CREDENTIAL_DETECTIONS = new Set([
  'guardduty-iam-credential-finding',
  'guardduty-instance-credential-exfiltration',
  'guardduty-root-credential-usage',
  'guardduty-attack-sequence-compromised-credentials',
]);

/** The credential detection a finding type belongs to, from GuardDuty's finding-type names; undefined for other families. */
function credentialDetectionFor(type: string): string | undefined {
  if (type === 'Policy:IAMUser/RootCredentialUsage') return 'guardduty-root-credential-usage';
  if (type.startsWith('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.')) {
    return 'guardduty-instance-credential-exfiltration';
  }
  if (/^[A-Za-z]+:IAMUser\//.test(type)) return 'guardduty-iam-credential-finding';
  if (type === 'AttackSequence:IAM/CompromisedCredentials')
    return 'guardduty-attack-sequence-compromised-credentials';
  return undefined;
}

interface FindingOutcome {
  readonly key: string;
  readonly type: string;
  readonly severity: number | undefined;
  readonly sample: boolean;
  /** Of a credential family. */
  readonly family: string | undefined;
  /** The detection that must match, or undefined when none may. */
  readonly expected: string | undefined;
  readonly matched: readonly string[];
  readonly exception?: string;
}

function guardDutyOutcomes(): FindingOutcome[] {
  if (missing !== undefined) throw new Error(missing);
  const folder = path.join(CORPUS, 'guardduty');
  const outcomes: FindingOutcome[] = [];
  for (const file of fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const findings = readJson(path.join(folder, file)).findings;
    (Array.isArray(findings) ? findings : []).forEach((entry: unknown, index) => {
      const finding = isJson(entry) && isJson(entry.finding) ? entry.finding : {};
      const type = typeof finding.type === 'string' ? finding.type : '';
      const severity = typeof finding.severity === 'number' ? finding.severity : undefined;
      const service = isJson(finding.service) ? finding.service : {};
      const family = credentialDetectionFor(type);
      // Root credential usage is rated Low by GuardDuty; its detection ignores the threshold, on purpose.
      const atThreshold =
        family === 'guardduty-root-credential-usage' ||
        (severity !== undefined && severity >= CONTEXT.guardDutySeverityThreshold);
      const key = `${file}#${index}`;
      outcomes.push({
        key,
        type,
        severity,
        sample: isJson(service.additionalInfo) && service.additionalInfo.sample === true,
        family,
        expected: atThreshold ? family : undefined,
        matched: matchDetections(delivered('guardduty', finding), CONTEXT, DETECTIONS).map((d) => d.id),
        exception: GUARDDUTY_FINDING_EXCEPTIONS[key],
      });
    });
  }
  return outcomes;
}

function findingAgrees(outcome: FindingOutcome): boolean {
  const credentialMatches = outcome.matched.filter((id) => CREDENTIAL_DETECTIONS.has(id));
  return outcome.expected === undefined
    ? credentialMatches.length === 0
    : credentialMatches.length === 1 && credentialMatches[0] === outcome.expected;
}

// ---------------------------------------------------------------------------------------------
// The report in docs/detections.md
// ---------------------------------------------------------------------------------------------

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

function label(mapping: PantherMapping): string {
  return mapping.detections.length > 3
    ? 'GuardDuty detections'
    : mapping.detections.map((id) => `\`${id}\``).join(' + ');
}

function renderReport(rules: readonly RuleOutcome[], findings: readonly FindingOutcome[]): string {
  const lines: string[] = [
    START_MARKER,
    '',
    '## Third-party evaluation',
    '',
    'Written by `npm run corpus` (test/corpus/detections-corpus.test.ts); do not edit by hand. Each',
    'Panther rule (panther-labs/panther-analysis, Apache-2.0) that means the same as a Cordon detection',
    '(test/corpus/panther-mapping.ts says why, for each) has its test cases wrapped as EventBridge',
    "delivers them and matched under the default configuration, against Panther's verdict. A disagreement",
    'not listed below fails the evaluation.',
    '',
    '| Cordon detection | Panther rule | positives matched | negatives not matched | disagreements on purpose |',
    '| --- | --- | --- | --- | --- |',
  ];
  const sorted = [...rules].sort(
    (a, b) =>
      label(a.mapping).localeCompare(label(b.mapping)) || a.mapping.rule.localeCompare(b.mapping.rule),
  );
  const total = { positives: 0, positivesMatched: 0, negatives: 0, negativesClear: 0, listed: 0 };
  for (const rule of sorted) {
    const cases = rule.cases.filter((c) => c.inScope);
    const positives = cases.filter((c) => c.expected);
    const negatives = cases.filter((c) => !c.expected);
    const positivesMatched = positives.filter((c) => c.matched.length > 0).length;
    const negativesClear = negatives.filter((c) => c.matched.length === 0).length;
    const listed = cases.filter((c) => !agrees(c)).length;
    total.positives += positives.length;
    total.positivesMatched += positivesMatched;
    total.negatives += negatives.length;
    total.negativesClear += negativesClear;
    total.listed += listed;
    const outside = rule.cases.length - cases.length;
    lines.push(
      `| ${label(rule.mapping)} | ${rule.mapping.rule}${outside > 0 ? ` (${outside} ${outside === 1 ? 'case' : 'cases'} outside the scope)` : ''} | ` +
        `${positivesMatched} / ${positives.length} | ${negativesClear} / ${negatives.length} | ${listed} |`,
    );
  }
  lines.push(
    `| **all** | ${rules.length} rules | ${total.positivesMatched} / ${total.positives} | ` +
      `${total.negativesClear} / ${total.negatives} | ${total.listed} |`,
  );

  const scoped = sorted.filter((rule) => rule.mapping.scope !== undefined);
  if (scoped.length > 0) {
    lines.push('', 'Scopes (the cases compared, when the Panther rule covers more than Cordon watches):', '');
    for (const rule of scoped)
      lines.push(`- ${rule.mapping.rule}: ${cell(rule.mapping.scope?.description ?? '')}.`);
  }

  lines.push('', '### Disagreements on purpose', '');
  for (const rule of sorted) {
    for (const c of rule.cases.filter((outcome) => outcome.inScope && !agrees(outcome))) {
      const cordon =
        c.matched.length > 0
          ? `Cordon matches ${c.matched.map((id) => `\`${id}\``).join(', ')}`
          : 'Cordon does not match';
      lines.push(
        `- **${rule.mapping.rule}**, "${c.name}" (Panther ${c.expected ? 'alerts' : 'does not alert'}; ${cordon}): ` +
          `${cell(c.listedReason ?? 'NOT LISTED: a regression')}`,
      );
    }
  }

  const byFamily = findings.filter((f) => f.family !== undefined);
  const expected = findings.filter((f) => f.expected !== undefined);
  const matchedExpected = expected.filter(findingAgrees);
  const otherMatches = findings.filter((f) => f.expected === undefined && !findingAgrees(f));
  lines.push(
    '',
    '### GuardDuty findings (corpus `guardduty/`)',
    '',
    `${findings.length} findings, ${byFamily.length} of a credential family, ${expected.length} of these at or above ` +
      `the threshold (${CONTEXT.guardDutySeverityThreshold}; root credential usage whatever its severity): ` +
      `${matchedExpected.length} matched their detection, ${expected.length - matchedExpected.length} are listed ` +
      `exceptions. ${otherMatches.length === 0 ? 'No' : otherMatches.length} other finding${otherMatches.length === 1 ? '' : 's'} ` +
      'matched a credential detection.',
    '',
    '| finding | type | severity | sample | expected | matched | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const f of findings) {
    const expectation =
      f.expected !== undefined
        ? `\`${f.expected}\``
        : f.family !== undefined
          ? 'none (below the threshold)'
          : 'none (not a credential family)';
    const verdict = findingAgrees(f)
      ? 'agrees'
      : `exception: ${cell(f.exception ?? 'NOT LISTED: a regression')}`;
    lines.push(
      `| ${f.key} | ${f.type} | ${f.severity ?? '-'} | ${f.sample ? 'yes' : 'no'} | ${expectation} | ` +
        `${f.matched.length > 0 ? f.matched.map((id) => `\`${id}\``).join(', ') : 'none'} | ${verdict} |`,
    );
  }

  lines.push(
    '',
    '### Panther rules not mapped',
    '',
    'Close to a Cordon detection, but not of the same meaning:',
    '',
  );
  for (const [rule, reason] of Object.entries(NOT_MAPPED).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`- ${rule}: ${cell(reason)}`);
  }
  lines.push('', END_MARKER);
  return lines.join('\n');
}

/** Replaces the corpus section of docs/detections.md (added at the end when absent); writes only on change. */
function writeReport(section: string): void {
  const current = fs.existsSync(DOCS_FILE) ? fs.readFileSync(DOCS_FILE, 'utf8') : '';
  const start = current.indexOf(START_MARKER);
  const end = current.indexOf(END_MARKER);
  const next =
    start !== -1 && end > start
      ? current.slice(0, start) + section + current.slice(end + END_MARKER.length)
      : `${current}${current === '' || current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n'}${section}\n`;
  if (next !== current) {
    fs.mkdirSync(path.dirname(DOCS_FILE), { recursive: true });
    fs.writeFileSync(DOCS_FILE, next);
  }
}

// ---------------------------------------------------------------------------------------------

const ruleOutcomes = new Map<string, RuleOutcome>();
let findingOutcomes: FindingOutcome[] | undefined;

describe('Cordon detections against Panther rules of the same meaning', () => {
  it('finds the corpus', () => {
    if (missing !== undefined) throw new Error(missing);
    expect(fs.readdirSync(path.join(CORPUS, 'panther')).length).toBeGreaterThan(100);
  });

  it('maps each Panther rule once, to detections in the catalogue', () => {
    const rules = PANTHER_MAPPINGS.map((mapping) => mapping.rule);
    expect(new Set(rules).size).toBe(rules.length);
    for (const mapping of PANTHER_MAPPINGS) {
      expect(mapping.detections.length).toBeGreaterThan(0);
      for (const id of mapping.detections) expect(detectionById(id)?.id).toBe(id);
      expect(mapping.why.trim()).not.toBe('');
    }
    for (const rule of Object.keys(NOT_MAPPED)) expect(rules).not.toContain(rule);
  });

  it.each(PANTHER_MAPPINGS.map((mapping) => [mapping.rule, mapping] as const))(
    '%s: Cordon agrees with Panther on every case but the listed ones',
    (_rule, mapping) => {
      const outcome = evaluate(mapping);
      ruleOutcomes.set(mapping.rule, outcome);
      // A positive Cordon misses, or a negative it matches, is a failure unless the mapping lists it.
      expect(problemsWith(outcome)).toEqual([]);
    },
  );

  it('matches every credential-family GuardDuty finding at or above the threshold to its detection, and nothing else', () => {
    const outcomes = guardDutyOutcomes();
    findingOutcomes = outcomes;
    const problems: string[] = [];
    for (const f of outcomes) {
      const agreesNow = findingAgrees(f);
      const what = `${f.key} (${f.type}, severity ${f.severity ?? '-'}): expected ${f.expected ?? 'no credential detection'}, matched ${f.matched.join(', ') || 'nothing'}`;
      if (!agreesNow && f.exception === undefined) problems.push(what);
      if (agreesNow && f.exception !== undefined)
        problems.push(`${what}: listed as an exception but agrees now`);
    }
    for (const key of Object.keys(GUARDDUTY_FINDING_EXCEPTIONS)) {
      if (!outcomes.some((f) => f.key === key)) problems.push(`the exception ${key} names no finding`);
    }
    expect(problems).toEqual([]);
    expect(outcomes.filter((f) => f.expected !== undefined && findingAgrees(f)).length).toBeGreaterThan(0);
  });

  afterAll(() => {
    if (
      missing !== undefined ||
      ruleOutcomes.size !== PANTHER_MAPPINGS.length ||
      findingOutcomes === undefined
    )
      return;
    const ordered = PANTHER_MAPPINGS.map((mapping) => ruleOutcomes.get(mapping.rule) as RuleOutcome);
    writeReport(renderReport(ordered, findingOutcomes));
  });
});
