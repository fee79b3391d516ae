/**
 * docs/detections.md, rendered from the catalogue: one table per detection (what it is, how bad, what Cordon
 * does by default and why, what it matches) and its EventBridge pattern. Pure: bin/generate-detection-docs.ts
 * writes the file, test/lambda/detections/render-docs.test.ts fails when it is stale.
 */
import { parseConfig } from '../config/load';
import { detectionContextFromConfig } from './context';
import type { Detection, DetectionContext, EventPattern } from './types';

export const CORPUS_SECTION_START = '<!-- corpus:start -->';
export const CORPUS_SECTION_END = '<!-- corpus:end -->';

/** The access key id AWS's documentation uses as an example: shows the honeytoken pattern's shape. */
export const EXAMPLE_HONEYTOKEN = 'AKIAIOSFODNN7EXAMPLE';

/** The context the docs are rendered with: the default configuration and one example honeytoken. */
export function detectionDocsContext(): DetectionContext {
  return { ...detectionContextFromConfig(parseConfig({})), honeytokenAccessKeyIds: [EXAMPLE_HONEYTOKEN] };
}

const RESPONSE_WORDS: Readonly<Record<Detection['defaultResponse'], string>> = {
  contain: 'contain (cut the principal off)',
  revert: 'revert (undo the change)',
  notify: 'notify (report only)',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function mitreLink(technique: string): string {
  const [id, sub] = technique.split('.');
  return `[${technique}](https://attack.mitre.org/techniques/${id}/${sub ? `${sub}/` : ''})`;
}

/** Every value a pattern accepts for a field name, anywhere in it (prefixes shown as `value*`). */
function acceptedValues(pattern: unknown, field: string, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(pattern)) {
    for (const item of pattern) acceptedValues(item, field, into);
  } else if (typeof pattern === 'object' && pattern !== null) {
    for (const [key, value] of Object.entries(pattern)) {
      if (key === field && Array.isArray(value)) {
        for (const leaf of value as unknown[]) {
          if (typeof leaf === 'string') into.add(leaf);
          else if (typeof leaf === 'object' && leaf !== null && 'prefix' in leaf) {
            into.add(`${String(leaf.prefix)}*`);
          }
        }
      } else {
        acceptedValues(value, field, into);
      }
    }
  }
  return into;
}

function codeList(values: Iterable<string>): string {
  return [...values].map((value) => `\`${value}\``).join(', ');
}

/** What the pattern matches, in a sentence (the exact pattern follows the table). */
function summary(pattern: EventPattern | null, detection: Detection): string {
  if (pattern === null) return 'nothing with this configuration';
  const json = JSON.stringify(pattern);
  if (detection.source === 'guardduty') {
    const types = acceptedValues(pattern, 'type');
    const severity = /"numeric":\[">=",([0-9.]+)\]/.exec(json);
    const resource = acceptedValues(pattern, 'resourceType');
    return (
      `GuardDuty findings of type ${codeList(types)}` +
      (resource.size ? ` on a resource of type ${codeList(resource)}` : '') +
      (severity ? `, severity ${severity[1]} or more` : ', any severity')
    );
  }
  const names = acceptedValues(pattern, 'eventName');
  const sources = acceptedValues(pattern, 'source');
  const succeeded =
    json.includes('"errorCode":[{"exists":false}]') || json.includes('"ConsoleLogin":["Success"]');
  return (
    (names.size ? `CloudTrail ${codeList(names)}` : 'Any CloudTrail API call') +
    (sources.size ? ` from ${codeList(sources)}` : '') +
    (succeeded ? ', successful calls only' : ', failed attempts included') +
    ', with the conditions of the pattern below'
  );
}

function renderDetection(detection: Detection, context: DetectionContext): string {
  const pattern = detection.pattern(context);
  const rows: [string, string][] = [
    ['id', `\`${detection.id}\``],
    ['title', detection.title],
    ['severity', detection.severity],
    ['source', detection.source === 'guardduty' ? 'GuardDuty finding' : 'CloudTrail (via EventBridge)'],
    ['default response', RESPONSE_WORDS[detection.defaultResponse]],
    ['why', detection.rationale],
    ['MITRE ATT&CK', mitreLink(detection.mitre)],
    ['matches', summary(pattern, detection)],
  ];
  if (detection.refinement) rows.push(['refined by the responder', detection.refinement]);
  if (detection.includesReadOnlyEvents)
    rows.push(['read-only calls', 'yes: the rule also sees read-only calls']);
  const table = ['| field | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)];
  const patternBlock =
    pattern === null
      ? ['No rule is deployed: the configuration leaves this detection nothing to match.']
      : [
          '<details><summary>EventBridge pattern</summary>',
          '',
          '```json',
          JSON.stringify(pattern, null, 2),
          '```',
          '',
          '</details>',
        ];
  return [`## ${detection.id}`, '', ...table, '', ...patternBlock, ''].join('\n');
}

/** The whole document for these detections, with patterns as this context makes them. */
export function renderDetectionsMarkdown(
  detections: readonly Detection[],
  context: DetectionContext,
): string {
  const index = [
    '| id | title | severity | default response | MITRE ATT&CK |',
    '| --- | --- | --- | --- | --- |',
    ...detections.map(
      (d) =>
        `| [\`${d.id}\`](#${d.id}) | ${cell(d.title)} | ${d.severity} | ${d.defaultResponse} | ${mitreLink(d.mitre)} |`,
    ),
  ];
  const intro = [
    '# Detections',
    '',
    '<!-- Generated from lambda/detections/ by bin/generate-detection-docs.ts (npm run docs): do not edit by hand. -->',
    '',
    `Cordon deploys one EventBridge rule per detection (${detections.length} detections). The responder and ` +
      '`cordon detect` match events against the same patterns locally, then apply the refinement some ' +
      'detections need (a condition an EventBridge pattern cannot express). Every CloudTrail rule also ' +
      "excludes Cordon's own roles (`detail.userIdentity.sessionContext.sessionIssuer.userName`), so that " +
      "Cordon's own changes never trigger it; GuardDuty rules are deployed as shown. The default response of " +
      'each detection can be changed, or the detection disabled, in `cordon.config.json` (`detections`).',
    '',
    `Patterns are shown with the default configuration (GuardDuty severity threshold ` +
      `${context.guardDutySeverityThreshold}, instance families ${codeList(context.unusualInstanceTypePrefixes)}` +
      `) and the honeytoken ${codeList(context.honeytokenAccessKeyIds)}.`,
    '',
    ...index,
    '',
  ];
  return [...intro, ...detections.map((d) => renderDetection(d, context))].join('\n');
}

/** The corpus section of an existing document (markers included), filled by another tool; kept as is. */
export function corpusSection(existing: string): string | undefined {
  const start = existing.indexOf(CORPUS_SECTION_START);
  const end = existing.indexOf(CORPUS_SECTION_END, start);
  if (start < 0 || end < 0) return undefined;
  return existing.slice(start, end + CORPUS_SECTION_END.length);
}

/** The rendered document, followed by the corpus section of the existing file when it has one. */
export function composeDetectionsDocument(rendered: string, existing: string | undefined): string {
  const section = existing === undefined ? undefined : corpusSection(existing);
  return section === undefined ? rendered : `${rendered.trimEnd()}\n\n${section}\n`;
}
