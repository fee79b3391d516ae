/**
 * Cordon's two groups on moto: made with exactly their rules (also in a VPC with an IPv6 block,
 * where a new group's default egress has an IPv6 rule too), repaired when found changed, taken
 * from a concurrent isolation that made them first (moto answers `InvalidGroup.Duplicate` as AWS
 * does; the first read is made to miss the group, as it would in a real race), and what is left
 * of the isolation when one of them cannot be had.
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  isolateInstance,
  ISOLATION_GROUP_NAME,
  UNTRACK_GROUP_NAME,
} from '../../../../lambda/actions/ec2-instance';
import { uniqueName } from '../../../support/moto';
import {
  EmulatorEc2,
  emulatorIam,
  groupOf,
  groupsNamed,
  NOW,
  observe,
  REGION,
  stageInIpv6Vpc,
  stageTarget,
} from './support';

const iam = emulatorIam();
const isolate = (emu: EmulatorEc2, instanceId: string) =>
  isolateInstance({ ec2: emu.ec2, instanceId, region: REGION, incidentId: uniqueName('inc'), now: NOW });

describe("Cordon's isolation groups on the emulator", () => {
  it('makes the isolation group without the IPv6 default egress either, in a VPC with an IPv6 block', async () => {
    const emu = new EmulatorEc2();
    const staged = await stageInIpv6Vpc(emu.ec2);
    // The premise: in such a VPC a new group allows all egress over IPv4 and IPv6.
    const { GroupId } = await emu.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: uniqueName('probe'),
        Description: 'probe',
        VpcId: staged.vpcId,
      }),
    );
    expect((await groupOf(emu.ec2, GroupId!)).egress).toEqual(['all 0.0.0.0/0', 'all ::/0']);

    const result = await isolate(emu, staged.instanceId);

    expect(result.effective).toBe(true);
    expect(await groupOf(emu.ec2, result.isolationGroupId!)).toMatchObject({ ingress: [], egress: [] });
    expect(await groupOf(emu.ec2, result.untrackGroupId!)).toMatchObject({
      ingress: ['all 0.0.0.0/0', 'all ::/0'],
      egress: ['all 0.0.0.0/0', 'all ::/0'],
    });
  });

  it('empties the isolation group and completes the untrack group when someone changed them, and says so', async () => {
    const emu = new EmulatorEc2();
    const first = await stageTarget(emu.ec2, iam, { extras: false });
    const made = await isolate(emu, first.instanceId);
    const isolation = made.isolationGroupId!;
    const untrack = made.untrackGroupId!;
    await emu.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: isolation,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '198.51.100.7/32' }, { CidrIp: '203.0.113.0/24' }],
          },
        ],
      }),
    );
    await emu.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: isolation,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    await emu.ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: untrack,
        IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      }),
    );
    expect((await groupOf(emu.ec2, isolation)).ingress).toEqual([
      'tcp 22-22 198.51.100.7/32',
      'tcp 22-22 203.0.113.0/24',
    ]);
    expect((await groupOf(emu.ec2, untrack)).ingress).toEqual(['all 0.0.0.0/0']);

    const second = await stageTarget(emu.ec2, iam, { beside: first, extras: false });
    const result = await isolate(emu, second.instanceId);

    expect(result.outcomes[0]).toMatchObject({
      action: 'ensure-isolation-groups',
      status: 'done',
      detail: `revoked 3 rule(s) someone added to ${ISOLATION_GROUP_NAME} ${isolation}; put back 1 allow-all rule(s) of ${UNTRACK_GROUP_NAME} ${untrack}`,
    });
    expect(await groupOf(emu.ec2, isolation)).toMatchObject({ ingress: [], egress: [] });
    expect(await groupOf(emu.ec2, untrack)).toMatchObject({
      ingress: ['all 0.0.0.0/0', 'all ::/0'],
      egress: ['all 0.0.0.0/0', 'all ::/0'],
    });
    expect(result.effective).toBe(true);
  });

  it('takes the groups another isolation made at the same moment, and empties the isolation group it has not emptied yet', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam, { extras: false });
    // The other isolation has just made both groups (with their default egress)...
    const other = async (name: string) =>
      (
        await emu.ec2.send(
          new CreateSecurityGroupCommand({ GroupName: name, Description: 'the other', VpcId: target.vpcId }),
        )
      ).GroupId!;
    const isolation = await other(ISOLATION_GROUP_NAME);
    const untrack = await other(UNTRACK_GROUP_NAME);
    // ...after this one looked for them.
    emu.rewrite('DescribeSecurityGroups', (output) => ({ ...output, SecurityGroups: [] }), { times: 1 });
    emu.clear();

    const result = await isolate(emu, target.instanceId);

    expect(
      emu.events.filter((e) => e.command === 'CreateSecurityGroup').map((e) => [e.event, e.input.GroupName]),
    ).toEqual(
      expect.arrayContaining([
        ['refused', ISOLATION_GROUP_NAME],
        ['refused', UNTRACK_GROUP_NAME],
      ]),
    );
    expect(
      emu.calls
        .filter((c) => c.command === 'DescribeSecurityGroups')
        .slice(1)
        .map((c) => c.input.Filters),
    ).toEqual(
      expect.arrayContaining([
        [
          { Name: 'vpc-id', Values: [target.vpcId] },
          { Name: 'group-name', Values: [ISOLATION_GROUP_NAME] },
        ],
      ]),
    );
    expect([result.isolationGroupId, result.untrackGroupId]).toEqual([isolation, untrack]);
    expect(result.outcomes[0].detail).toBe(
      `${ISOLATION_GROUP_NAME} ${isolation} was made at the same moment by another isolation: used it, 1 rule(s) revoked; ${UNTRACK_GROUP_NAME} ${untrack} was made at the same moment by another isolation: used it`,
    );
    expect(await groupsNamed(emu.ec2, target.vpcId, ISOLATION_GROUP_NAME)).toEqual([isolation]);
    expect(await groupOf(emu.ec2, isolation)).toMatchObject({ ingress: [], egress: [] });
    expect(await groupOf(emu.ec2, untrack)).toMatchObject({
      ingress: ['all 0.0.0.0/0', 'all ::/0'],
      egress: ['all 0.0.0.0/0', 'all ::/0'],
    });
    expect(result.effective).toBe(true);
  });

  it('isolates without the untrack step when its group cannot be made, and says so', async () => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam, { extras: false });
    emu.fail('CreateSecurityGroup', 'SecurityGroupLimitExceeded', {
      match: (i) => i.GroupName === UNTRACK_GROUP_NAME,
    });
    emu.clear();

    const result = await isolate(emu, target.instanceId);

    expect(result.untrackGroupId).toBeNull();
    expect(result.outcomes[0].detail).toBe(
      `made ${ISOLATION_GROUP_NAME} ${result.isolationGroupId} in ${target.vpcId}, its default egress revoked: no rule in or out; ${UNTRACK_GROUP_NAME} could not be made (SecurityGroupLimitExceeded: SecurityGroupLimitExceeded (injected)): interfaces go straight to isolation`,
    );
    expect(emu.swaps()).toEqual([[target.interfaceIds[0], [result.isolationGroupId]]]);
    expect(result.outcomes[1].detail).toContain(
      'so connections established before may last until they time out',
    );
    expect(result.effective).toBe(true);
  });

  it.each([
    ['made', 'CreateSecurityGroup', (i: Record<string, unknown>) => i.GroupName === ISOLATION_GROUP_NAME],
    ['emptied', 'RevokeSecurityGroupEgress', () => true],
  ])('touches no interface when the isolation group cannot be %s', async (_, command, match) => {
    const emu = new EmulatorEc2();
    const target = await stageTarget(emu.ec2, iam);
    const before = await observe(emu.ec2, target.instanceId);
    emu.fail(command, 'UnauthorizedOperation', { match });
    emu.clear();

    const result = await isolate(emu, target.instanceId);

    expect(emu.swaps()).toEqual([]);
    expect((await observe(emu.ec2, target.instanceId)).groups).toEqual(before.groups);
    const interfaces = result.outcomes.filter((o) => o.action === 'isolate-network-interface');
    expect(interfaces.map((o) => [o.target, o.status])).toEqual(
      target.interfaceIds.map((eni) => [`network-interface/${eni}`, 'failed']),
    );
    expect(interfaces[0].detail).toMatch(
      new RegExp(
        `^NOT isolated: Cordon's isolation group could not be had in ${target.vpcId} \\(.*UnauthorizedOperation`,
      ),
    );
    expect(interfaces[0].before).toEqual({ groupIds: target.groupIds });
    expect(result).toMatchObject({ effective: false, isolationGroupId: null });
    // The evidence is kept all the same.
    expect(result.outcomes.filter((o) => o.action === 'snapshot-volume').map((o) => o.status)).toEqual([
      'done',
      'done',
    ]);
  });
});
