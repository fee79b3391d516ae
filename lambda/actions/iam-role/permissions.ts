/**
 * The IAM actions containment and restore of an IAM role need, derived from what each action
 * module declares: a module cannot run without its permissions, and no permission is granted
 * that no module uses. Every call acts on the role (`role/*`).
 */
import { containmentGrantsOf, permissionsOf, type ActionModule, type ContainmentGrant } from '../types';
import { roleDenyAll } from './deny-all';
import { olderSessionsRevocation } from './revoke-sessions';
import { roleTags } from './tags';

/** Every action module a role's containment runs, the revocation first. */
export const IAM_ROLE_ACTION_MODULES: readonly ActionModule[] = Object.freeze([
  olderSessionsRevocation,
  roleDenyAll,
  roleTags,
]);

export const IAM_ROLE_CONTAINMENT_PERMISSIONS: readonly string[] = permissionsOf(
  IAM_ROLE_ACTION_MODULES,
  'permissions',
);

export const IAM_ROLE_RESTORE_PERMISSIONS: readonly string[] = permissionsOf(
  IAM_ROLE_ACTION_MODULES,
  'restorePermissions',
);

/** The containing roles' IAM statements for roles, as the modules declare them. */
export const IAM_ROLE_CONTAINMENT_GRANTS: readonly ContainmentGrant[] =
  containmentGrantsOf(IAM_ROLE_ACTION_MODULES);
