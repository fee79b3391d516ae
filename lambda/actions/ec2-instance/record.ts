/** The isolation record (what `isolateInstance` returns and `restoreInstance` reads back) and the restore result. Plain JSON. */
import type { ActionOutcome, ContainmentRecordBase, Read, RestoreRecordBase } from '../types';
import type { InstanceState } from './instance';
import type { IsolateNetworkInterfaceOutcome, RestoreNetworkInterfaceOutcome } from './network-interfaces';
import type { SnapshotVolumeOutcome } from './snapshots';
import type { StartInstanceOutcome, StopInstanceOutcome } from './stop';
import type { RestoreInstanceTagsOutcome, TagInstanceOutcome } from './tags';
import type {
  EnableTerminationProtectionOutcome,
  RestoreTerminationProtectionOutcome,
} from './termination-protection';

export const INSTANCE_CONTAINMENT_RECORD_KIND = 'cordon/ec2-instance-containment';
export const INSTANCE_RESTORE_RESULT_KIND = 'cordon/ec2-instance-restore';

/** The instance could not be read, or is gone: nothing else was tried. */
export type ReadInstanceOutcome = ActionOutcome<'read-instance', null>;
/** Cordon's groups in the VPC, made or repaired (target `vpc/...`). */
export type EnsureIsolationGroupsOutcome = ActionOutcome<'ensure-isolation-groups', null>;

export type InstanceContainmentOutcome =
  | ReadInstanceOutcome
  | EnsureIsolationGroupsOutcome
  | IsolateNetworkInterfaceOutcome
  | SnapshotVolumeOutcome
  | EnableTerminationProtectionOutcome
  | TagInstanceOutcome
  | StopInstanceOutcome;

export type InstanceRestoreOutcome =
  | RestoreNetworkInterfaceOutcome
  | RestoreTerminationProtectionOutcome
  | RestoreInstanceTagsOutcome
  | StartInstanceOutcome;

export interface InstanceSnapshot {
  readonly instance: Read<InstanceState>;
  readonly terminationProtection: Read<boolean>;
}

export interface InstanceContainmentResult extends ContainmentRecordBase<
  typeof INSTANCE_CONTAINMENT_RECORD_KIND,
  InstanceContainmentOutcome
> {
  readonly instanceId: string;
  readonly region: string;
  readonly vpcId: string | null;
  readonly isolationGroupId: string | null;
  /** The EBS snapshots of this incident (taken now, or found from a retry). */
  readonly snapshotIds: readonly string[];
  readonly before: InstanceSnapshot;
}

export interface InstanceRestoreResult extends RestoreRecordBase<
  typeof INSTANCE_RESTORE_RESULT_KIND,
  InstanceRestoreOutcome
> {
  readonly instanceId: string;
}
