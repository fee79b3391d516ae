/** GuardDuty switched off, cut off from its administrator, or told to hide findings. */
import type { Detection } from '../types';
import { SUCCEEDED, apiCall } from './shared';

export const GUARDDUTY_TAMPERING_DETECTIONS: readonly Detection[] = [
  {
    id: 'guardduty-detector-tampered',
    title: 'GuardDuty disabled, detached or told to hide findings',
    severity: 'critical',
    source: 'cloudtrail',
    defaultResponse: 'contain',
    rationale:
      'Deleting or suspending the detector, turning a protection plan off, leaving the administrator ' +
      "account (so the security team's account stops seeing the findings), removing members, an " +
      'auto-archive filter or a trusted IP list: each keeps the next findings from reaching anyone. An ' +
      'attacker does this before the noisy part of an attack, so the principal is contained at once.',
    mitre: 'T1562.001',
    pattern: () =>
      apiCall('guardduty', {
        ...SUCCEEDED,
        $or: [
          {
            eventName: [
              'DeleteDetector',
              'DisassociateFromMasterAccount',
              'DisassociateFromAdministratorAccount',
              'DeleteMembers',
              'DisassociateMembers',
              'StopMonitoringMembers',
            ],
          },
          { eventName: ['UpdateDetector'], requestParameters: { enable: [false] } },
          { eventName: ['UpdateDetector'], requestParameters: { features: { status: ['DISABLED'] } } },
          { eventName: ['CreateFilter', 'UpdateFilter'], requestParameters: { action: ['ARCHIVE'] } },
          { eventName: ['CreateIPSet', 'UpdateIPSet'], requestParameters: { activate: [true] } },
          { eventName: ['UpdateIPSet'], requestParameters: { location: [{ exists: true }] } },
        ],
      }),
  },
];
