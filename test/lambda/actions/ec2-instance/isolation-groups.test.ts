/** The pure parts of Cordon's groups: what a found group lacks or has too much of, and the dry run's plan. */
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import {
  missingUntrackRules,
  plannedChanges,
  singleRules,
  strayIsolationRules,
} from '../../../../lambda/actions/ec2-instance/isolation-groups';

const ALL_V4 = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const ALL_V6 = { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] };
const ALL_BOTH = {
  IpProtocol: '-1',
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
  Ipv6Ranges: [{ CidrIpv6: '::/0' }],
};

describe("Cordon's security groups", () => {
  it('splits a group’s permissions into single rules, without descriptions, as a revoke takes them', () => {
    expect(
      singleRules([
        {
          IpProtocol: 'tcp',
          FromPort: 22,
          ToPort: 22,
          IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'office' }, { CidrIp: '192.0.2.0/24' }],
          Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }],
          PrefixListIds: [{ PrefixListId: 'pl-1', Description: 's3' }],
          UserIdGroupPairs: [
            { GroupId: 'sg-1', UserId: '123456789012', GroupName: 'x', PeeringStatus: 'active' },
          ],
        },
      ]),
    ).toEqual([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '192.0.2.0/24' }] },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }] },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{ PrefixListId: 'pl-1' }] },
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        UserIdGroupPairs: [{ GroupId: 'sg-1', UserId: '123456789012' }],
      },
    ]);
    expect(singleRules(undefined)).toEqual([]);
  });

  it('lists the allow-all rules an untrack group lacks: a new one has only the IPv4 egress', () => {
    expect(missingUntrackRules(undefined)).toEqual([
      { direction: 'ingress', permission: ALL_V4 },
      { direction: 'ingress', permission: ALL_V6 },
      { direction: 'egress', permission: ALL_V6 },
    ]);
    expect(missingUntrackRules({ IpPermissions: [ALL_BOTH], IpPermissionsEgress: [ALL_V4, ALL_V6] })).toEqual(
      [],
    );
    // Found without its IPv4 egress (someone revoked it): put back too.
    expect(missingUntrackRules({ IpPermissions: [ALL_V4, ALL_V6], IpPermissionsEgress: [ALL_V6] })).toEqual([
      { direction: 'egress', permission: ALL_V4 },
    ]);
    // A narrower rule is not an allow-all one.
    expect(
      missingUntrackRules({
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          ALL_V6,
        ],
        IpPermissionsEgress: [ALL_BOTH],
      }),
    ).toEqual([{ direction: 'ingress', permission: ALL_V4 }]);
  });

  it('lists every rule found on the isolation group as stray, in and out', () => {
    expect(
      strayIsolationRules({
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        IpPermissionsEgress: [ALL_BOTH],
      }),
    ).toEqual([
      {
        direction: 'ingress',
        permission: { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      },
      { direction: 'egress', permission: { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] } },
      { direction: 'egress', permission: { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] } },
    ]);
    expect(strayIsolationRules({ IpPermissions: [], IpPermissionsEgress: [] })).toEqual([]);
  });

  it('plans, for a dry run, what the VPC lacks and only there', () => {
    const groups: SecurityGroup[] = [
      {
        GroupId: 'sg-iso',
        GroupName: 'cordon-isolation',
        VpcId: 'vpc-a',
        IpPermissions: [],
        IpPermissionsEgress: [ALL_V4],
      },
      {
        GroupId: 'sg-unt',
        GroupName: 'cordon-isolation-untrack',
        VpcId: 'vpc-a',
        IpPermissions: [ALL_BOTH],
        IpPermissionsEgress: [ALL_BOTH],
      },
      {
        GroupId: 'sg-other',
        GroupName: 'cordon-isolation',
        VpcId: 'vpc-b',
        IpPermissions: [],
        IpPermissionsEgress: [],
      },
    ];
    expect(plannedChanges(groups, 'vpc-a')).toEqual([
      'would revoke 1 rule(s) someone added to cordon-isolation sg-iso',
    ]);
    expect(plannedChanges(groups, 'vpc-b')).toEqual([
      'would make cordon-isolation-untrack in vpc-b (all traffic in and out)',
    ]);
    expect(plannedChanges(groups, 'vpc-c')).toEqual([
      'would make cordon-isolation in vpc-c (no rule in or out)',
      'would make cordon-isolation-untrack in vpc-c (all traffic in and out)',
    ]);
  });
});
