export { isolateInstance, type IsolateInstanceInput } from './isolate';
export { restoreInstance, type RestoreInstanceInput } from './restore';
export {
  INSTANCE_CONTAINMENT_RECORD_KIND,
  INSTANCE_RESTORE_RESULT_KIND,
  type InstanceContainmentOutcome,
  type InstanceContainmentResult,
  type InstanceRestoreOutcome,
  type InstanceRestoreResult,
} from './record';
export {
  EC2_INSTANCE_ACTION_MODULES,
  EC2_INSTANCE_CONTAINMENT_GRANTS,
  EC2_INSTANCE_CONTAINMENT_PERMISSIONS,
  EC2_INSTANCE_RESTORE_PERMISSIONS,
} from './permissions';
export { ISOLATED_AT_TAG, ISOLATION_GROUP_NAME, UNTRACK_GROUP_NAME } from './context';
