/**
 * Every EC2 call isolation and restore make is declared by a module of the family, and every
 * declared permission is used: the calls are recorded on the emulator through every path (groups
 * made, groups found changed and repaired, groups made by a concurrent isolation, a stop, and the
 * restore of all of it, tags put back and removed, the instance started again).
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  EC2_INSTANCE_ACTION_MODULES,
  EC2_INSTANCE_CONTAINMENT_GRANTS,
  EC2_INSTANCE_CONTAINMENT_PERMISSIONS,
  EC2_INSTANCE_RESTORE_PERMISSIONS,
  isolateInstance,
  ISOLATION_GROUP_NAME,
  restoreInstance,
} from '../../../../lambda/actions/ec2-instance';
import { containmentGrantsOf, permissionsOf } from '../../../../lambda/actions/types';
import { uniqueName } from '../../../support/moto';
import { EmulatorEc2, emulatorIam, NOW, REGION, stageTarget } from './support';

/** The IAM action a command needs: ec2:<operation>. */
const permissionOf = (command: string) => `ec2:${command}`;

async function sentPermissions() {
  const emu = new EmulatorEc2();
  const iam = emulatorIam();
  const isolate = (instanceId: string, stop = false) =>
    isolateInstance({
      ec2: emu.ec2,
      instanceId,
      region: REGION,
      incidentId: uniqueName('inc'),
      now: NOW,
      stop,
    });
  const first = await stageTarget(emu.ec2, iam);
  const second = await stageTarget(emu.ec2, iam, { beside: first, extras: false });
  const third = await stageTarget(emu.ec2, iam, { extras: false });
  // An earlier incident's tag: restore puts it back (CreateTags) and removes Cordon's other (DeleteTags).
  await emu.ec2.send(
    new CreateTagsCommand({
      Resources: [first.instanceId],
      Tags: [{ Key: 'cordon:incident', Value: 'inc-earlier' }],
    }),
  );
  const contain = new Set<string>();
  const collect = (into: Set<string>) => {
    for (const call of emu.calls) into.add(permissionOf(call.command));
    emu.clear();
  };

  emu.clear();
  const made = await isolate(first.instanceId, true);
  collect(contain);

  // Someone opened the isolation group and closed the untrack group since: the next isolation repairs both.
  await emu.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: made.isolationGroupId!,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  await emu.ec2.send(
    new RevokeSecurityGroupIngressCommand({
      GroupId: made.untrackGroupId!,
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  emu.clear();
  const repaired = await isolate(second.instanceId);
  expect(repaired.outcomes[0].detail).toBe(
    `revoked 1 rule(s) someone added to ${ISOLATION_GROUP_NAME} ${made.isolationGroupId}; put back 1 allow-all rule(s) of cordon-isolation-untrack ${made.untrackGroupId}`,
  );
  collect(contain);

  // A concurrent isolation made the groups of the third VPC after this one looked.
  await emu.ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: ISOLATION_GROUP_NAME,
      Description: 'other',
      VpcId: third.vpcId,
    }),
  );
  emu.rewrite('DescribeSecurityGroups', (output) => ({ ...output, SecurityGroups: [] }), { times: 1 });
  emu.clear();
  const raced = await isolate(third.instanceId);
  expect(raced.effective).toBe(true);
  collect(contain);

  const restore = new Set<string>();
  const restored = await restoreInstance({ ec2: emu.ec2, record: made });
  expect(restored.outcomes.map((o) => [o.action, o.status])).toEqual([
    ['restore-network-interface-groups', 'done'],
    ['restore-network-interface-groups', 'done'],
    ['restore-termination-protection', 'done'],
    ['restore-instance-tags', 'done'],
    ['start-instance', 'done'],
  ]);
  collect(restore);
  return { contain: [...contain].sort(), restore: [...restore].sort() };
}

describe('EC2 instance permissions', () => {
  it('cover exactly the calls made: none without its permission, no permission without a call', async () => {
    const sent = await sentPermissions();
    expect(sent.contain).toEqual(EC2_INSTANCE_CONTAINMENT_PERMISSIONS);
    expect(sent.restore).toEqual(EC2_INSTANCE_RESTORE_PERMISSIONS);
  });

  it('are derived from the modules, every Describe* on "*" only, every change on the resources it acts on', () => {
    expect(EC2_INSTANCE_CONTAINMENT_PERMISSIONS).toEqual(
      permissionsOf(EC2_INSTANCE_ACTION_MODULES, 'permissions'),
    );
    expect(EC2_INSTANCE_RESTORE_PERMISSIONS).toEqual(
      permissionsOf(EC2_INSTANCE_ACTION_MODULES, 'restorePermissions'),
    );
    expect(EC2_INSTANCE_CONTAINMENT_GRANTS).toEqual(containmentGrantsOf(EC2_INSTANCE_ACTION_MODULES));
    expect(EC2_INSTANCE_CONTAINMENT_GRANTS).toEqual([
      {
        actions: [
          'ec2:AuthorizeSecurityGroupEgress',
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:CreateSecurityGroup',
          'ec2:RevokeSecurityGroupEgress',
          'ec2:RevokeSecurityGroupIngress',
        ],
        resources: ['ec2:security-group', 'ec2:vpc'],
      },
      {
        actions: ['ec2:CreateSnapshot'],
        resources: ['ec2:snapshot', 'ec2:volume'],
      },
      {
        actions: ['ec2:CreateTags'],
        resources: ['ec2:instance', 'ec2:security-group', 'ec2:snapshot', 'ec2:volume', 'ec2:vpc'],
      },
      {
        actions: [
          'ec2:DescribeInstanceAttribute',
          'ec2:DescribeInstances',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSnapshots',
        ],
        resources: ['*'],
      },
      {
        actions: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances'],
        resources: ['ec2:instance'],
      },
      {
        actions: ['ec2:ModifyNetworkInterfaceAttribute'],
        resources: ['ec2:instance', 'ec2:network-interface', 'ec2:security-group'],
      },
    ]);
    expect(EC2_INSTANCE_ACTION_MODULES.map((m) => m.action)).toEqual([
      'read-instance',
      'ensure-isolation-groups',
      'isolate-network-interface',
      'snapshot-volume',
      'enable-termination-protection',
      'tag-instance',
      'stop-instance',
    ]);
    // Nothing that destroys evidence: no terminate, no deletion of a snapshot, volume or group.
    for (const forbidden of [
      'ec2:TerminateInstances',
      'ec2:DeleteSnapshot',
      'ec2:DeleteVolume',
      'ec2:DeleteSecurityGroup',
    ]) {
      expect([...EC2_INSTANCE_CONTAINMENT_PERMISSIONS, ...EC2_INSTANCE_RESTORE_PERMISSIONS]).not.toContain(
        forbidden,
      );
    }
  });
});
