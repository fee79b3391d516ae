/**
 * The detection catalogue: every behaviour Cordon watches for, in one place. The stack deploys one rule
 * per detection (lib/rule-pattern.ts); the Lambda and the CLI match events against the same
 * detections (lambda/detections/match.ts); docs/detections.md is generated from it.
 */
import { COMPUTE_DETECTIONS } from './catalogue/compute';
import { EXECUTION_DETECTIONS } from './catalogue/execution';
import { GUARDDUTY_DETECTIONS } from './catalogue/guardduty';
import { GUARDDUTY_TAMPERING_DETECTIONS } from './catalogue/guardduty-tampering';
import { HONEYTOKEN_DETECTIONS } from './catalogue/honeytoken';
import { IAM_DETECTIONS } from './catalogue/iam';
import { KMS_DETECTIONS } from './catalogue/kms';
import { LOGGING_DETECTIONS } from './catalogue/logging';
import { NETWORK_DETECTIONS } from './catalogue/network';
import { ORGANIZATIONS_DETECTIONS } from './catalogue/organizations';
import { ROOT_DETECTIONS } from './catalogue/root';
import { SHARING_DETECTIONS } from './catalogue/sharing';
import type { Detection } from './types';

export const DETECTIONS: readonly Detection[] = [
  ...GUARDDUTY_DETECTIONS,
  ...HONEYTOKEN_DETECTIONS,
  ...LOGGING_DETECTIONS,
  ...GUARDDUTY_TAMPERING_DETECTIONS,
  ...ROOT_DETECTIONS,
  ...IAM_DETECTIONS,
  ...NETWORK_DETECTIONS,
  ...SHARING_DETECTIONS,
  ...ORGANIZATIONS_DETECTIONS,
  ...KMS_DETECTIONS,
  ...COMPUTE_DETECTIONS,
  ...EXECUTION_DETECTIONS,
];

/** The detection with this id, or undefined. */
export function detectionById(
  id: string,
  detections: readonly Detection[] = DETECTIONS,
): Detection | undefined {
  return detections.find((detection) => detection.id === id);
}
