/**
 * The persistence and logging reverters: keys and console passwords the attacker planted, trails
 * it stopped or blinded, GuardDuty detectors it turned off. `DeleteTrail` has none on purpose: a
 * deleted trail cannot be brought back as it was, so the sweep lists it for review.
 */
import type { ChangeReverter } from '../types';
import { deactivateCreatedAccessKey } from './created-access-key';
import { restoreEventSelectors } from './event-selectors';
import { enableGuardDutyDetector } from './guardduty-detector';
import { deleteChangedLoginProfile } from './login-profile';
import { restartTrailLogging } from './trail-logging';

export const IAM_LOGGING_REVERTERS: readonly ChangeReverter[] = [
  deactivateCreatedAccessKey,
  deleteChangedLoginProfile,
  restartTrailLogging,
  restoreEventSelectors,
  enableGuardDutyDetector,
];
