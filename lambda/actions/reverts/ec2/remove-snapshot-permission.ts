/**
 * Closes an EBS snapshot the attacker shared: `ModifySnapshotAttribute` adding create-volume
 * permissions (everyone, or other accounts) has exactly those removed; `DisableSnapshotBlockPublicAccess`
 * has the region's block public access for snapshots enabled again (`block-new-sharing`).
 */
import {
  DescribeSnapshotAttributeCommand,
  DisableSnapshotBlockPublicAccessCommand,
  EnableSnapshotBlockPublicAccessCommand,
  GetSnapshotBlockPublicAccessStateCommand,
  ModifySnapshotAttributeCommand,
  type EC2Client,
  type SnapshotBlockPublicAccessState,
} from '@aws-sdk/client-ec2';
import { settle } from '../../types';
import type { BlockPublicAccessCalls } from './block-public-access';
import { permissionsOfSdk, type SharePermission } from './share-permissions';
import { sharingReverter } from './sharing-reverter';

/**
 * Written with OperationType, UserIds and GroupNames (not the CreateVolumePermission structure, which
 * EC2 takes as well): moto_server applies only this form, so the emulator tests exercise the real call.
 */
function modify(
  ec2: EC2Client,
  snapshotId: string,
  operation: 'add' | 'remove',
  who: readonly SharePermission[],
) {
  const of = (kind: SharePermission['kind']) => who.filter((p) => p.kind === kind).map((p) => p.value);
  const userIds = of('user');
  const groups = of('group');
  return ec2.send(
    new ModifySnapshotAttributeCommand({
      SnapshotId: snapshotId,
      Attribute: 'createVolumePermission',
      OperationType: operation,
      ...(userIds.length ? { UserIds: userIds } : {}),
      ...(groups.length ? { GroupNames: groups } : {}),
    }),
  );
}

export const SNAPSHOT_BLOCK_PUBLIC_ACCESS: BlockPublicAccessCalls = {
  of: 'EBS snapshots',
  read: (ec2) =>
    settle(
      async () => (await ec2.send(new GetSnapshotBlockPublicAccessStateCommand({}))).State ?? 'unblocked',
    ),
  enable: (ec2, state) =>
    ec2.send(new EnableSnapshotBlockPublicAccessCommand({ State: state as SnapshotBlockPublicAccessState })),
  disable: (ec2) => ec2.send(new DisableSnapshotBlockPublicAccessCommand({})),
};

export const removeSnapshotPermission = sharingReverter({
  action: 'remove-snapshot-permission',
  sweepSwitch: 'revertShares',
  summary:
    'removes exactly the create-volume permissions the event added to an EBS snapshot, or turns snapshot block public access on again',
  permissions: [
    'ec2:DescribeSnapshotAttribute',
    'ec2:ModifySnapshotAttribute',
    'ec2:GetSnapshotBlockPublicAccessState',
    'ec2:EnableSnapshotBlockPublicAccess',
  ],
  restorePermissions: [
    'ec2:DescribeSnapshotAttribute',
    'ec2:ModifySnapshotAttribute',
    'ec2:GetSnapshotBlockPublicAccessState',
    'ec2:EnableSnapshotBlockPublicAccess',
    'ec2:DisableSnapshotBlockPublicAccess',
  ],
  resources: ['ec2:snapshot', '*'],
  noun: 'snapshot',
  modifyEvent: 'ModifySnapshotAttribute',
  idField: 'snapshotId',
  attribute: 'createVolumePermission',
  disableEvent: 'DisableSnapshotBlockPublicAccess',
  disableResponse: ['DisableSnapshotBlockPublicAccessResponse', 'state'],
  readPermissions: (ec2, snapshotId) =>
    settle(async () => {
      const answer = await ec2.send(
        new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }),
      );
      return permissionsOfSdk(answer.CreateVolumePermissions);
    }),
  removePermissions: (ec2, snapshotId, who) => modify(ec2, snapshotId, 'remove', who),
  addPermissions: (ec2, snapshotId, who) => modify(ec2, snapshotId, 'add', who),
  blockPublicAccess: SNAPSHOT_BLOCK_PUBLIC_ACCESS,
});
