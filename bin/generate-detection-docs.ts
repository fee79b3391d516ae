#!/usr/bin/env node
/**
 * Writes docs/detections.md from the detection catalogue (npm run docs), keeping the section between
 * <!-- corpus:start --> and <!-- corpus:end --> that the corpus runner fills.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETECTIONS } from '../lambda/detections/catalogue';
import {
  composeDetectionsDocument,
  detectionDocsContext,
  renderDetectionsMarkdown,
} from '../lambda/detections/render-docs';

export const DETECTIONS_DOC = join(__dirname, '..', 'docs', 'detections.md');

const existing = existsSync(DETECTIONS_DOC) ? readFileSync(DETECTIONS_DOC, 'utf8') : undefined;
const document = composeDetectionsDocument(
  renderDetectionsMarkdown(DETECTIONS, detectionDocsContext()),
  existing,
);
if (document === existing) {
  console.log(`${DETECTIONS_DOC} is up to date`);
} else {
  writeFileSync(DETECTIONS_DOC, document);
  console.log(`wrote ${DETECTIONS_DOC}`);
}
