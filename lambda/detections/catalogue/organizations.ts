/** An account trying to leave its AWS Organization. */
import type { Detection } from '../types';
import { apiCall } from './shared';

export const ORGANIZATIONS_DETECTIONS: readonly Detection[] = [
  {
    id: 'organization-leave-attempt',
    title: 'Account tried to leave its organization',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'Outside the organization, the account escapes its SCPs, the organization trail and the security ' +
      "team's delegated GuardDuty and Config. Attempts that failed are kept: organizations deny this with an " +
      'SCP, and trying is itself the sign of an attacker. Legitimate moves happen rarely and by plan, so a ' +
      'person is told rather than the principal contained.',
    mitre: 'T1666',
    pattern: () => apiCall('organizations', { eventName: ['LeaveOrganization'] }),
  },
];
