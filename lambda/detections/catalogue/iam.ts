/** IAM persistence and privilege escalation, weakened sign-in, and credentials minted outside IAM users. */
import type { Detection, EventBridgeEvent } from '../types';
import { allowsEverything, policyDocument, statements, trustsAwsPrincipals } from './policy';
import { API_CALL, CONSOLE_SIGN_IN, SUCCEEDED, apiCall, at, succeeded, text } from './shared';

const PERSISTENCE_RESPONSE =
  'Administrators do this too, so Cordon reports it with who did it and from where rather than ' +
  'contain on its own; when a contained principal did it, the sweep undoes it.';

/**
 * The IAM user a call acts on is someone else than the caller: the caller is not an IAM user (a role
 * session, root, an AWS service), or it is another IAM user. A federated user's permissions are those of
 * the IAM user that called GetFederationToken, so that user counts as the caller.
 */
function targetsAnotherUser(event: EventBridgeEvent): boolean {
  const target = text(at(event, 'detail', 'requestParameters', 'userName'));
  if (target === undefined) return false;
  const identity = at(event, 'detail', 'userIdentity');
  switch (at(identity, 'type')) {
    case 'IAMUser':
      return text(at(identity, 'userName')) !== target;
    case 'FederatedUser':
      return text(at(identity, 'sessionContext', 'sessionIssuer', 'userName')) !== target;
    default:
      return true;
  }
}

const ANOTHER_USER_REFINEMENT =
  'Keeps the call only when requestParameters.userName is not the caller: the caller is not an IAM user ' +
  '(role session, root), or is a different IAM user (for a federated user, the IAM user that issued it). ' +
  'EventBridge cannot compare two fields of an event.';

/** AWS managed policies that grant (nearly) everything: attaching one is an escalation. */
const ADMIN_POLICY_SUFFIXES = [
  ':policy/AdministratorAccess',
  ':policy/IAMFullAccess',
  ':policy/PowerUserAccess',
];

export const IAM_DETECTIONS: readonly Detection[] = [
  {
    id: 'iam-access-key-created-for-another-user',
    title: 'Access key created for another IAM user',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'A second set of keys on the user of someone else is the classic backdoor: it outlives the rotation of ' +
      'the stolen key and looks like the activity of that user. ' +
      PERSISTENCE_RESPONSE,
    mitre: 'T1098.001',
    pattern: () =>
      apiCall('iam', succeeded(['CreateAccessKey'], { requestParameters: { userName: [{ exists: true }] } })),
    refinement: ANOTHER_USER_REFINEMENT,
    refine: targetsAnotherUser,
  },
  {
    id: 'iam-login-profile-changed-for-another-user',
    title: 'Console password set for another IAM user',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'Creating or resetting the console password of another user gives the attacker a way in that does ' +
      'not depend on the stolen key, in a name that is not theirs. ' +
      PERSISTENCE_RESPONSE,
    mitre: 'T1098.001',
    pattern: () =>
      apiCall(
        'iam',
        succeeded(['CreateLoginProfile', 'UpdateLoginProfile'], {
          requestParameters: { userName: [{ exists: true }] },
        }),
      ),
    refinement: ANOTHER_USER_REFINEMENT,
    refine: targetsAnotherUser,
  },
  {
    id: 'iam-user-created',
    title: 'IAM user created',
    severity: 'medium',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'A new IAM user is a durable foothold (its own keys and password, unaffected by containing the ' +
      'stolen principal). Accounts managed through SSO rarely create users by hand. ' +
      PERSISTENCE_RESPONSE,
    mitre: 'T1136.003',
    pattern: () => apiCall('iam', succeeded(['CreateUser'])),
  },
  {
    id: 'iam-admin-policy-granted',
    title: 'Administrator permissions granted',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'Attaching AdministratorAccess, IAMFullAccess or PowerUserAccess to a user, role or group, or putting ' +
      'an inline policy that allows every action on every resource, turns a limited foothold into control ' +
      'of the account. ' +
      PERSISTENCE_RESPONSE,
    mitre: 'T1098.003',
    pattern: () =>
      apiCall('iam', {
        ...SUCCEEDED,
        $or: [
          {
            eventName: ['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy'],
            requestParameters: { policyArn: ADMIN_POLICY_SUFFIXES.map((suffix) => ({ suffix })) },
          },
          { eventName: ['PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy'] },
        ],
      }),
    refinement:
      'For PutUserPolicy, PutRolePolicy and PutGroupPolicy, keeps the call only when the inline policy ' +
      '(requestParameters.policyDocument, a JSON string, sometimes URL-encoded) has a statement with Effect ' +
      'Allow, Action "*" and Resource "*". Attach calls are kept as the pattern matched them.',
    refine: (event) => {
      const eventName = text(at(event, 'detail', 'eventName')) ?? '';
      if (!/^Put(User|Role|Group)Policy$/.test(eventName)) return true;
      return statements(policyDocument(at(event, 'detail', 'requestParameters', 'policyDocument'))).some(
        allowsEverything,
      );
    },
  },
  {
    id: 'iam-role-trust-policy-opened',
    title: 'Role trust policy opened to AWS principals',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'Changing who may assume a role to include "*", another account, or a user or role the attacker ' +
      'holds is a backdoor that survives every credential rotation. ' +
      PERSISTENCE_RESPONSE,
    mitre: 'T1098.003',
    pattern: () => apiCall('iam', succeeded(['UpdateAssumeRolePolicy'])),
    refinement:
      'Keeps the call only when the new trust policy (requestParameters.policyDocument, a JSON string) ' +
      'has an Allow statement whose Principal is "*" or names AWS principals (an account, user or role); ' +
      'trust in AWS services or identity providers only is left out.',
    refine: (event) =>
      statements(policyDocument(at(event, 'detail', 'requestParameters', 'policyDocument'))).some(
        trustsAwsPrincipals,
      ),
  },
  {
    id: 'iam-mfa-device-removed',
    title: 'MFA device deactivated or deleted',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'Removing MFA from a user lets a stolen password alone sign in, and is how an attacker who took over ' +
      "a user's console session keeps it. People also replace lost devices, so a person is told.",
    mitre: 'T1556.006',
    pattern: () => apiCall('iam', succeeded(['DeactivateMFADevice', 'DeleteVirtualMFADevice'])),
  },
  {
    id: 'console-login-without-mfa',
    title: 'IAM user signed in to the console without MFA',
    severity: 'medium',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'A successful password-only console sign-in by an IAM user: a phished or leaked password is enough. ' +
      'Often a policy gap rather than an attack, so it is reported; SSO and SAML sign-ins (assumed roles) ' +
      'are left out, their MFA happens at the identity provider.',
    mitre: 'T1078.004',
    pattern: () => ({
      source: ['aws.signin'],
      'detail-type': [CONSOLE_SIGN_IN],
      detail: {
        eventName: ['ConsoleLogin'],
        userIdentity: { type: ['IAMUser'] },
        additionalEventData: { MFAUsed: ['No'], SamlProviderArn: [{ exists: false }] },
        responseElements: { ConsoleLogin: ['Success'] },
      },
    }),
  },
  {
    id: 'sts-federation-token-issued',
    title: 'Federation token issued',
    severity: 'medium',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'GetFederationToken turns an IAM user key into temporary credentials, and into a console session ' +
      'through the federation sign-in endpoint; attackers use it to move from the CLI to the console and to ' +
      'keep access after the key is disabled (only a deny on the user stops them). Few workloads use it.',
    mitre: 'T1550.001',
    pattern: () => ({
      source: ['aws.sts'],
      'detail-type': [API_CALL],
      detail: succeeded(['GetFederationToken']),
    }),
  },
  {
    id: 'rolesanywhere-trust-anchor-created',
    title: 'IAM Roles Anywhere trust anchor created',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'notify',
    rationale:
      'A trust anchor makes a certificate authority trusted to mint role credentials from outside AWS: ' +
      'with a CA of their own, an attacker gets credentials for any role that trusts Roles Anywhere, ' +
      'whatever keys are rotated. Rarely created, so each one is reported.',
    mitre: 'T1098.001',
    pattern: () => apiCall('rolesanywhere', succeeded(['CreateTrustAnchor'])),
  },
];
