/**
 * Cordon's two security groups in a VPC, made on first use and reused by every later isolation
 * there:
 * - `cordon-isolation`: no inbound and no outbound rule (CreateSecurityGroup adds an allow-all
 *   egress rule: it is revoked), where an isolated instance ends;
 * - `cordon-isolation-untrack`: all traffic in and out, 0.0.0.0/0 and ::/0. Flows allowed by such
 *   rules in both directions are not tracked (EC2 user guide, "Security group connection
 *   tracking"), so an interface moved through it has no tracked connection left when it moves on
 *   to the isolation group, which drops untracked flows at once (AWS Security Incident Response
 *   Guide: isolating an instance). Without this step, established connections (the attacker's
 *   shell, a miner's pool) would outlive the isolation until they time out.
 * A group found with rules it should not have (someone added one) is put back to its rules.
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import type { ActionModule } from '../types';
import { ISOLATION_GROUP_NAME, PURPOSE_TAG, UNTRACK_GROUP_NAME } from './context';

export const isolationGroups = {
  action: 'ensure-isolation-groups',
  permissions: [
    'ec2:CreateSecurityGroup',
    'ec2:CreateTags',
    'ec2:RevokeSecurityGroupEgress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:AuthorizeSecurityGroupEgress',
  ],
  restorePermissions: [],
  resources: ['ec2:vpc', 'ec2:security-group'],
} as const satisfies ActionModule;

/** All traffic, every address: the untrack group's rules, in and out. */
const ALL_TRAFFIC: IpPermission[] = [
  { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
];

export interface IsolationGroups {
  readonly isolationGroupId: string;
  readonly untrackGroupId: string;
  /** What was made or repaired, for the outcome's detail; empty when both were in place. */
  readonly changes: readonly string[];
}

/** Cordon's groups as found, in every VPC: one read, before the instance's VPC is known. */
export async function findCordonGroups(ec2: EC2Client): Promise<readonly SecurityGroup[]> {
  const { SecurityGroups } = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [{ Name: 'group-name', Values: [ISOLATION_GROUP_NAME, UNTRACK_GROUP_NAME] }],
    }),
  );
  return SecurityGroups ?? [];
}

const isAllTraffic = (rules: readonly IpPermission[] | undefined) =>
  rules?.length === 1 &&
  rules[0].IpProtocol === '-1' &&
  (rules[0].IpRanges ?? []).some((r) => r.CidrIp === '0.0.0.0/0') &&
  (rules[0].Ipv6Ranges ?? []).some((r) => r.CidrIpv6 === '::/0');

/** The rules of a group, without what EC2 adds to a description (user-group pairs and such stay). */
const rulesOf = (rules: readonly IpPermission[] | undefined): IpPermission[] => [...(rules ?? [])];

async function createGroup(
  ec2: EC2Client,
  vpcId: string,
  name: string,
  purpose: string,
  description: string,
) {
  try {
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: name,
        VpcId: vpcId,
        Description: description,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: PURPOSE_TAG, Value: purpose }] }],
      }),
    );
    if (!GroupId) throw new Error(`CreateSecurityGroup ${name} returned no group id`);
    return { groupId: GroupId, created: true };
  } catch (thrown) {
    // Two isolations in one VPC at once: the other made it first.
    if ((thrown as { name?: unknown }).name !== 'InvalidGroup.Duplicate') throw thrown;
    const again = (await findCordonGroups(ec2)).find((g) => g.VpcId === vpcId && g.GroupName === name);
    if (!again?.GroupId) throw thrown;
    return { groupId: again.GroupId, created: false };
  }
}

/** The isolation group with no rule: made if missing; any rule found on it revoked. */
async function ensureIsolationGroup(
  ec2: EC2Client,
  vpcId: string,
  found: SecurityGroup | undefined,
  changes: string[],
) {
  const made = found?.GroupId
    ? { groupId: found.GroupId, created: false }
    : await createGroup(
        ec2,
        vpcId,
        ISOLATION_GROUP_NAME,
        'isolation',
        'Cordon: isolated instances, no traffic in or out',
      );
  // A new group has the default allow-all egress rule; a found one may have gained rules.
  const egress = made.created
    ? [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]
    : rulesOf(found?.IpPermissionsEgress);
  const ingress = made.created ? [] : rulesOf(found?.IpPermissions);
  await Promise.all([
    egress.length
      ? ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: made.groupId, IpPermissions: egress }))
      : undefined,
    ingress.length
      ? ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: made.groupId, IpPermissions: ingress }))
      : undefined,
  ]);
  if (made.created) changes.push(`made ${ISOLATION_GROUP_NAME} ${made.groupId} in ${vpcId}`);
  else if (egress.length || ingress.length)
    changes.push(
      `revoked ${ingress.length + egress.length} rule(s) someone added to ${ISOLATION_GROUP_NAME} ${made.groupId}`,
    );
  return made.groupId;
}

/** The untrack group allowing all traffic: made if missing; its rules completed if one is missing. */
async function ensureUntrackGroup(
  ec2: EC2Client,
  vpcId: string,
  found: SecurityGroup | undefined,
  changes: string[],
) {
  const made = found?.GroupId
    ? { groupId: found.GroupId, created: false }
    : await createGroup(
        ec2,
        vpcId,
        UNTRACK_GROUP_NAME,
        'untrack',
        'Cordon: passage that untracks connections before isolation',
      );
  const ingressOk = !made.created && isAllTraffic(found?.IpPermissions);
  // A new group has 0.0.0.0/0 egress already; ::/0 is added (AWS refuses a duplicate of the first).
  const egressOk = !made.created && isAllTraffic(found?.IpPermissionsEgress);
  await Promise.all([
    ingressOk
      ? undefined
      : ec2
          .send(
            new AuthorizeSecurityGroupIngressCommand({ GroupId: made.groupId, IpPermissions: ALL_TRAFFIC }),
          )
          .catch(ignoreDuplicate),
    egressOk
      ? undefined
      : ec2
          .send(
            new AuthorizeSecurityGroupEgressCommand({
              GroupId: made.groupId,
              IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
            }),
          )
          .catch(ignoreDuplicate),
  ]);
  if (made.created) changes.push(`made ${UNTRACK_GROUP_NAME} ${made.groupId} in ${vpcId}`);
  return made.groupId;
}

function ignoreDuplicate(thrown: unknown): void {
  if ((thrown as { name?: unknown }).name !== 'InvalidPermission.Duplicate') throw thrown;
}

/** Both groups in the VPC, from what findCordonGroups found. */
export async function ensureIsolationGroups(
  ec2: EC2Client,
  vpcId: string,
  found: readonly SecurityGroup[],
): Promise<IsolationGroups> {
  const inVpc = (name: string) => found.find((group) => group.VpcId === vpcId && group.GroupName === name);
  const changes: string[] = [];
  const [isolationGroupId, untrackGroupId] = await Promise.all([
    ensureIsolationGroup(ec2, vpcId, inVpc(ISOLATION_GROUP_NAME), changes),
    ensureUntrackGroup(ec2, vpcId, inVpc(UNTRACK_GROUP_NAME), changes),
  ]);
  return { isolationGroupId, untrackGroupId, changes };
}
