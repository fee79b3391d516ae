/**
 * An EBS snapshot of every attached volume, tagged with the incident (`cordon:incident`), the
 * instance and the volume: the disk as the attacker left it, for forensics. Already done when a
 * snapshot of this incident and volume exists (a retried incident makes no second one). Restore
 * keeps them: they are evidence, deleted by a human when the investigation is over.
 */
import {
  CreateSnapshotCommand,
  paginateDescribeSnapshots,
  type EC2Client,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { INCIDENT_TAG } from '../iam-user/tags';
import { attempt, type ActionModule, type ActionOutcome, type Read } from '../types';
import {
  describeError,
  outcome,
  SNAPSHOT_INSTANCE_TAG,
  SNAPSHOT_VOLUME_TAG,
  unchanged,
  volumeTarget,
  type IsolateContext,
} from './context';

export const volumeSnapshots = {
  action: 'snapshot-volume',
  permissions: ['ec2:CreateSnapshot', 'ec2:CreateTags'],
  restorePermissions: [],
  resources: ['ec2:volume', 'ec2:snapshot'],
} as const satisfies ActionModule;

/** The snapshot of the volume for this incident, taken now or found (null: none). */
export interface VolumeSnapshot {
  readonly snapshotId: string | null;
}
export type SnapshotVolumeOutcome = ActionOutcome<'snapshot-volume', VolumeSnapshot>;

/** The snapshots of this account already tagged with this incident. */
export async function findIncidentSnapshots(
  ec2: EC2Client,
  incidentId: string,
): Promise<readonly Snapshot[]> {
  const snapshots: Snapshot[] = [];
  for await (const page of paginateDescribeSnapshots(
    { client: ec2 },
    { OwnerIds: ['self'], Filters: [{ Name: `tag:${INCIDENT_TAG}`, Values: [incidentId] }] },
  )) {
    snapshots.push(...(page.Snapshots ?? []));
  }
  return snapshots;
}

const ofVolume = (snapshot: Snapshot, volumeId: string) =>
  snapshot.VolumeId === volumeId ||
  (snapshot.Tags ?? []).some((tag) => tag.Key === SNAPSHOT_VOLUME_TAG && tag.Value === volumeId);

/**
 * The volume's snapshot. When this incident's snapshots could not be listed, one is taken all the
 * same: a second snapshot on a retry costs little, a missing one loses the evidence.
 */
export async function snapshotVolume(
  ctx: IsolateContext,
  volumeId: string,
  existing: Read<readonly Snapshot[]>,
): Promise<SnapshotVolumeOutcome> {
  const action = volumeSnapshots.action;
  const target = volumeTarget(volumeId);
  const found = existing.ok
    ? existing.value.find((snapshot) => ofVolume(snapshot, volumeId))?.SnapshotId
    : undefined;
  if (found) {
    return unchanged(action, target, ctx.dryRun, `snapshot ${found} of this incident exists`, {
      snapshotId: found,
    });
  }
  const unlisted = existing.ok
    ? ''
    : ` (this incident's snapshots could not be listed: ${describeError(existing.error)}; a retry may have made one already)`;
  if (ctx.dryRun) {
    return outcome(
      action,
      target,
      'planned',
      `would be snapshotted, tagged ${INCIDENT_TAG}=${ctx.incidentId}${unlisted}`,
      {
        snapshotId: null,
      },
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
    ? outcome(action, target, 'failed', `no snapshot: ${describeError(error)}`, { snapshotId: null }, error)
    : outcome(
        action,
        target,
        'done',
        `snapshot ${snapshotId ?? '(no id answered)'} taken, tagged ${INCIDENT_TAG}=${ctx.incidentId}${unlisted}`,
        { snapshotId },
      );
}
