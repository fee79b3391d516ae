/**
 * Security group ingress rules as plain JSON, read from every shape CloudTrail records them in and
 * from EC2's own answers, so that a revert can find the exact rules an event added, revoke them and
 * authorize them back. A rule has one source (an IPv4 or IPv6 range, a prefix list, or another
 * group), as EC2 itself stores one rule per source (`securityGroupRuleId`).
 */
import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { at, itemsOf, stringAt } from '../record-fields';

export type RuleSourceKind = 'cidr-ipv4' | 'cidr-ipv6' | 'prefix-list' | 'group';

/** One ingress rule: protocol, ports (-1 when all), one source, and its description (null when none). */
export type IngressRule = {
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all), or another protocol number. */
  readonly ipProtocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly sourceKind: RuleSourceKind;
  /** The CIDR block, prefix list id or referenced group id. */
  readonly source: string;
  /** The referenced group's account, for a group source (null otherwise or when unsaid). */
  readonly sourceOwner: string | null;
  readonly description: string | null;
};

/** EC2 stores these protocol numbers under their names. */
const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
  '58': 'icmpv6',
  all: '-1',
};

function protocolOf(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  if (text === undefined || text === '') return undefined;
  const lower = text.toLowerCase();
  return PROTOCOL_NAMES[lower] ?? lower;
}

function portOf(value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : -1;
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function rule(
  protocol: string,
  fromPort: unknown,
  toPort: unknown,
  sourceKind: RuleSourceKind,
  source: string,
  sourceOwner: string | null,
  description: unknown,
): IngressRule {
  const allTraffic = protocol === '-1';
  return {
    ipProtocol: protocol,
    fromPort: allTraffic ? -1 : portOf(fromPort),
    toPort: allTraffic ? -1 : portOf(toPort),
    sourceKind,
    source,
    sourceOwner,
    description: textOf(description),
  };
}

/**
 * The rules of one CloudTrail `ipPermissions` item (`ipRanges`, `ipv6Ranges`, `prefixListIds`,
 * `groups`, each `{items: [...]}` or absent); a group named only by name (EC2-Classic style) has
 * no id to revoke by and is left out.
 */
export function rulesOfRecordedPermission(permission: unknown): readonly IngressRule[] {
  const protocol = protocolOf(at(permission, 'ipProtocol'));
  if (!protocol) return [];
  const from = at(permission, 'fromPort');
  const to = at(permission, 'toPort');
  const of = (
    kind: RuleSourceKind,
    source: string | undefined,
    owner: string | null,
    description: unknown,
  ) => (source ? [rule(protocol, from, to, kind, source, owner, description)] : []);
  return [
    ...itemsOf(at(permission, 'ipRanges')).flatMap((range) =>
      of('cidr-ipv4', stringAt(range, 'cidrIp'), null, at(range, 'description')),
    ),
    ...itemsOf(at(permission, 'ipv6Ranges')).flatMap((range) =>
      of('cidr-ipv6', stringAt(range, 'cidrIpv6'), null, at(range, 'description')),
    ),
    ...itemsOf(at(permission, 'prefixListIds')).flatMap((list) =>
      of('prefix-list', stringAt(list, 'prefixListId'), null, at(list, 'description')),
    ),
    ...itemsOf(at(permission, 'groups')).flatMap((pair) =>
      of('group', stringAt(pair, 'groupId'), textOf(at(pair, 'userId')), at(pair, 'description')),
    ),
  ];
}

/**
 * The rules an AuthorizeSecurityGroupIngress request asks for: its `ipPermissions.items[]` and the
 * legacy top-level `ipProtocol`/`fromPort`/`toPort`/`cidrIp` (or `sourceSecurityGroupId`).
 */
export function rulesOfRequest(requestParameters: unknown): readonly IngressRule[] {
  const fromPermissions = itemsOf(at(requestParameters, 'ipPermissions')).flatMap(rulesOfRecordedPermission);
  const protocol = protocolOf(at(requestParameters, 'ipProtocol')) ?? '-1';
  const cidr = stringAt(requestParameters, 'cidrIp');
  const group = stringAt(requestParameters, 'sourceSecurityGroupId');
  const from = at(requestParameters, 'fromPort');
  const to = at(requestParameters, 'toPort');
  const legacy = [
    ...(cidr ? [rule(protocol, from, to, 'cidr-ipv4', cidr, null, null)] : []),
    ...(group
      ? [
          rule(
            protocol,
            from,
            to,
            'group',
            group,
            textOf(at(requestParameters, 'sourceSecurityGroupOwnerId')),
            null,
          ),
        ]
      : []),
  ];
  return [...fromPermissions, ...legacy];
}

/** A rule as a response's `securityGroupRuleSet` item or a ModifySecurityGroupRules request spells it. */
function ruleOfFlatFields(fields: unknown, names: FlatFieldNames): IngressRule | undefined {
  const protocol = protocolOf(at(fields, names.ipProtocol));
  if (!protocol) return undefined;
  const from = at(fields, names.fromPort);
  const to = at(fields, names.toPort);
  const description = at(fields, names.description);
  const ipv4 = stringAt(fields, names.cidrIpv4);
  if (ipv4) return rule(protocol, from, to, 'cidr-ipv4', ipv4, null, description);
  const ipv6 = stringAt(fields, names.cidrIpv6);
  if (ipv6) return rule(protocol, from, to, 'cidr-ipv6', ipv6, null, description);
  const prefixList = stringAt(fields, names.prefixListId);
  if (prefixList) return rule(protocol, from, to, 'prefix-list', prefixList, null, description);
  const group = stringAt(fields, ...names.groupId);
  if (group)
    return rule(protocol, from, to, 'group', group, textOf(at(fields, ...names.groupOwner)), description);
  return undefined;
}

interface FlatFieldNames {
  readonly ipProtocol: string;
  readonly fromPort: string;
  readonly toPort: string;
  readonly cidrIpv4: string;
  readonly cidrIpv6: string;
  readonly prefixListId: string;
  readonly description: string;
  readonly groupId: readonly string[];
  readonly groupOwner: readonly string[];
}

const RECORDED_RULE_FIELDS: FlatFieldNames = {
  ipProtocol: 'ipProtocol',
  fromPort: 'fromPort',
  toPort: 'toPort',
  cidrIpv4: 'cidrIpv4',
  cidrIpv6: 'cidrIpv6',
  prefixListId: 'prefixListId',
  description: 'description',
  groupId: ['referencedGroupInfo', 'groupId'],
  groupOwner: ['referencedGroupInfo', 'userId'],
};

const REQUESTED_RULE_FIELDS: FlatFieldNames = {
  ipProtocol: 'IpProtocol',
  fromPort: 'FromPort',
  toPort: 'ToPort',
  cidrIpv4: 'CidrIpv4',
  cidrIpv6: 'CidrIpv6',
  prefixListId: 'PrefixListId',
  description: 'Description',
  groupId: ['ReferencedGroupId'],
  groupOwner: ['ReferencedGroupOwnerId'],
};

/** A rule with the id EC2 gave it. */
export type IdentifiedRule = { readonly ruleId: string; readonly rule: IngressRule };

/** The ingress rules (not `isEgress`) of a response's `securityGroupRuleSet.items[]` that name their id. */
export function ingressRulesOfResponse(responseElements: unknown): readonly IdentifiedRule[] {
  return itemsOf(at(responseElements, 'securityGroupRuleSet')).flatMap((item) => {
    const ruleId = stringAt(item, 'securityGroupRuleId');
    const egress = at(item, 'isEgress');
    if (!ruleId || egress === true || egress === 'true') return [];
    const parsed = ruleOfFlatFields(item, RECORDED_RULE_FIELDS);
    return parsed ? [{ ruleId, rule: parsed }] : [];
  });
}

/** The rules a ModifySecurityGroupRules request sets: `SecurityGroupRule` (one or a list), each by id. */
export function rulesOfModifyRequest(requestParameters: unknown): {
  readonly groupId: string | undefined;
  readonly rules: readonly IdentifiedRule[];
} {
  const request = at(requestParameters, 'ModifySecurityGroupRulesRequest') ?? requestParameters;
  const rules = itemsOf(at(request, 'SecurityGroupRule')).flatMap((update) => {
    const ruleId = stringAt(update, 'SecurityGroupRuleId');
    const parsed = ruleOfFlatFields(at(update, 'SecurityGroupRule'), REQUESTED_RULE_FIELDS);
    return ruleId && parsed ? [{ ruleId, rule: parsed }] : [];
  });
  return { groupId: stringAt(request, 'GroupId'), rules };
}

/** A rule as DescribeSecurityGroupRules answers it, with its id and direction. */
export type ExistingRule = IdentifiedRule & { readonly egress: boolean; readonly groupId: string | null };

export function ruleOfSdk(sdkRule: SecurityGroupRule): ExistingRule | undefined {
  const parsed = ruleOfFlatFields(
    {
      ...sdkRule,
      ReferencedGroupId: sdkRule.ReferencedGroupInfo?.GroupId,
      ReferencedGroupOwnerId: sdkRule.ReferencedGroupInfo?.UserId,
    },
    REQUESTED_RULE_FIELDS,
  );
  if (!parsed || !sdkRule.SecurityGroupRuleId) return undefined;
  return {
    ruleId: sdkRule.SecurityGroupRuleId,
    rule: parsed,
    egress: sdkRule.IsEgress === true,
    groupId: sdkRule.GroupId ?? null,
  };
}

/** Whether two rules allow the same traffic from the same source (descriptions aside). */
export function sameRule(a: IngressRule, b: IngressRule): boolean {
  return (
    a.ipProtocol === b.ipProtocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    a.sourceKind === b.sourceKind &&
    a.source === b.source
  );
}

/**
 * The rule as an IpPermission for Revoke/AuthorizeSecurityGroupIngress: exactly this source.
 * `withDescription` for authorizing it back as it was; a revoke matches rules regardless.
 */
export function permissionOf(ingress: IngressRule, withDescription: boolean): IpPermission {
  const description = withDescription && ingress.description ? { Description: ingress.description } : {};
  const ports = ingress.ipProtocol === '-1' ? {} : { FromPort: ingress.fromPort, ToPort: ingress.toPort };
  const base: IpPermission = { IpProtocol: ingress.ipProtocol, ...ports };
  switch (ingress.sourceKind) {
    case 'cidr-ipv4':
      return { ...base, IpRanges: [{ CidrIp: ingress.source, ...description }] };
    case 'cidr-ipv6':
      return { ...base, Ipv6Ranges: [{ CidrIpv6: ingress.source, ...description }] };
    case 'prefix-list':
      return { ...base, PrefixListIds: [{ PrefixListId: ingress.source, ...description }] };
    case 'group':
      return {
        ...base,
        UserIdGroupPairs: [
          {
            GroupId: ingress.source,
            ...(ingress.sourceOwner ? { UserId: ingress.sourceOwner } : {}),
            ...description,
          },
        ],
      };
  }
}

/** `tcp 22 from 0.0.0.0/0`: a rule in words. */
export function describeRule(ingress: IngressRule): string {
  const protocol = ingress.ipProtocol === '-1' ? 'all traffic' : ingress.ipProtocol;
  const ports =
    ingress.ipProtocol === '-1' || ingress.fromPort === -1
      ? ''
      : ingress.fromPort === ingress.toPort
        ? ` ${ingress.fromPort}`
        : ` ${ingress.fromPort}-${ingress.toPort}`;
  const source = ingress.sourceKind === 'group' ? `group ${ingress.source}` : ingress.source;
  return `${protocol}${ports} from ${source}`;
}
