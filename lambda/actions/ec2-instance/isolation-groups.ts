/**
 * Cordon's two security groups in a VPC, made on first use and reused by every later isolation
 * there (network-interfaces.ts says why there are two):
 * - `cordon-isolation` (tag `cordon:purpose=isolation`): no inbound and no outbound rule, where an
 *   isolated instance ends. CreateSecurityGroup gives a new group an allow-all egress rule (IPv4,
 *   and IPv6 in a VPC with an IPv6 block): both are revoked. A group found with rules (someone
 *   added one: it is shared by every isolated instance of the VPC) has them revoked, and the
 *   outcome says so.
 * - `cordon-isolation-untrack` (tag `cordon:purpose=untrack`): all traffic in and out, 0.0.0.0/0
 *   and ::/0. A rule found missing is put back.
 * Both are found by name in one read across every VPC, beside the instance's read, so that the
 * network path does not wait for the instance's VPC to be known. Two isolations in one VPC at once
 * both try to make a group: the second is refused (`InvalidGroup.Duplicate`) and reads the
 * group the first made, filtered by VPC and name.
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  paginateDescribeSecurityGroups,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type Filter,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { attempt, errorOf, type ActionError, type ActionModule } from '../types';
import {
  describeError,
  errorName,
  ISOLATION_GROUP_NAME,
  ISOLATION_PURPOSE,
  PURPOSE_TAG,
  UNTRACK_GROUP_NAME,
  UNTRACK_PURPOSE,
} from './context';

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

/** All traffic to or from every IPv4 address, and every IPv6 address: one rule each. */
const ALL_IPV4: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const ALL_IPV6: IpPermission = { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] };

export interface IsolationGroups {
  readonly isolationGroupId: string;
  /** Null when the untrack group could not be made: interfaces then go straight to isolation. */
  readonly untrackGroupId: string | null;
  /** Why the untrack group is missing or lacks a rule (its passage would not untrack connections). */
  readonly untrackProblem: string | null;
  /** What was made or repaired, for the outcome's detail; empty when both were in place. */
  readonly changes: readonly string[];
}

async function describeGroups(ec2: EC2Client, filters: Filter[]): Promise<SecurityGroup[]> {
  const groups: SecurityGroup[] = [];
  for await (const page of paginateDescribeSecurityGroups({ client: ec2 }, { Filters: filters })) {
    groups.push(...(page.SecurityGroups ?? []));
  }
  return groups;
}

/** Cordon's groups as found, in every VPC: one read, made before the instance's VPC is known. */
export function findCordonGroups(ec2: EC2Client): Promise<readonly SecurityGroup[]> {
  return describeGroups(ec2, [{ Name: 'group-name', Values: [ISOLATION_GROUP_NAME, UNTRACK_GROUP_NAME] }]);
}

/** One of Cordon's groups in one VPC, as found now. */
async function findInVpc(ec2: EC2Client, vpcId: string, name: string): Promise<SecurityGroup | undefined> {
  const groups = await describeGroups(ec2, [
    { Name: 'vpc-id', Values: [vpcId] },
    { Name: 'group-name', Values: [name] },
  ]);
  return groups.find((group) => group.GroupId);
}

/** The group of this name in this VPC among those found. */
export function groupIn(
  found: readonly SecurityGroup[],
  vpcId: string,
  name: string,
): SecurityGroup | undefined {
  return found.find((group) => group.VpcId === vpcId && group.GroupName === name && group.GroupId);
}

/**
 * A group's rules one by one (one address range, prefix list or group per permission), as a
 * revoke takes them: revoked one by one, a rule removed meanwhile by someone else does not stop
 * the others. Descriptions are left out; a revoke matches without them.
 */
export function singleRules(permissions: readonly IpPermission[] | undefined): IpPermission[] {
  return (permissions ?? []).flatMap((permission) => {
    const { IpProtocol, FromPort, ToPort } = permission;
    const base: IpPermission = { IpProtocol, FromPort, ToPort };
    return [
      ...(permission.IpRanges ?? []).map((r) => ({ ...base, IpRanges: [{ CidrIp: r.CidrIp }] })),
      ...(permission.Ipv6Ranges ?? []).map((r) => ({ ...base, Ipv6Ranges: [{ CidrIpv6: r.CidrIpv6 }] })),
      ...(permission.PrefixListIds ?? []).map((p) => ({
        ...base,
        PrefixListIds: [{ PrefixListId: p.PrefixListId }],
      })),
      ...(permission.UserIdGroupPairs ?? []).map((pair) => ({
        ...base,
        UserIdGroupPairs: [{ GroupId: pair.GroupId, UserId: pair.UserId }],
      })),
    ];
  });
}

/** Whether the rules allow all traffic from (or to) every address of the family, in one rule. */
const allowsAll = (permissions: readonly IpPermission[] | undefined, family: 'v4' | 'v6') =>
  (permissions ?? []).some(
    (p) =>
      p.IpProtocol === '-1' &&
      (family === 'v4'
        ? (p.IpRanges ?? []).some((r) => r.CidrIp === '0.0.0.0/0')
        : (p.Ipv6Ranges ?? []).some((r) => r.CidrIpv6 === '::/0')),
  );

type Direction = 'ingress' | 'egress';
interface Rule {
  readonly direction: Direction;
  readonly permission: IpPermission;
}

/** The allow-all rules the untrack group lacks, as found (a new group has the IPv4 egress only). */
export function missingUntrackRules(group: SecurityGroup | undefined): Rule[] {
  const rules: Rule[] = [];
  for (const [direction, permissions] of [
    ['ingress', group?.IpPermissions],
    ['egress', group?.IpPermissionsEgress],
  ] as const) {
    if (!allowsAll(permissions, 'v4') && (group || direction === 'ingress'))
      rules.push({ direction, permission: ALL_IPV4 });
    if (!allowsAll(permissions, 'v6')) rules.push({ direction, permission: ALL_IPV6 });
  }
  return rules;
}

/** The rules the isolation group must lose, as found. */
export function strayIsolationRules(group: SecurityGroup): Rule[] {
  return [
    ...singleRules(group.IpPermissions).map((permission) => ({ direction: 'ingress' as const, permission })),
    ...singleRules(group.IpPermissionsEgress).map((permission) => ({
      direction: 'egress' as const,
      permission,
    })),
  ];
}

/** What a real run would change in the VPC, from what was found: for a dry run's outcome. */
export function plannedChanges(found: readonly SecurityGroup[], vpcId: string): string[] {
  const isolation = groupIn(found, vpcId, ISOLATION_GROUP_NAME);
  const untrack = groupIn(found, vpcId, UNTRACK_GROUP_NAME);
  const stray = isolation ? strayIsolationRules(isolation).length : 0;
  const missing = untrack ? missingUntrackRules(untrack).length : 0;
  return [
    ...(isolation ? [] : [`would make ${ISOLATION_GROUP_NAME} in ${vpcId} (no rule in or out)`]),
    ...(stray
      ? [`would revoke ${stray} rule(s) someone added to ${ISOLATION_GROUP_NAME} ${isolation?.GroupId}`]
      : []),
    ...(untrack ? [] : [`would make ${UNTRACK_GROUP_NAME} in ${vpcId} (all traffic in and out)`]),
    ...(missing
      ? [`would put back ${missing} allow-all rule(s) of ${UNTRACK_GROUP_NAME} ${untrack?.GroupId}`]
      : []),
  ];
}

function revoke(ec2: EC2Client, groupId: string, rule: Rule): Promise<ActionError | undefined> {
  const input = { GroupId: groupId, IpPermissions: [rule.permission] };
  return attempt(async () => {
    try {
      if (rule.direction === 'ingress') await ec2.send(new RevokeSecurityGroupIngressCommand(input));
      else await ec2.send(new RevokeSecurityGroupEgressCommand(input));
    } catch (thrown) {
      // Gone already (revoked by a concurrent isolation, or never there): what was wanted.
      if (errorName(thrown) !== 'InvalidPermission.NotFound') throw thrown;
    }
  });
}

function authorize(ec2: EC2Client, groupId: string, rule: Rule): Promise<ActionError | undefined> {
  const input = { GroupId: groupId, IpPermissions: [rule.permission] };
  return attempt(async () => {
    try {
      if (rule.direction === 'ingress') await ec2.send(new AuthorizeSecurityGroupIngressCommand(input));
      else await ec2.send(new AuthorizeSecurityGroupEgressCommand(input));
    } catch (thrown) {
      if (errorName(thrown) !== 'InvalidPermission.Duplicate') throw thrown;
    }
  });
}

/** The group made, or, when another isolation made it at the same moment, the group it made, as read now. */
async function createGroup(
  ec2: EC2Client,
  vpcId: string,
  name: string,
  purpose: string,
  description: string,
): Promise<{ readonly groupId: string; readonly created: boolean; readonly found?: SecurityGroup }> {
  try {
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: name,
        VpcId: vpcId,
        Description: description,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: PURPOSE_TAG, Value: purpose }] }],
      }),
    );
    if (!GroupId) throw new Error(`CreateSecurityGroup ${name} answered no group id`);
    return { groupId: GroupId, created: true };
  } catch (thrown) {
    if (errorName(thrown) !== 'InvalidGroup.Duplicate') throw thrown;
    const found = await findInVpc(ec2, vpcId, name);
    if (!found?.GroupId) throw thrown;
    return { groupId: found.GroupId, created: false, found };
  }
}

/** The isolation group with no rule: made if missing; every rule found on it revoked. Throws if a rule stays. */
async function ensureIsolationGroup(
  ec2: EC2Client,
  vpcId: string,
  found: SecurityGroup | undefined,
  changes: string[],
): Promise<string> {
  const made = found?.GroupId
    ? { groupId: found.GroupId, created: false, found }
    : await createGroup(
        ec2,
        vpcId,
        ISOLATION_GROUP_NAME,
        ISOLATION_PURPOSE,
        'Cordon: isolated instances, no traffic in or out',
      );
  // A new group has the default allow-all egress (IPv6 too in a VPC with an IPv6 block).
  const stray = made.created
    ? [
        { direction: 'egress' as const, permission: ALL_IPV4 },
        { direction: 'egress' as const, permission: ALL_IPV6 },
      ]
    : made.found
      ? strayIsolationRules(made.found)
      : [];
  const errors = (await Promise.all(stray.map((rule) => revoke(ec2, made.groupId, rule)))).filter(
    (error): error is ActionError => error !== undefined,
  );
  if (errors.length) {
    throw new Error(
      `${ISOLATION_GROUP_NAME} ${made.groupId} keeps rule(s) that could not be revoked (${describeError(errors[0])})`,
    );
  }
  if (made.created)
    changes.push(
      `made ${ISOLATION_GROUP_NAME} ${made.groupId} in ${vpcId}, its default egress revoked: no rule in or out`,
    );
  else if (!found)
    changes.push(
      `${ISOLATION_GROUP_NAME} ${made.groupId} was made at the same moment by another isolation: used it${stray.length ? `, ${stray.length} rule(s) revoked` : ''}`,
    );
  else if (stray.length)
    changes.push(`revoked ${stray.length} rule(s) someone added to ${ISOLATION_GROUP_NAME} ${made.groupId}`);
  return made.groupId;
}

/** The untrack group allowing all traffic: made if missing, a missing rule put back. Never throws. */
async function ensureUntrackGroup(
  ec2: EC2Client,
  vpcId: string,
  found: SecurityGroup | undefined,
  changes: string[],
): Promise<{ readonly groupId: string | null; readonly problem: string | null }> {
  let made;
  try {
    made = found?.GroupId
      ? { groupId: found.GroupId, created: false, found }
      : await createGroup(
          ec2,
          vpcId,
          UNTRACK_GROUP_NAME,
          UNTRACK_PURPOSE,
          'Cordon: passage that untracks connections before isolation',
        );
  } catch (thrown) {
    return {
      groupId: null,
      problem: `${UNTRACK_GROUP_NAME} could not be made (${describeError(errorOf(thrown))})`,
    };
  }
  const missing = missingUntrackRules(made.found);
  const errors = (await Promise.all(missing.map((rule) => authorize(ec2, made.groupId, rule)))).filter(
    (error): error is ActionError => error !== undefined,
  );
  if (made.created)
    changes.push(`made ${UNTRACK_GROUP_NAME} ${made.groupId} in ${vpcId}: all traffic in and out`);
  else if (!found)
    changes.push(
      `${UNTRACK_GROUP_NAME} ${made.groupId} was made at the same moment by another isolation: used it`,
    );
  else if (missing.length > errors.length)
    changes.push(
      `put back ${missing.length - errors.length} allow-all rule(s) of ${UNTRACK_GROUP_NAME} ${made.groupId}`,
    );
  return {
    groupId: made.groupId,
    problem: errors.length
      ? `${UNTRACK_GROUP_NAME} ${made.groupId} lacks an allow-all rule (${describeError(errors[0])})`
      : null,
  };
}

/** Both groups in the VPC, from what findCordonGroups found. Throws only when the isolation group cannot be had. */
export async function ensureIsolationGroups(
  ec2: EC2Client,
  vpcId: string,
  found: readonly SecurityGroup[],
): Promise<IsolationGroups> {
  // Each group's changes apart, so that the detail reads in one order whichever answers first.
  const isolationChanges: string[] = [];
  const untrackChanges: string[] = [];
  const [isolationGroupId, untrack] = await Promise.all([
    ensureIsolationGroup(ec2, vpcId, groupIn(found, vpcId, ISOLATION_GROUP_NAME), isolationChanges),
    ensureUntrackGroup(ec2, vpcId, groupIn(found, vpcId, UNTRACK_GROUP_NAME), untrackChanges),
  ]);
  return {
    isolationGroupId,
    untrackGroupId: untrack.groupId,
    untrackProblem: untrack.problem,
    changes: [...isolationChanges, ...untrackChanges],
  };
}
