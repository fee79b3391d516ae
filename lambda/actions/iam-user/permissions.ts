/**
 * The IAM actions containment and restore of an IAM user need, derived from what each action
 * module declares: a module cannot run without its permissions, and no permission is granted
 * that no module uses.
 */
import { containmentGrantsOf, permissionsOf, type ActionModule, type ContainmentGrant } from '../types';
import { accessKeys } from './access-keys';
import { denyAll } from './deny-all';
import { groups } from './groups';
import { inlinePolicies } from './inline-policies';
import { loginProfile } from './login-profile';
import { managedPolicies } from './managed-policies';
import { mfaDevices } from './mfa-devices';
import { serviceSpecificCredentials } from './service-credentials';
import { signingCertificates } from './signing-certificates';
import { sshPublicKeys } from './ssh-keys';
import { userTags } from './tags';

/** Every action module containment runs, the deny first. */
export const IAM_USER_ACTION_MODULES: readonly ActionModule[] = Object.freeze([
  denyAll,
  accessKeys,
  loginProfile,
  managedPolicies,
  inlinePolicies,
  groups,
  sshPublicKeys,
  signingCertificates,
  serviceSpecificCredentials,
  userTags,
  mfaDevices,
]);

export const IAM_USER_CONTAINMENT_PERMISSIONS: readonly string[] = permissionsOf(
  IAM_USER_ACTION_MODULES,
  'permissions',
);

export const IAM_USER_RESTORE_PERMISSIONS: readonly string[] = permissionsOf(
  IAM_USER_ACTION_MODULES,
  'restorePermissions',
);

/** The containing roles' IAM statements: actions, resources and conditions, as the modules declare them. */
export const IAM_USER_CONTAINMENT_GRANTS: readonly ContainmentGrant[] =
  containmentGrantsOf(IAM_USER_ACTION_MODULES);
