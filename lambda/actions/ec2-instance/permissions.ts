/**
 * The EC2 actions isolating an instance needs, derived from what each module declares: the reads
 * on `*` (Describe* allow nothing narrower), every change on the kinds of resource it acts on.
 */
import { containmentGrantsOf, permissionsOf, type ActionModule, type ContainmentGrant } from '../types';
import { instanceReads } from './instance';
import { isolationGroups } from './isolation-groups';
import { networkIsolation } from './network-interfaces';
import { volumeSnapshots } from './snapshots';
import { instanceStop } from './stop';
import { instanceTags } from './tags';
import { terminationProtection } from './termination-protection';

export const EC2_INSTANCE_ACTION_MODULES: readonly ActionModule[] = Object.freeze([
  instanceReads,
  isolationGroups,
  networkIsolation,
  volumeSnapshots,
  terminationProtection,
  instanceTags,
  instanceStop,
]);

export const EC2_INSTANCE_CONTAINMENT_PERMISSIONS = permissionsOf(EC2_INSTANCE_ACTION_MODULES, 'permissions');
export const EC2_INSTANCE_RESTORE_PERMISSIONS = permissionsOf(
  EC2_INSTANCE_ACTION_MODULES,
  'restorePermissions',
);
export const EC2_INSTANCE_CONTAINMENT_GRANTS: readonly ContainmentGrant[] =
  containmentGrantsOf(EC2_INSTANCE_ACTION_MODULES);
