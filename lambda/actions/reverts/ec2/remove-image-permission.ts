/**
 * Closes an AMI the attacker shared: `ModifyImageAttribute` adding launch permissions (everyone,
 * accounts, organizations, organizational units) has exactly those removed;
 * `DisableImageBlockPublicAccess` has the region's block public access for AMIs enabled again.
 */
import {
  DescribeImageAttributeCommand,
  DisableImageBlockPublicAccessCommand,
  EnableImageBlockPublicAccessCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
  type EC2Client,
  type ImageBlockPublicAccessEnabledState,
  type LaunchPermission,
  type PermissionGroup,
} from '@aws-sdk/client-ec2';
import { settle } from '../../types';
import type { BlockPublicAccessCalls } from './block-public-access';
import { permissionsOfSdk, type SharePermission } from './share-permissions';
import { sharingReverter } from './sharing-reverter';

function launchPermissionOf({ kind, value }: SharePermission): LaunchPermission {
  switch (kind) {
    case 'group':
      return { Group: value as PermissionGroup };
    case 'user':
      return { UserId: value };
    case 'organization':
      return { OrganizationArn: value };
    case 'organizational-unit':
      return { OrganizationalUnitArn: value };
  }
}

function modify(
  ec2: EC2Client,
  imageId: string,
  operation: 'Add' | 'Remove',
  who: readonly SharePermission[],
) {
  return ec2.send(
    new ModifyImageAttributeCommand({
      ImageId: imageId,
      LaunchPermission: { [operation]: who.map(launchPermissionOf) },
    }),
  );
}

export const IMAGE_BLOCK_PUBLIC_ACCESS: BlockPublicAccessCalls = {
  of: 'AMIs',
  read: (ec2) =>
    settle(
      async () =>
        (await ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState ??
        'unblocked',
    ),
  enable: (ec2, state) =>
    ec2.send(
      new EnableImageBlockPublicAccessCommand({
        ImageBlockPublicAccessState: state as ImageBlockPublicAccessEnabledState,
      }),
    ),
  disable: (ec2) => ec2.send(new DisableImageBlockPublicAccessCommand({})),
};

export const removeImagePermission = sharingReverter({
  action: 'remove-image-permission',
  sweepSwitch: 'revertShares',
  summary:
    'removes exactly the launch permissions the event added to an AMI, or turns AMI block public access on again',
  permissions: [
    'ec2:DescribeImageAttribute',
    'ec2:ModifyImageAttribute',
    'ec2:GetImageBlockPublicAccessState',
    'ec2:EnableImageBlockPublicAccess',
  ],
  restorePermissions: [
    'ec2:DescribeImageAttribute',
    'ec2:ModifyImageAttribute',
    'ec2:GetImageBlockPublicAccessState',
    'ec2:EnableImageBlockPublicAccess',
    'ec2:DisableImageBlockPublicAccess',
  ],
  resources: ['ec2:image', '*'],
  noun: 'image',
  modifyEvent: 'ModifyImageAttribute',
  idField: 'imageId',
  attribute: 'launchPermission',
  disableEvent: 'DisableImageBlockPublicAccess',
  disableResponse: ['DisableImageBlockPublicAccessResponse', 'imageBlockPublicAccessState'],
  readPermissions: (ec2, imageId) =>
    settle(async () => {
      const answer = await ec2.send(
        new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }),
      );
      return permissionsOfSdk(answer.LaunchPermissions);
    }),
  removePermissions: (ec2, imageId, who) => modify(ec2, imageId, 'Remove', who),
  addPermissions: (ec2, imageId, who) => modify(ec2, imageId, 'Add', who),
  blockPublicAccess: IMAGE_BLOCK_PUBLIC_ACCESS,
});
