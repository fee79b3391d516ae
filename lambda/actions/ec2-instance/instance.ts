/**
 * The instance as it was before isolation, read once with DescribeInstances and
 * DescribeInstanceAttribute: its state, VPC, network interfaces with their groups, attached EBS
 * volumes, tags and termination protection. Every other module works from this read.
 */
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { TagState } from '../iam-user/tags';
import type { ActionModule } from '../types';

/** The reads, on `*`: EC2's Describe* calls allow no narrower resource. */
export const instanceReads = {
  action: 'read-instance',
  permissions: [
    'ec2:DescribeInstances',
    'ec2:DescribeInstanceAttribute',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSnapshots',
  ],
  restorePermissions: ['ec2:DescribeInstances'],
  resources: ['*'],
} as const satisfies ActionModule;

export interface NetworkInterfaceState {
  readonly networkInterfaceId: string;
  readonly groupIds: readonly string[];
}

export interface InstanceState {
  /** `running`, `stopped`, `terminated`, ... */
  readonly state: string;
  readonly vpcId: string | null;
  readonly networkInterfaces: readonly NetworkInterfaceState[];
  readonly volumeIds: readonly string[];
  readonly tags: readonly TagState[];
}

/** No instance of this id in the region: gone, or never there (a finding from another region). */
export class InstanceNotFoundError extends Error {
  constructor(instanceId: string, region: string) {
    super(`instance ${instanceId} does not exist in ${region} (terminated long ago, or in another region)`);
    this.name = 'InstanceNotFound';
  }
}

export async function readInstance(
  ec2: EC2Client,
  instanceId: string,
  region: string,
): Promise<InstanceState> {
  let reservations;
  try {
    ({ Reservations: reservations } = await ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [instanceId] }),
    ));
  } catch (thrown) {
    if ((thrown as { name?: unknown }).name === 'InvalidInstanceID.NotFound')
      throw new InstanceNotFoundError(instanceId, region);
    throw thrown;
  }
  const instance = reservations
    ?.flatMap((reservation) => reservation.Instances ?? [])
    .find((i) => i.InstanceId === instanceId);
  if (!instance) throw new InstanceNotFoundError(instanceId, region);
  return {
    state: instance.State?.Name ?? 'unknown',
    vpcId: instance.VpcId ?? null,
    networkInterfaces: (instance.NetworkInterfaces ?? []).flatMap((eni) =>
      eni.NetworkInterfaceId
        ? [
            {
              networkInterfaceId: eni.NetworkInterfaceId,
              groupIds: (eni.Groups ?? []).flatMap((group) => (group.GroupId ? [group.GroupId] : [])),
            },
          ]
        : [],
    ),
    volumeIds: (instance.BlockDeviceMappings ?? []).flatMap((mapping) =>
      mapping.Ebs?.VolumeId ? [mapping.Ebs.VolumeId] : [],
    ),
    tags: (instance.Tags ?? []).flatMap((tag) => (tag.Key ? [{ key: tag.Key, value: tag.Value ?? '' }] : [])),
  };
}

export async function readTerminationProtection(ec2: EC2Client, instanceId: string): Promise<boolean> {
  const { DisableApiTermination } = await ec2.send(
    new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
  );
  return DisableApiTermination?.Value ?? false;
}

/** An instance that can no longer be isolated: it is gone, or going. */
export function isGone(state: string): boolean {
  return state === 'terminated' || state === 'shutting-down';
}
