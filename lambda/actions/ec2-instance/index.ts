/** The EC2 instance family: isolation of a compromised instance and its exact undo. */
export { isolateInstance, type IsolateInstanceInput } from './isolate';
export { restoreInstance, type RestoreInstanceInput } from './restore';
export {
  INSTANCE_CONTAINMENT_RECORD_KIND,
  INSTANCE_RESTORE_RESULT_KIND,
  instanceOutcomesOf,
  type EnsureIsolationGroupsOutcome,
  type InstanceContainmentOutcome,
  type InstanceContainmentResult,
  type InstanceRestoreOutcome,
  type InstanceRestoreResult,
  type InstanceSnapshot,
  type ReadInstanceOutcome,
} from './record';
export type { InstanceState, NetworkInterfaceState } from './instance';
export type {
  InterfaceGroupsBefore,
  IsolateNetworkInterfaceOutcome,
  RestoreNetworkInterfaceOutcome,
} from './network-interfaces';
export type { SnapshotVolumeOutcome, VolumeSnapshot } from './snapshots';
export type { InstanceStateBefore, StartInstanceOutcome, StopInstanceOutcome } from './stop';
export type { InstanceTagsBefore, RestoreInstanceTagsOutcome, TagInstanceOutcome } from './tags';
export type {
  EnableTerminationProtectionOutcome,
  ProtectionBefore,
  RestoreTerminationProtectionOutcome,
} from './termination-protection';
export {
  EC2_INSTANCE_ACTION_MODULES,
  EC2_INSTANCE_CONTAINMENT_GRANTS,
  EC2_INSTANCE_CONTAINMENT_PERMISSIONS,
  EC2_INSTANCE_RESTORE_PERMISSIONS,
} from './permissions';
export {
  ISOLATED_AT_TAG,
  ISOLATION_GROUP_NAME,
  PURPOSE_TAG,
  SNAPSHOT_INSTANCE_TAG,
  SNAPSHOT_VOLUME_TAG,
  UNTRACK_GROUP_NAME,
} from './context';
