/**
 * Reading a security group for a revert: its id (a legacy request names a default-VPC group only
 * by name) and its rules as they are now (DescribeSecurityGroupRules, every page), so that a revert
 * knows which of the event's rules are still there and what they are.
 */
import {
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  paginateDescribeSecurityGroupRules,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { settle, type Read } from '../../types';
import { ruleOfSdk, type ExistingRule } from './ingress-rules';

/**
 * The id of the group named `groupName` in the region's default VPC (where a request by name
 * acts), or an error naming why none was found.
 */
export async function groupIdByName(ec2: EC2Client, groupName: string): Promise<Read<string>> {
  return settle(async () => {
    const { Vpcs } = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
    );
    const defaultVpc = Vpcs?.[0]?.VpcId;
    if (!defaultVpc)
      throw Object.assign(new Error('the region has no default VPC'), { name: 'NoDefaultVpc' });
    const { SecurityGroups } = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: [groupName] },
          { Name: 'vpc-id', Values: [defaultVpc] },
        ],
      }),
    );
    const groupId = SecurityGroups?.[0]?.GroupId;
    if (!groupId)
      throw Object.assign(new Error(`no group named ${groupName} in the default VPC ${defaultVpc}`), {
        name: 'InvalidGroup.NotFound',
      });
    return groupId;
  });
}

/** Every rule of the group now, ingress and egress. */
export async function rulesOfGroup(ec2: EC2Client, groupId: string): Promise<Read<readonly ExistingRule[]>> {
  return settle(async () => {
    const rules: ExistingRule[] = [];
    const pages = paginateDescribeSecurityGroupRules(
      { client: ec2 },
      { Filters: [{ Name: 'group-id', Values: [groupId] }] },
    );
    for await (const page of pages)
      for (const sdkRule of page.SecurityGroupRules ?? []) {
        const existing = ruleOfSdk(sdkRule);
        if (existing) rules.push(existing);
      }
    return rules;
  });
}
