/**
 * remove-image-permission on moto: an AMI shared by the team with its organization is shared by the
 * attacker with everyone, an account and an organizational unit; the revert removes exactly those
 * (the organization keeps its share), is already done the second time, and `undo` adds them back.
 */
import {
  CreateImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  ModifyImageAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { removeImagePermission } from '../../../../../lambda/actions/reverts/ec2/remove-image-permission';
import { uniqueName } from '../../../../support/moto';
import { ec2Record, emulatorEc2, revertContext, undoContext } from './support';

const ec2 = emulatorEc2();
const ORGANIZATION = 'arn:aws:organizations::123456789012:organization/o-abc123defg';
const OU = 'arn:aws:organizations::999988887777:ou/o-zzz999/ou-ab12-cdefgh34';
const ATTACKER = '444455556666';

async function sharesOf(imageId: string): Promise<string[]> {
  const { LaunchPermissions } = await ec2.send(
    new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }),
  );
  return (LaunchPermissions ?? [])
    .map((p) => p.Group ?? p.UserId ?? p.OrganizationArn ?? p.OrganizationalUnitArn ?? '?')
    .sort();
}

afterAll(() => ec2.destroy());

describe('remove-image-permission on the emulator', () => {
  it('removes exactly the launch permissions ModifyImageAttribute added, and undo adds them back', async () => {
    const { Images } = await ec2.send(new DescribeImagesCommand({}));
    const { Instances } = await ec2.send(
      new RunInstancesCommand({ ImageId: Images![0].ImageId!, MinCount: 1, MaxCount: 1 }),
    );
    const { ImageId } = await ec2.send(
      new CreateImageCommand({ InstanceId: Instances![0].InstanceId!, Name: uniqueName('golden') }),
    );
    const imageId = ImageId!;
    await ec2.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        LaunchPermission: { Add: [{ OrganizationArn: ORGANIZATION }] },
      }),
    );
    const legitimate = await sharesOf(imageId);
    await ec2.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        LaunchPermission: { Add: [{ Group: 'all' }, { UserId: ATTACKER }, { OrganizationalUnitArn: OU }] },
      }),
    );
    const shared = await sharesOf(imageId);
    const record = ec2Record(
      'ModifyImageAttribute',
      {
        imageId,
        attributeType: 'launchPermission',
        launchPermission: {
          add: { items: [{ group: 'all' }, { userId: ATTACKER }, { organizationalUnitArn: OU }] },
        },
      },
      { requestId: 'r-ami', _return: true },
    );
    const changes = removeImagePermission.changesOf(record);
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change.target).toBe(`image/${imageId}`);

    expect((await removeImagePermission.revert(change, revertContext(true))).map((o) => o.status)).toEqual([
      'planned',
    ]);
    expect(await sharesOf(imageId)).toEqual(shared);

    const reverted = await removeImagePermission.revert(change, revertContext(false));
    expect(reverted.map((o) => o.status)).toEqual(['done']);
    expect(await sharesOf(imageId)).toEqual(legitimate);
    expect((await removeImagePermission.revert(change, revertContext(false))).map((o) => o.status)).toEqual([
      'already-done',
    ]);

    expect(
      (await removeImagePermission.undo(change, reverted, undoContext(false))).map((o) => o.status),
    ).toEqual(['done']);
    expect(await sharesOf(imageId)).toEqual(shared);
  });
});
