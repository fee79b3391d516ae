/**
 * Containment of an IAM role whose sessions were compromised. Every name exported here is unique
 * across the action families (the tag keys and the deny-all policy are the IAM-user family's own
 * exports), so that `export *` of both never clashes.
 */
export { revokeRoleSessions, type RevokeRoleSessionsInput } from './contain';
export { restoreIamRole, type RestoreIamRoleInput } from './restore';
export {
  ROLE_CONTAINMENT_RECORD_KIND,
  ROLE_RESTORE_RESULT_KIND,
  roleOutcomesOf,
  type RoleContainmentOutcome,
  type RoleContainmentResult,
  type RoleRestoreOutcome,
  type RoleRestoreResult,
  type RoleSnapshot,
} from './record';
export {
  IAM_ROLE_ACTION_MODULES,
  IAM_ROLE_CONTAINMENT_GRANTS,
  IAM_ROLE_CONTAINMENT_PERMISSIONS,
  IAM_ROLE_RESTORE_PERMISSIONS,
} from './permissions';
export {
  REVOKE_OLDER_SESSIONS_POLICY_NAME,
  olderSessionsRevocation,
  revocationInstant,
  revokedBeforeIn,
  revokeOlderSessionsDocument,
  type RestoreOlderSessionsPolicyOutcome,
  type RevocationBefore,
  type RevokeOlderSessionsOutcome,
} from './revoke-sessions';
export {
  roleDenyAll,
  type DenyAllRoleBefore,
  type DenyAllRoleOutcome,
  type LiftDenyAllRoleOutcome,
} from './deny-all';
export { roleTags, type RestoreRoleTagsOutcome, type TagRoleOutcome } from './tags';
export type { RoleInlinePolicyBefore } from './inline-policy';
export type { RoleState } from './role';
