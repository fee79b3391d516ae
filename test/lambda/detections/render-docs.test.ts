import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETECTIONS } from '../../../lambda/detections/catalogue';
import {
  CORPUS_SECTION_END,
  CORPUS_SECTION_START,
  composeDetectionsDocument,
  detectionDocsContext,
  renderDetectionsMarkdown,
} from '../../../lambda/detections/render-docs';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'detections.md');
const STALE = 'docs/detections.md is out of date: run `npm run docs` (tsx bin/generate-detection-docs.ts)';

describe('docs/detections.md', () => {
  it('is generated from the current catalogue', () => {
    if (!existsSync(DOC)) throw new Error(`docs/detections.md is missing: run \`npm run docs\``);
    const current = readFileSync(DOC, 'utf8');
    const expected = composeDetectionsDocument(
      renderDetectionsMarkdown(DETECTIONS, detectionDocsContext()),
      current,
    );
    if (current !== expected) throw new Error(STALE);
  });

  it('has a table with the id, title, severity, default response and its reason, MITRE id and what it matches', () => {
    const markdown = renderDetectionsMarkdown(DETECTIONS, detectionDocsContext());
    for (const detection of DETECTIONS) {
      const section = markdown.slice(markdown.indexOf(`## ${detection.id}\n`));
      const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| field |')));
      expect(table).toContain(`| id | \`${detection.id}\` |`);
      expect(table).toContain(`| title | ${detection.title} |`);
      expect(table).toContain(`| severity | ${detection.severity} |`);
      expect(table).toMatch(new RegExp(`\\| default response \\| ${detection.defaultResponse} `));
      expect(table).toContain(`| why | ${detection.rationale.replace(/\|/g, '\\|')} |`);
      expect(table).toContain(`[${detection.mitre}](https://attack.mitre.org/techniques/`);
      expect(table).toMatch(/\| matches \| \S/);
      if (detection.refinement) expect(table).toContain(detection.refinement);
    }
  });

  it('describes patterns with the rendering context', () => {
    const context = { ...detectionDocsContext(), guardDutySeverityThreshold: 7.5 };
    const markdown = renderDetectionsMarkdown(DETECTIONS, context);
    expect(markdown).toContain('severity 7.5 or more');
    const noHoneytokens = renderDetectionsMarkdown(DETECTIONS, { ...context, honeytokenAccessKeyIds: [] });
    const honeytoken = noHoneytokens.slice(noHoneytokens.indexOf('## honeytoken-used'));
    expect(honeytoken.slice(0, honeytoken.indexOf('\n## '))).toContain('No rule is deployed');
  });

  it('keeps the corpus section another tool fills, and only that', () => {
    const rendered = renderDetectionsMarkdown(DETECTIONS, detectionDocsContext());
    const section = `${CORPUS_SECTION_START}\n## Corpus agreement\n\n| rule | agree |\n${CORPUS_SECTION_END}`;
    const existing = `# stale text\n\n${section}\n\ntrailing stale text\n`;
    expect(composeDetectionsDocument(rendered, existing)).toBe(`${rendered.trimEnd()}\n\n${section}\n`);
    expect(composeDetectionsDocument(rendered, '# old, no markers\n')).toBe(rendered);
    expect(composeDetectionsDocument(rendered, undefined)).toBe(rendered);
  });
});
