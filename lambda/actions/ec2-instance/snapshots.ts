/**
 * An EBS snapshot of every attached volume, tagged with the incident, the instance and the
 * volume: the disk as the attacker left it, for forensics. Already done when a snapshot of this
 * incident and volume exists (a retry makes no second one). Restore keeps them: evidence.
 */
import {
  CreateSnapshotCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { INCIDENT_TAG } from '../iam-user/tags';
import { attempt, type ActionModule, type ActionOutcome } from '../types';
import {
  describeError,
  outcome,
  SNAPSHOT_INSTANCE_TAG,
  SNAPSHOT_VOLUME_TAG,
  type IsolateContext,
} from './context';

export const volumeSnapshots = {
  action: 'snapshot-volume',
  permissions: ['ec2:CreateSnapshot', 'ec2:CreateTags'],
  restorePermissions: [],
  resources: ['ec2:volume', 'ec2:snapshot'],
} as const satisfies ActionModule;

/** The snapshot made (or found) of the volume, for the record. */
export interface VolumeSnapshot {
  readonly snapshotId: string | null;
}
export type SnapshotVolumeOutcome = ActionOutcome<'snapshot-volume', VolumeSnapshot>;

export const volumeTarget = (volumeId: string) => `volume/${volumeId}`;

/** The snapshots already taken for this incident, by volume. */
export async function findIncidentSnapshots(
  ec2: EC2Client,
  incidentId: string,
): Promise<readonly Snapshot[]> {
  const { Snapshots } = await ec2.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [{ Name: `tag:${INCIDENT_TAG}`, Values: [incidentId] }],
    }),
  );
  return Snapshots ?? [];
}

export async function snapshotVolume(
  ctx: IsolateContext,
  volumeId: string,
  existing: readonly Snapshot[],
): Promise<SnapshotVolumeOutcome> {
  const target = volumeTarget(volumeId);
  const found = existing.find((snapshot) => snapshot.VolumeId === volumeId)?.SnapshotId;
  if (found) {
    return outcome(
      volumeSnapshots.action,
      target,
      'already-done',
      `snapshot ${found} of this incident exists`,
      { snapshotId: found },
    );
  }
  if (ctx.dryRun) {
    return outcome(
      volumeSnapshots.action,
      target,
      'planned',
      'would be snapshotted, tagged with the incident',
      { snapshotId: null },
    );
  }
  let snapshotId: string | null = null;
  const error = await attempt(async () => {
    const answer = await ctx.ec2.send(
      new CreateSnapshotCommand({
        VolumeId: volumeId,
        Description: `Cordon incident ${ctx.incidentId}: ${volumeId} of ${ctx.instanceId}, taken when it was isolated`,
        TagSpecifications: [
          {
            ResourceType: 'snapshot',
            Tags: [
              { Key: INCIDENT_TAG, Value: ctx.incidentId },
              { Key: SNAPSHOT_INSTANCE_TAG, Value: ctx.instanceId },
              { Key: SNAPSHOT_VOLUME_TAG, Value: volumeId },
            ],
          },
        ],
      }),
    );
    snapshotId = answer.SnapshotId ?? null;
  });
  return error
    ? outcome(
        volumeSnapshots.action,
        target,
        'failed',
        `no snapshot: ${describeError(error)}`,
        { snapshotId: null },
        error,
      )
    : outcome(
        volumeSnapshots.action,
        target,
        'done',
        `snapshot ${snapshotId ?? '?'} taken, tagged ${INCIDENT_TAG}=${ctx.incidentId}`,
        {
          snapshotId,
        },
      );
}
