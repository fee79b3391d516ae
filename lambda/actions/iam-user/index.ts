export { containIamUser, type ContainIamUserInput } from './contain';
export { restoreIamUser, type RestoreIamUserInput } from './restore';
export {
  CONTAINMENT_RECORD_KIND,
  RESTORE_RESULT_KIND,
  outcomesOf,
  type ContainmentOutcome,
  type ContainmentResult,
  type RestoreOutcome,
  type RestoreResult,
} from './record';
export {
  IAM_USER_ACTION_MODULES,
  IAM_USER_CONTAINMENT_GRANTS,
  IAM_USER_CONTAINMENT_PERMISSIONS,
  IAM_USER_RESTORE_PERMISSIONS,
} from './permissions';
export type { DenyAllBefore, DenyAllRecord, DenyAttempt, DenyMethod, UserState } from './deny-all';
export {
  AWS_DENY_ALL_POLICY_NAME,
  DENY_ALL_POLICY_DOCUMENT,
  DENY_ALL_POLICY_NAME,
  awsDenyAllArn,
} from './deny-policy';
export { CONTAINED_AT_TAG, INCIDENT_TAG, type CordonTagsBefore, type TagState } from './tags';
export type { CredentialState } from './credential-status';
export type { LoginProfileState } from './login-profile';
export type { AttachedPolicyState } from './managed-policies';
export type { InlinePolicyState } from './inline-policies';
export type { GroupMembershipState } from './groups';
export type { MfaDeviceState } from './mfa-devices';
export type { UserSnapshot, RestoreSnapshot } from './snapshot';
