/** KMS keys scheduled for deletion. */
import type { Detection } from '../types';
import { apiCall, succeeded } from './shared';

export const KMS_DETECTIONS: readonly Detection[] = [
  {
    id: 'kms-key-deletion-scheduled',
    title: 'KMS key scheduled for deletion',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'Once a KMS key is deleted, everything encrypted with it is unreadable for good: an attacker uses ' +
      'this for ransom or destruction. The deletion waits 7 to 30 days and CancelKeyDeletion undoes it, so ' +
      'a person has time to decide; retiring keys is also routine, so Cordon reports rather than acts.',
    mitre: 'T1485',
    pattern: () => apiCall('kms', succeeded(['ScheduleKeyDeletion'])),
  },
];
