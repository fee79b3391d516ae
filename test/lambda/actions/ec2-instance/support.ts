import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { emulatorClientConfig, sharedMotoUrl } from '../../../support/moto';

export interface SentCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/** An EC2 client on the shared emulator that records every command it sends, in order. */
export function recordingEc2(): { ec2: EC2Client; calls: SentCall[] } {
  const ec2 = new EC2Client(emulatorClientConfig(sharedMotoUrl()));
  const calls: SentCall[] = [];
  ec2.middlewareStack.add(
    (next, context) => (args) => {
      calls.push({
        command: (context.commandName ?? '').replace(/Command$/, ''),
        input: args.input as Record<string, unknown>,
      });
      return next(args);
    },
    { step: 'initialize', name: 'recordCalls' },
  );
  return { ec2, calls };
}

export const emulatorIam = () => new IAMClient(emulatorClientConfig(sharedMotoUrl()));

/** A group's rules, in and out. */
export async function rulesOf(ec2: EC2Client, groupId: string) {
  const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  const group = SecurityGroups![0];
  return {
    name: group.GroupName,
    vpcId: group.VpcId,
    ingress: group.IpPermissions ?? [],
    egress: group.IpPermissionsEgress ?? [],
  };
}
