/**
 * The ingress rule model: protocol numbers read as EC2 stores them, all-traffic rules without
 * ports, one IpPermission per rule with exactly its source (description only when authorizing back),
 * and rules compared by what they allow, not by their description.
 */
import {
  describeRule,
  permissionOf,
  rulesOfRecordedPermission,
  sameRule,
  type IngressRule,
} from '../../../../../lambda/actions/reverts/ec2/ingress-rules';

const world: IngressRule = {
  ipProtocol: 'tcp',
  fromPort: 22,
  toPort: 22,
  sourceKind: 'cidr-ipv4',
  source: '0.0.0.0/0',
  sourceOwner: null,
  description: 'temporary',
};

describe('ingress rules', () => {
  it('reads protocol numbers by name and gives all-traffic rules no ports', () => {
    expect(
      rulesOfRecordedPermission({
        ipProtocol: '17',
        fromPort: 53,
        toPort: 53,
        ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] },
      }),
    ).toEqual([{ ...world, ipProtocol: 'udp', fromPort: 53, toPort: 53, description: null }]);
    expect(
      rulesOfRecordedPermission({
        ipProtocol: 'all',
        fromPort: 0,
        toPort: 65535,
        ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] },
      }),
    ).toEqual([
      {
        ipProtocol: '-1',
        fromPort: -1,
        toPort: -1,
        sourceKind: 'cidr-ipv6',
        source: '::/0',
        sourceOwner: null,
        description: null,
      },
    ]);
  });

  it('makes one permission with exactly the rule source, its description only when asked', () => {
    expect(permissionOf(world, false)).toEqual({
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: '0.0.0.0/0' }],
    });
    expect(permissionOf(world, true)).toEqual({
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'temporary' }],
    });
    expect(
      permissionOf(
        { ...world, ipProtocol: '-1', sourceKind: 'group', source: 'sg-0a', sourceOwner: '111122223333' },
        false,
      ),
    ).toEqual({
      IpProtocol: '-1',
      UserIdGroupPairs: [{ GroupId: 'sg-0a', UserId: '111122223333' }],
    });
    expect(
      permissionOf({ ...world, sourceKind: 'prefix-list', source: 'pl-0a' }, false).PrefixListIds,
    ).toEqual([{ PrefixListId: 'pl-0a' }]);
    expect(permissionOf({ ...world, sourceKind: 'cidr-ipv6', source: '::/0' }, false).Ipv6Ranges).toEqual([
      { CidrIpv6: '::/0' },
    ]);
  });

  it('compares rules by what they allow', () => {
    expect(sameRule(world, { ...world, description: null })).toBe(true);
    expect(sameRule(world, { ...world, toPort: 23 })).toBe(false);
    expect(sameRule(world, { ...world, source: '0.0.0.0/1' })).toBe(false);
    expect(sameRule(world, { ...world, sourceKind: 'prefix-list' })).toBe(false);
  });

  it('says a rule in words', () => {
    expect(describeRule(world)).toBe('tcp 22 from 0.0.0.0/0');
    expect(describeRule({ ...world, toPort: 25 })).toBe('tcp 22-25 from 0.0.0.0/0');
    expect(describeRule({ ...world, ipProtocol: '-1', fromPort: -1, toPort: -1 })).toBe(
      'all traffic from 0.0.0.0/0',
    );
  });
});
