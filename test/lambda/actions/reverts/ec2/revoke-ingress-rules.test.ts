/**
 * revoke-ingress-rules' `changesOf` on every shape CloudTrail records (response rule ids, request
 * permissions with each kind of source, legacy top-level fields, a group named by name,
 * ModifySecurityGroupRules with one rule or a list) and on what it must not revert (a failed call,
 * egress, nothing added, another service); and its refusal of another account's change, with no call.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { revokeIngressRules } from '../../../../../lambda/actions/reverts/ec2/revoke-ingress-rules';
import type { RevertClients } from '../../../../../lambda/actions/reverts/types';
import { ec2Record, EMULATOR_ACCOUNT, NOW } from './support';

const GROUP = 'sg-0c1d2e3f4a5b69780';

const tcp = (port: number, sourceKind: string, source: string, extra: Record<string, unknown> = {}) => ({
  ipProtocol: 'tcp',
  fromPort: port,
  toPort: port,
  sourceKind,
  source,
  sourceOwner: null,
  description: null,
  ...extra,
});

describe('revoke-ingress-rules changesOf', () => {
  it('takes the ingress rule ids of the response, not its egress ones', () => {
    const record = ec2Record(
      'AuthorizeSecurityGroupIngress',
      { groupId: GROUP, ipPermissions: { items: [] } },
      {
        _return: true,
        securityGroupRuleSet: {
          items: [
            {
              isEgress: false,
              ipProtocol: 'tcp',
              fromPort: 22,
              toPort: 22,
              cidrIpv4: '0.0.0.0/0',
              groupId: GROUP,
              securityGroupRuleId: 'sgr-1',
            },
            {
              isEgress: true,
              ipProtocol: '-1',
              fromPort: -1,
              toPort: -1,
              cidrIpv4: '0.0.0.0/0',
              groupId: GROUP,
              securityGroupRuleId: 'sgr-2',
            },
            {
              isEgress: false,
              ipProtocol: 'tcp',
              fromPort: 80,
              toPort: 80,
              referencedGroupInfo: { groupId: 'sg-0aaa', userId: '111122223333' },
              groupId: GROUP,
              securityGroupRuleId: 'sgr-3',
            },
          ],
        },
      },
    );
    expect(revokeIngressRules.changesOf(record)).toEqual([
      {
        revert: 'revoke-ingress-rules',
        region: 'us-east-1',
        target: `security-group/${GROUP}`,
        eventId: record.eventID,
        eventName: 'AuthorizeSecurityGroupIngress',
        eventTime: record.eventTime,
        details: {
          accountId: EMULATOR_ACCOUNT,
          groupId: GROUP,
          groupName: null,
          how: 'authorized',
          rules: [
            { ruleId: 'sgr-1', rule: tcp(22, 'cidr-ipv4', '0.0.0.0/0') },
            { ruleId: 'sgr-3', rule: tcp(80, 'group', 'sg-0aaa', { sourceOwner: '111122223333' }) },
          ],
        },
      },
    ]);
  });

  it('takes every source of the request permissions when the response has no rule set', () => {
    const record = ec2Record(
      'AuthorizeSecurityGroupIngress',
      {
        groupId: GROUP,
        ipPermissions: {
          items: [
            {
              ipProtocol: '6',
              fromPort: 22,
              toPort: 22,
              ipRanges: { items: [{ cidrIp: '0.0.0.0/0', description: 'x' }, { cidrIp: '10.0.0.0/8' }] },
              ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] },
              prefixListIds: { items: [{ prefixListId: 'pl-0abc' }] },
              groups: { items: [{ groupId: 'sg-0bbb' }, { groupName: 'classic-only' }] },
            },
          ],
        },
      },
      { _return: true },
    );
    const [change] = revokeIngressRules.changesOf(record);
    expect(change.details.rules).toEqual([
      { ruleId: null, rule: tcp(22, 'cidr-ipv4', '0.0.0.0/0', { description: 'x' }) },
      { ruleId: null, rule: tcp(22, 'cidr-ipv4', '10.0.0.0/8') },
      { ruleId: null, rule: tcp(22, 'cidr-ipv6', '::/0') },
      { ruleId: null, rule: tcp(22, 'prefix-list', 'pl-0abc') },
      { ruleId: null, rule: tcp(22, 'group', 'sg-0bbb') },
    ]);
  });

  it('reads the legacy top-level fields of a default-VPC group named by name', () => {
    const record = ec2Record(
      'AuthorizeSecurityGroupIngress',
      {
        groupName: 'launch-wizard-1',
        ipProtocol: 'tcp',
        fromPort: '3389',
        toPort: '3389',
        cidrIp: '0.0.0.0/0',
      },
      null,
    );
    expect(revokeIngressRules.changesOf(record).map((c) => [c.target, c.details])).toEqual([
      [
        'security-group/launch-wizard-1',
        {
          accountId: EMULATOR_ACCOUNT,
          groupId: null,
          groupName: 'launch-wizard-1',
          how: 'authorized',
          rules: [{ ruleId: null, rule: tcp(3389, 'cidr-ipv4', '0.0.0.0/0') }],
        },
      ],
    ]);
  });

  it('reads ModifySecurityGroupRules with one rule or a list', () => {
    const one = {
      SecurityGroupRuleId: 'sgr-1',
      SecurityGroupRule: {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        CidrIpv4: '0.0.0.0/0',
        Description: '',
      },
    };
    const two = {
      SecurityGroupRuleId: 'sgr-2',
      SecurityGroupRule: { IpProtocol: '-1', CidrIpv6: '::/0' },
    };
    const single = revokeIngressRules.changesOf(
      ec2Record(
        'ModifySecurityGroupRules',
        { ModifySecurityGroupRulesRequest: { GroupId: GROUP, SecurityGroupRule: one } },
        {},
      ),
    );
    expect(single.map((c) => c.details.rules)).toEqual([
      [{ ruleId: 'sgr-1', rule: tcp(22, 'cidr-ipv4', '0.0.0.0/0') }],
    ]);
    const list = revokeIngressRules.changesOf(
      ec2Record(
        'ModifySecurityGroupRules',
        { ModifySecurityGroupRulesRequest: { GroupId: GROUP, SecurityGroupRule: [one, two] } },
        {},
      ),
    );
    expect(list[0].details).toEqual(
      expect.objectContaining({
        how: 'modified',
        rules: [
          { ruleId: 'sgr-1', rule: tcp(22, 'cidr-ipv4', '0.0.0.0/0') },
          {
            ruleId: 'sgr-2',
            rule: {
              ipProtocol: '-1',
              fromPort: -1,
              toPort: -1,
              sourceKind: 'cidr-ipv6',
              source: '::/0',
              sourceOwner: null,
              description: null,
            },
          },
        ],
      }),
    );
  });

  it.each([
    [
      'a failed call',
      ec2Record(
        'AuthorizeSecurityGroupIngress',
        { groupId: GROUP, cidrIp: '0.0.0.0/0', ipProtocol: 'tcp' },
        null,
        {
          errorCode: 'Client.InvalidPermission.Duplicate',
        },
      ),
    ],
    [
      'egress',
      ec2Record(
        'AuthorizeSecurityGroupEgress',
        { groupId: GROUP, cidrIp: '0.0.0.0/0', ipProtocol: 'tcp' },
        null,
      ),
    ],
    [
      'nothing added',
      ec2Record('AuthorizeSecurityGroupIngress', { groupId: GROUP, ipPermissions: {} }, { _return: true }),
    ],
    [
      'an egress-only rule set',
      ec2Record(
        'AuthorizeSecurityGroupIngress',
        { groupId: GROUP },
        {
          securityGroupRuleSet: {
            items: [
              { isEgress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0', securityGroupRuleId: 'sgr-9' },
            ],
          },
        },
      ),
    ],
    [
      'no group',
      ec2Record('AuthorizeSecurityGroupIngress', { cidrIp: '0.0.0.0/0', ipProtocol: 'tcp' }, null),
    ],
    [
      'a modify naming no rule',
      ec2Record('ModifySecurityGroupRules', { ModifySecurityGroupRulesRequest: { GroupId: GROUP } }, {}),
    ],
    [
      'another service',
      ec2Record('AuthorizeSecurityGroupIngress', { groupId: GROUP, cidrIp: '0.0.0.0/0' }, null, {
        eventSource: 'rds.amazonaws.com',
      }),
    ],
  ])('finds nothing in %s', (_, record) => {
    expect(revokeIngressRules.changesOf(record)).toEqual([]);
  });

  it.each([null, 42, 'text', [], {}, { eventName: 'AuthorizeSecurityGroupIngress', requestParameters: 'x' }])(
    'never throws on %p',
    (value) => {
      expect(revokeIngressRules.changesOf(value as never)).toEqual([]);
    },
  );
});

describe('revoke-ingress-rules in another account', () => {
  it('fails without a call when the record is of another account', async () => {
    const ec2 = mockClient(EC2Client);
    const client = new EC2Client({ region: 'us-east-1' });
    const [change] = revokeIngressRules.changesOf(
      ec2Record(
        'AuthorizeSecurityGroupIngress',
        { groupId: GROUP, ipProtocol: 'tcp', cidrIp: '0.0.0.0/0' },
        null,
        {
          recipientAccountId: '999988887777',
        },
      ),
    );
    const clients = { ec2: () => client } as unknown as RevertClients;
    const outcomes = await revokeIngressRules.revert(change, {
      clients,
      accountId: EMULATOR_ACCOUNT,
      incidentId: 'inc',
      dryRun: false,
      now: NOW,
      options: { terminateInstances: false },
    });
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.objectContaining({ name: 'OtherAccount' }) }),
    ]);
    expect(ec2.calls()).toHaveLength(0);
    ec2.restore();
  });
});
