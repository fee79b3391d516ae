/** The root user signing in or calling APIs. */
import type { Detection } from '../types';
import { API_CALL, CONSOLE_SIGN_IN } from './shared';

const ROOT_RESPONSE =
  'No API can lock root out of a standalone account, so Cordon alerts with the manual steps (reset the ' +
  'password, check MFA, delete root access keys, call AWS Support).';

export const ROOT_DETECTIONS: readonly Detection[] = [
  {
    id: 'root-console-login',
    title: 'Root user signed in to the console',
    severity: 'critical',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'The root user can do everything, including closing the account, and is needed for only a handful ' +
      'of tasks: a successful root sign-in that nobody planned means the root password (and MFA) are in ' +
      'other hands. Failed sign-ins are left out: they are guessing, not access. ' +
      ROOT_RESPONSE,
    mitre: 'T1078.004',
    pattern: () => ({
      source: ['aws.signin'],
      'detail-type': [CONSOLE_SIGN_IN],
      detail: {
        eventName: ['ConsoleLogin'],
        userIdentity: { type: ['Root'] },
        responseElements: { ConsoleLogin: ['Success'] },
      },
    }),
  },
  {
    id: 'root-api-activity',
    title: 'Root user made an API call',
    severity: 'critical',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'A write call signed by the root user (from the console or with root access keys), refused or not: ' +
      'every such call is use of the most powerful credential in the account. Calls an AWS service made on ' +
      "root's behalf (userIdentity.invokedBy other than the console's signin.amazonaws.com) are left out. " +
      ROOT_RESPONSE,
    mitre: 'T1078.004',
    pattern: () => ({
      'detail-type': [API_CALL],
      detail: {
        userIdentity: {
          type: ['Root'],
          // signin.amazonaws.com acts for the person at the console; any other invokedBy is an AWS service.
          $or: [{ invokedBy: [{ exists: false }] }, { invokedBy: ['signin.amazonaws.com'] }],
        },
      },
    }),
  },
];
