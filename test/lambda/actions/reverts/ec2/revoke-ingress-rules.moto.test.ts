/**
 * revoke-ingress-rules on moto: the attacker's AuthorizeSecurityGroupIngress (every recorded shape)
 * and ModifySecurityGroupRules are applied with the SDK, recorded in CloudTrail's format with moto's
 * ids, found by `changesOf`, planned on a dry run, revoked (the rest of the group untouched),
 * already done the second time, and authorized back by `undo`.
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  ModifySecurityGroupRulesCommand,
  type EC2Client,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { revokeIngressRules } from '../../../../../lambda/actions/reverts/ec2/revoke-ingress-rules';
import { uniqueName } from '../../../../support/moto';
import { ec2Record, emulatorEc2, revertContext, undoContext } from './support';

const ec2: EC2Client = emulatorEc2();

/** A group's ingress rules as `protocol from-to source`, sorted: what a read-back compares. */
async function ingressOf(groupId: string): Promise<string[]> {
  const { SecurityGroupRules } = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return (SecurityGroupRules ?? [])
    .filter((rule) => !rule.IsEgress)
    .map(
      (rule) =>
        `${rule.IpProtocol} ${rule.FromPort}-${rule.ToPort} ${rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.ReferencedGroupInfo?.GroupId ?? rule.PrefixListId}${rule.Description ? ` (${rule.Description})` : ''}`,
    )
    .sort();
}

async function stageGroup(vpcId?: string): Promise<{ groupId: string; groupName: string }> {
  const groupName = uniqueName('web');
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: groupName,
      Description: 'web tier',
      ...(vpcId ? { VpcId: vpcId } : {}),
    }),
  );
  return { groupId: GroupId!, groupName };
}

async function stageVpcGroup(): Promise<{ groupId: string; groupName: string }> {
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }));
  return stageGroup(Vpc!.VpcId);
}

/** The response's `securityGroupRuleSet`, as CloudTrail records it, from EC2's rules. */
function ruleSetOf(rules: readonly SecurityGroupRule[]) {
  return {
    items: rules.map((rule) => ({
      groupOwnerId: '123456789012',
      isEgress: rule.IsEgress,
      ipProtocol: rule.IpProtocol,
      fromPort: rule.FromPort,
      toPort: rule.ToPort,
      ...(rule.CidrIpv4 ? { cidrIpv4: rule.CidrIpv4 } : {}),
      ...(rule.CidrIpv6 ? { cidrIpv6: rule.CidrIpv6 } : {}),
      ...(rule.Description ? { description: rule.Description } : {}),
      groupId: rule.GroupId,
      securityGroupRuleId: rule.SecurityGroupRuleId,
    })),
  };
}

async function rulesNotIn(groupId: string, known: readonly string[]): Promise<SecurityGroupRule[]> {
  const { SecurityGroupRules } = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return (SecurityGroupRules ?? []).filter((rule) => !known.includes(rule.SecurityGroupRuleId!));
}

async function ruleIdsOf(groupId: string): Promise<string[]> {
  return (await rulesNotIn(groupId, [])).map((rule) => rule.SecurityGroupRuleId!);
}

afterAll(() => ec2.destroy());

describe('revoke-ingress-rules on the emulator', () => {
  it('revokes by the response rule ids exactly the rules AuthorizeSecurityGroupIngress added, and undo puts them back', async () => {
    const { groupId } = await stageVpcGroup();
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
        ],
      }),
    );
    const legitimate = await ingressOf(groupId);
    const known = await ruleIdsOf(groupId);
    // The attacker: SSH and RDP from the whole Internet, in one call.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'tmp' }],
          },
          { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        ],
      }),
    );
    // moto answers only the last permission's rules; AWS answers all of them: read them back.
    const added = await rulesNotIn(groupId, known);
    const opened = await ingressOf(groupId);
    const record = ec2Record(
      'AuthorizeSecurityGroupIngress',
      {
        groupId,
        ipPermissions: {
          items: [
            {
              ipProtocol: 'tcp',
              fromPort: 22,
              toPort: 22,
              groups: {},
              ipRanges: { items: [{ cidrIp: '0.0.0.0/0', description: 'tmp' }] },
              ipv6Ranges: {},
              prefixListIds: {},
            },
            {
              ipProtocol: 'tcp',
              fromPort: 3389,
              toPort: 3389,
              groups: {},
              ipRanges: {},
              ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] },
              prefixListIds: {},
            },
          ],
        },
      },
      { requestId: 'r-1', _return: true, securityGroupRuleSet: ruleSetOf(added) },
    );

    const changes = revokeIngressRules.changesOf(record);
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change.target).toBe(`security-group/${groupId}`);
    expect(change.details.rules.map((rule) => rule.ruleId).sort()).toEqual(
      added.map((rule) => rule.SecurityGroupRuleId).sort(),
    );

    const planned = await revokeIngressRules.revert(change, revertContext(true));
    expect(planned.map((o) => o.status)).toEqual(['planned', 'planned']);
    expect(await ingressOf(groupId)).toEqual(opened);

    const reverted = await revokeIngressRules.revert(change, revertContext(false));
    expect(reverted.map((o) => [o.target, o.status]).sort()).toEqual(
      added.map((rule) => [`security-group-rule/${rule.SecurityGroupRuleId}`, 'done']).sort(),
    );
    expect(reverted[0].detail).toContain(record.eventID as string);
    expect(await ingressOf(groupId)).toEqual(legitimate);

    const again = await revokeIngressRules.revert(change, revertContext(false));
    expect(again.map((o) => o.status)).toEqual(['already-done', 'already-done']);

    const plannedUndo = await revokeIngressRules.undo(change, reverted, undoContext(true));
    expect(plannedUndo.map((o) => o.status)).toEqual(['planned', 'planned']);
    expect(await ingressOf(groupId)).toEqual(legitimate);

    const undone = await revokeIngressRules.undo(change, reverted, undoContext(false));
    expect(undone.map((o) => o.status)).toEqual(['done', 'done']);
    expect(await ingressOf(groupId)).toEqual(opened);
    const undoneAgain = await revokeIngressRules.undo(change, reverted, undoContext(false));
    expect(undoneAgain.map((o) => o.status)).toEqual(['already-done', 'already-done']);
  });

  it('revokes by the request permissions when the response names no rule ids (legacy top-level cidrIp)', async () => {
    const { groupId } = await stageVpcGroup();
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24' }] },
        ],
      }),
    );
    const legitimate = await ingressOf(groupId);
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        CidrIp: '0.0.0.0/0',
      }),
    );
    const opened = await ingressOf(groupId);
    const record = ec2Record(
      'AuthorizeSecurityGroupIngress',
      { groupId, ipPermissions: {}, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' },
      { requestId: 'r-2', _return: true },
    );
    const [change] = revokeIngressRules.changesOf(record);
    expect(change.details.rules).toEqual([
      {
        ruleId: null,
        rule: {
          ipProtocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          sourceKind: 'cidr-ipv4',
          source: '0.0.0.0/0',
          sourceOwner: null,
          description: null,
        },
      },
    ]);

    const reverted = await revokeIngressRules.revert(change, revertContext(false));
    expect(reverted.map((o) => o.status)).toEqual(['done']);
    expect(reverted[0].target).toMatch(/^security-group-rule\/sgr-/);
    expect(await ingressOf(groupId)).toEqual(legitimate);
    expect((await revokeIngressRules.revert(change, revertContext(false))).map((o) => o.status)).toEqual([
      'already-done',
    ]);
    expect(
      (await revokeIngressRules.undo(change, reverted, undoContext(false))).map((o) => o.status),
    ).toEqual(['done']);
    expect(await ingressOf(groupId)).toEqual(opened);
  });

  it('finds a default-VPC group the request names only by name', async () => {
    const { groupId, groupName } = await stageGroup();
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupName: groupName,
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const opened = await ingressOf(groupId);
    expect(opened).toEqual(['-1 -1--1 0.0.0.0/0']);
    const record = ec2Record(
      'AuthorizeSecurityGroupIngress',
      {
        groupName,
        ipPermissions: { items: [{ ipProtocol: '-1', ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
      },
      { requestId: 'r-3', _return: true },
    );
    const [change] = revokeIngressRules.changesOf(record);
    expect(change.target).toBe(`security-group/${groupName}`);
    const reverted = await revokeIngressRules.revert(change, revertContext(false));
    expect(reverted.map((o) => o.status)).toEqual(['done']);
    expect(await ingressOf(groupId)).toEqual([]);
    await revokeIngressRules.undo(change, reverted, undoContext(false));
    expect(await ingressOf(groupId)).toEqual(opened);
  });

  it('revokes an ingress rule ModifySecurityGroupRules opened, records its definition, and undo authorizes it back', async () => {
    const { groupId } = await stageVpcGroup();
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
        ],
      }),
    );
    const rules = await rulesNotIn(groupId, []);
    const ssh = rules.find((rule) => !rule.IsEgress && rule.FromPort === 22)!;
    await ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId: groupId,
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: ssh.SecurityGroupRuleId,
            SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0' },
          },
        ],
      }),
    );
    const opened = await ingressOf(groupId);
    const record = ec2Record(
      'ModifySecurityGroupRules',
      {
        ModifySecurityGroupRulesRequest: {
          GroupId: groupId,
          SecurityGroupRule: {
            SecurityGroupRuleId: ssh.SecurityGroupRuleId,
            tag: 1,
            SecurityGroupRule: {
              IpProtocol: 'tcp',
              FromPort: 22,
              ToPort: 22,
              CidrIpv4: '0.0.0.0/0',
              Description: '',
            },
          },
        },
      },
      { ModifySecurityGroupRulesResponse: { requestId: 'r-4', return: true } },
    );
    const [change] = revokeIngressRules.changesOf(record);

    const reverted = await revokeIngressRules.revert(change, revertContext(false));
    expect(reverted).toEqual([
      expect.objectContaining({
        target: `security-group-rule/${ssh.SecurityGroupRuleId}`,
        status: 'done',
        before: expect.objectContaining({
          groupId,
          ruleId: ssh.SecurityGroupRuleId,
          rule: expect.objectContaining({ ipProtocol: 'tcp', fromPort: 22, source: '0.0.0.0/0' }),
        }),
      }),
    ]);
    expect(reverted[0].detail).toContain('not in the event');
    expect(await ingressOf(groupId)).toEqual(['tcp 443-443 10.0.0.0/8']);
    expect((await revokeIngressRules.revert(change, revertContext(false))).map((o) => o.status)).toEqual([
      'already-done',
    ]);
    await revokeIngressRules.undo(change, reverted, undoContext(false));
    expect(await ingressOf(groupId)).toEqual(opened);
  });

  it('leaves an egress rule ModifySecurityGroupRules changed alone, and reports it', async () => {
    const { groupId } = await stageVpcGroup();
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
        ],
      }),
    );
    const egress = (await rulesNotIn(groupId, [])).find((rule) => rule.IsEgress && rule.FromPort === 5432)!;
    await ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId: groupId,
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: egress.SecurityGroupRuleId,
            SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: '0.0.0.0/0' },
          },
        ],
      }),
    );
    const before = await rulesNotIn(groupId, []);
    const record = ec2Record(
      'ModifySecurityGroupRules',
      {
        ModifySecurityGroupRulesRequest: {
          GroupId: groupId,
          SecurityGroupRule: [
            {
              SecurityGroupRuleId: egress.SecurityGroupRuleId,
              SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: '0.0.0.0/0' },
            },
          ],
        },
      },
      { ModifySecurityGroupRulesResponse: { requestId: 'r-5', return: true } },
    );
    const [change] = revokeIngressRules.changesOf(record);
    const outcomes = await revokeIngressRules.revert(change, revertContext(false));
    expect(outcomes.map((o) => o.status)).toEqual(['already-done']);
    expect(outcomes[0].detail).toContain('egress rule');
    expect(await rulesNotIn(groupId, [])).toEqual(before);
  });

  it('leaves a modified rule alone when it was changed again since the event', async () => {
    const { groupId } = await stageVpcGroup();
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
        ],
      }),
    );
    const ssh = (await rulesNotIn(groupId, [])).find((rule) => !rule.IsEgress)!;
    const record = ec2Record(
      'ModifySecurityGroupRules',
      {
        ModifySecurityGroupRulesRequest: {
          GroupId: groupId,
          SecurityGroupRule: {
            SecurityGroupRuleId: ssh.SecurityGroupRuleId,
            SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0' },
          },
        },
      },
      { ModifySecurityGroupRulesResponse: { requestId: 'r-6', return: true } },
    );
    const [change] = revokeIngressRules.changesOf(record);
    const outcomes = await revokeIngressRules.revert(change, revertContext(false));
    expect(outcomes.map((o) => o.status)).toEqual(['already-done']);
    expect(outcomes[0].detail).toContain('changed since');
    expect(await ingressOf(groupId)).toEqual(['tcp 22-22 10.0.0.0/8']);
  });
});
