/**
 * The isolation record (what `isolateInstance` returns, what the caller stores and what
 * `restoreInstance` reads back) and the restore result. Plain JSON throughout.
 */
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

/** The instance could not be read, or is gone (target `instance/...`): nothing else was tried. */
export type ReadInstanceOutcome = ActionOutcome<'read-instance', null>;
/** Cordon's groups in the VPC, made, repaired or found in place (target `vpc/...`). */
export type EnsureIsolationGroupsOutcome = ActionOutcome<'ensure-isolation-groups', null>;

/** One outcome of an isolation, told apart by `action`. */
export type InstanceContainmentOutcome =
  | ReadInstanceOutcome
  | EnsureIsolationGroupsOutcome
  | IsolateNetworkInterfaceOutcome
  | SnapshotVolumeOutcome
  | EnableTerminationProtectionOutcome
  | TagInstanceOutcome
  | StopInstanceOutcome;

/** One outcome of a restore, told apart by `action`. */
export type InstanceRestoreOutcome =
  | RestoreNetworkInterfaceOutcome
  | RestoreTerminationProtectionOutcome
  | RestoreInstanceTagsOutcome
  | StartInstanceOutcome;

/** The instance as read before any change: evidence, and what restore brings back. */
export interface InstanceSnapshot {
  /** State, VPC, interfaces with their groups, volumes, every tag. */
  readonly instance: Read<InstanceState>;
  /** Termination protection; null when it was not read (the instance was gone, or could not be read). */
  readonly terminationProtection: Read<boolean> | null;
}

export interface InstanceContainmentResult extends ContainmentRecordBase<
  typeof INSTANCE_CONTAINMENT_RECORD_KIND,
  InstanceContainmentOutcome
> {
  readonly instanceId: string;
  readonly region: string;
  /** Null when it has none, or could not be read. */
  readonly vpcId: string | null;
  /** `cordon-isolation` of the VPC (null: none made or found; in a dry run, the one found if any). */
  readonly isolationGroupId: string | null;
  /** `cordon-isolation-untrack` of the VPC, likewise. */
  readonly untrackGroupId: string | null;
  /** The EBS snapshots of this incident (taken now, or found from an earlier run of it). */
  readonly snapshotIds: readonly string[];
  readonly before: InstanceSnapshot;
}

export interface InstanceRestoreResult extends RestoreRecordBase<
  typeof INSTANCE_RESTORE_RESULT_KIND,
  InstanceRestoreOutcome
> {
  readonly instanceId: string;
}

/** The outcomes of one action in an isolation record. */
export function instanceOutcomesOf<A extends InstanceContainmentOutcome['action']>(
  outcomes: readonly InstanceContainmentOutcome[],
  action: A,
): Extract<InstanceContainmentOutcome, { action: A }>[] {
  return outcomes.filter((o): o is Extract<InstanceContainmentOutcome, { action: A }> => o.action === action);
}
