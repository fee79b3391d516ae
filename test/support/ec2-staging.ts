import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { uniqueName } from './moto';

/** An EC2 instance on the emulator, in a VPC of its own, with two security groups and a role. */
export interface StagedInstance {
  readonly instanceId: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly groupIds: readonly string[];
  readonly roleName: string;
  readonly instanceProfileArn: string;
}

const TRUST_EC2 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** A role that EC2 may assume, in an instance profile of the same name. */
export async function stageInstanceRole(iam: IAMClient, prefix = 'web-app') {
  const roleName = uniqueName(prefix);
  await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: TRUST_EC2 }));
  const { InstanceProfile } = await iam.send(
    new CreateInstanceProfileCommand({ InstanceProfileName: roleName }),
  );
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: roleName, RoleName: roleName }));
  return { roleName, instanceProfileArn: InstanceProfile!.Arn! };
}

/** An instance in a new VPC, or in the subnet (and with the groups) of an instance staged before. */
export async function stageInstance(
  ec2: EC2Client,
  iam: IAMClient,
  beside?: Pick<StagedInstance, 'vpcId' | 'subnetId' | 'groupIds'>,
): Promise<StagedInstance> {
  const { roleName, instanceProfileArn } = await stageInstanceRole(iam);
  let network = beside && { vpcId: beside.vpcId, subnetId: beside.subnetId, groupIds: beside.groupIds };
  if (!network) {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    const vpcId = Vpc!.VpcId!;
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }));
    const groupIds: string[] = [];
    for (const name of ['web', 'ssh']) {
      const { GroupId } = await ec2.send(
        new CreateSecurityGroupCommand({ GroupName: uniqueName(name), Description: name, VpcId: vpcId }),
      );
      groupIds.push(GroupId!);
    }
    network = { vpcId, subnetId: Subnet!.SubnetId!, groupIds };
  }
  const { Images } = await ec2.send(new DescribeImagesCommand({}));
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ImageId: Images![0].ImageId!,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      // Groups on the interface, not SecurityGroupIds: moto reports an instance's launch groups on
      // its primary interface for ever, whatever ModifyNetworkInterfaceAttribute sets since.
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: network.subnetId, Groups: [...network.groupIds] }],
      IamInstanceProfile: { Arn: instanceProfileArn },
    }),
  );
  return { instanceId: Instances![0].InstanceId!, ...network, roleName, instanceProfileArn };
}

/** What isolation changes and restore brings back: groups per interface, protection, Cordon's tags, state. */
export async function readInstanceState(ec2: EC2Client, instanceId: string) {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const instance = Reservations![0].Instances![0];
  const { DisableApiTermination } = await ec2.send(
    new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
  );
  return {
    state: instance.State?.Name,
    interfaces: (instance.NetworkInterfaces ?? [])
      .map((eni) => ({ id: eni.NetworkInterfaceId, groups: (eni.Groups ?? []).map((g) => g.GroupId).sort() }))
      .sort((a, b) => (a.id! < b.id! ? -1 : 1)),
    terminationProtection: DisableApiTermination?.Value ?? false,
    cordonTags: Object.fromEntries(
      (instance.Tags ?? []).filter((t) => t.Key?.startsWith('cordon:')).map((t) => [t.Key, t.Value]),
    ),
  };
}

/** The snapshots tagged with this incident. */
export async function incidentSnapshots(ec2: EC2Client, incidentId: string) {
  const { Snapshots } = await ec2.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [{ Name: 'tag:cordon:incident', Values: [incidentId] }],
    }),
  );
  return Snapshots ?? [];
}
