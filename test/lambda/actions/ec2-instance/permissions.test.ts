/**
 * Every EC2 call isolation and restore make is declared by a module of the family, and every
 * declared permission is used: the calls are recorded on the emulator, through every path
 * (groups made, groups found, a stop, the restore of all of it).
 */
import {
  EC2_INSTANCE_ACTION_MODULES,
  EC2_INSTANCE_CONTAINMENT_GRANTS,
  EC2_INSTANCE_CONTAINMENT_PERMISSIONS,
  EC2_INSTANCE_RESTORE_PERMISSIONS,
  isolateInstance,
  restoreInstance,
} from '../../../../lambda/actions/ec2-instance';
import { stageInstance } from '../../../support/ec2-staging';
import { uniqueName } from '../../../support/moto';
import { AuthorizeSecurityGroupIngressCommand, CreateTagsCommand } from '@aws-sdk/client-ec2';
import { emulatorIam, recordingEc2, rulesOf } from './support';

const NOW = new Date('2026-12-01T10:00:00.000Z');

async function sentPermissions() {
  const { ec2, calls } = recordingEc2();
  const iam = emulatorIam();
  const first = await stageInstance(ec2, iam);
  const second = await stageInstance(ec2, iam, first);
  // An earlier incident's tag: restore puts it back (CreateTags) and removes Cordon's other (DeleteTags).
  await ec2.send(
    new CreateTagsCommand({
      Resources: [first.instanceId],
      Tags: [{ Key: 'cordon:incident', Value: 'inc-earlier' }],
    }),
  );
  calls.length = 0;
  const made = await isolateInstance({
    ec2,
    instanceId: first.instanceId,
    region: 'us-east-1',
    incidentId: uniqueName('inc'),
    now: NOW,
    stop: true,
  });
  // Someone opened the isolation group since: the next isolation in the VPC closes it again.
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: made.isolationGroupId!,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  const repaired = await isolateInstance({
    ec2,
    instanceId: second.instanceId,
    region: 'us-east-1',
    incidentId: uniqueName('inc'),
    now: NOW,
  });
  expect(repaired.outcomes.find((o) => o.action === 'ensure-isolation-groups')?.detail).toBe(
    `revoked 1 rule(s) someone added to cordon-isolation ${made.isolationGroupId}`,
  );
  expect((await rulesOf(ec2, made.isolationGroupId!)).ingress).toEqual([]);
  const contain = new Set(
    calls
      .filter(
        (c) => c.command !== 'AuthorizeSecurityGroupIngress' || c.input.GroupId !== made.isolationGroupId,
      )
      .map((c) => `ec2:${c.command}`),
  );
  calls.length = 0;
  await restoreInstance({ ec2, record: made });
  const restore = new Set(calls.map((c) => `ec2:${c.command}`));
  return { contain: [...contain].sort(), restore: [...restore].sort() };
}

describe('EC2 instance permissions', () => {
  it('cover exactly the calls made: none without its permission, no permission without a call', async () => {
    const sent = await sentPermissions();
    expect(sent.contain).toEqual(EC2_INSTANCE_CONTAINMENT_PERMISSIONS);
    expect(sent.restore).toEqual(EC2_INSTANCE_RESTORE_PERMISSIONS);
  });

  it('grant only the Describe* calls on "*", every change on the resources it acts on', () => {
    for (const grant of EC2_INSTANCE_CONTAINMENT_GRANTS) {
      if (grant.resources.includes('*'))
        expect(grant.actions.every((a) => a.startsWith('ec2:Describe'))).toBe(true);
    }
    expect(EC2_INSTANCE_ACTION_MODULES.map((m) => m.action)).toEqual([
      'read-instance',
      'ensure-isolation-groups',
      'isolate-network-interface',
      'snapshot-volume',
      'enable-termination-protection',
      'tag-instance',
      'stop-instance',
    ]);
    // Nothing that destroys evidence or opens the network.
    for (const forbidden of [
      'ec2:TerminateInstances',
      'ec2:DeleteSnapshot',
      'ec2:DeleteVolume',
      'ec2:DeleteSecurityGroup',
    ]) {
      expect(EC2_INSTANCE_CONTAINMENT_PERMISSIONS).not.toContain(forbidden);
    }
  });
});
