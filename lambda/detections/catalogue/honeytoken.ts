/** Decoy access keys: nobody legitimate holds them, so any use is an intrusion. */
import type { Detection } from '../types';
import { API_CALL } from './shared';

export const HONEYTOKEN_DETECTIONS: readonly Detection[] = [
  {
    id: 'honeytoken-used',
    title: 'Honeytoken access key used',
    severity: 'critical',
    source: 'cloudtrail',
    defaultResponse: 'contain',
    rationale:
      'A honeytoken is a decoy key planted where an attacker looks (code, CI variables, laptops) and used ' +
      'by nobody: any call signed with it, read-only or refused, means the place it was planted is ' +
      'compromised. There are no false positives to fear, so the principal is contained at once. The rule ' +
      'sees read-only calls too, since the first thing an attacker runs is sts:GetCallerIdentity; without ' +
      'configured honeytokens there is no rule.',
    mitre: 'T1078.004',
    includesReadOnlyEvents: true,
    pattern: (context) =>
      context.honeytokenAccessKeyIds.length === 0
        ? null
        : {
            'detail-type': [API_CALL],
            detail: { userIdentity: { accessKeyId: [...context.honeytokenAccessKeyIds] } },
          },
  },
];
