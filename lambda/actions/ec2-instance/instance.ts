/**
 * The instance as it was before isolation, read with DescribeInstances (by id) and
 * DescribeInstanceAttribute: its state, VPC, network interfaces with their groups, attached EBS
 * volumes, tags and termination protection. Every other module works from this read, and the
 * record keeps it as the before-state.
 */
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { TagState } from '../iam-user/tags';
import type { ActionModule } from '../types';
import { errorName } from './context';

/**
 * The reads, on `*`: EC2's Describe* calls allow no narrower resource. The security groups and
 * snapshots are read by isolation-groups.ts and snapshots.ts; they are declared here, once, so
 * that every grant on `*` is in one place.
 */
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
  /** The interface's own VPC: an interface of another VPC than the instance's can be attached to it. */
  readonly vpcId: string | null;
  readonly groupIds: readonly string[];
}

export interface InstanceState {
  /** `pending`, `running`, `stopping`, `stopped`, `shutting-down`, `terminated`. */
  readonly state: string;
  readonly vpcId: string | null;
  readonly networkInterfaces: readonly NetworkInterfaceState[];
  /** The EBS volumes attached (block device mappings); instance store volumes are not listed. */
  readonly volumeIds: readonly string[];
  readonly tags: readonly TagState[];
}

/** The error name of an instance that does not exist (any more) in the region. */
export const INSTANCE_NOT_FOUND = 'InstanceNotFound';

/**
 * No instance of this id in the region: terminated long ago, or never there (a finding from another
 * region). `cordon contain instance` shows its message to the operator as it is.
 */
export class InstanceNotFoundError extends Error {
  constructor(instanceId: string, region: string) {
    super(`instance ${instanceId} does not exist in ${region} (terminated long ago, or in another region)`);
    this.name = INSTANCE_NOT_FOUND;
  }
}

export async function readInstance(
  ec2: EC2Client,
  instanceId: string,
  region: string,
): Promise<InstanceState> {
  let answer;
  try {
    answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  } catch (thrown) {
    if (errorName(thrown) === 'InvalidInstanceID.NotFound')
      throw new InstanceNotFoundError(instanceId, region);
    throw thrown;
  }
  const instance = (answer.Reservations ?? [])
    .flatMap((reservation) => reservation.Instances ?? [])
    .find((candidate) => candidate.InstanceId === instanceId);
  if (!instance) throw new InstanceNotFoundError(instanceId, region);
  const vpcId = instance.VpcId ?? null;
  return {
    state: instance.State?.Name ?? 'unknown',
    vpcId,
    networkInterfaces: (instance.NetworkInterfaces ?? []).flatMap((eni) =>
      eni.NetworkInterfaceId
        ? [
            {
              networkInterfaceId: eni.NetworkInterfaceId,
              vpcId: eni.VpcId ?? vpcId,
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
