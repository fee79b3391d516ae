/**
 * The EC2 isolation tests' emulator: an EC2 client on the shared moto server whose every command is
 * recorded in order (sent, answered, refused), and which a test can script per command: refuse a
 * call with an AWS error, hold it until something else happened, or rewrite its answer where moto
 * lacks a state (an instance `stopping`, an instance without VPC). Everything else is moto's.
 * Plus the staging of instances beside test/support/ec2-staging.ts, and readers of the state the
 * tests compare.
 */
import {
  AttachNetworkInterfaceCommand,
  AttachVolumeCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  EC2ServiceException,
  RunInstancesCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { stageInstance, type StagedInstance } from '../../../support/ec2-staging';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../../support/moto';

export const REGION = 'us-east-1';
export const NOW = new Date('2026-12-01T10:00:00.000Z');

export interface SentCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
}
export interface CallEvent extends SentCall {
  readonly event: 'sent' | 'answered' | 'refused';
}

type Match = (input: Record<string, unknown>) => boolean;
interface Scripted {
  readonly command: string;
  readonly match: Match;
  remaining: number;
}
interface Fault extends Scripted {
  readonly name: string;
  readonly message: string;
}
interface Hold extends Scripted {
  readonly until: () => Promise<unknown>;
}
interface Rewrite extends Scripted {
  readonly answer: (output: Record<string, unknown>) => Record<string, unknown>;
}

/** An AWS error as the SDK throws it. */
export function awsError(name: string, message = name): EC2ServiceException {
  return new EC2ServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

export class EmulatorEc2 {
  readonly ec2: EC2Client;
  readonly events: CallEvent[] = [];
  /** Holds released because nothing else was in flight: the code under test waited on the held call. */
  deadlocks = 0;
  private readonly faults: Fault[] = [];
  private readonly holds: Hold[] = [];
  private readonly rewrites: Rewrite[] = [];
  private readonly waiters: { match: (e: CallEvent) => boolean; resolve: () => void }[] = [];
  private inFlight = 0;

  constructor() {
    this.ec2 = new EC2Client(emulatorClientConfig(sharedMotoUrl(), REGION));
    this.ec2.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context.commandName ?? '').replace(/Command$/, '');
        const input = { ...(args.input as Record<string, unknown>) };
        const hold = this.take(this.holds, command, input);
        if (hold) await this.released(hold);
        this.record({ event: 'sent', command, input });
        this.inFlight += 1;
        try {
          const fault = this.take(this.faults, command, input);
          if (fault) throw awsError(fault.name, fault.message);
          const result = await next(args);
          const rewrite = this.take(this.rewrites, command, input);
          const output = rewrite
            ? (rewrite.answer(
                result.output as unknown as Record<string, unknown>,
              ) as unknown as typeof result.output)
            : result.output;
          this.record({ event: 'answered', command, input });
          return { ...result, output };
        } catch (thrown) {
          this.record({ event: 'refused', command, input });
          throw thrown;
        } finally {
          this.inFlight -= 1;
        }
      },
      { step: 'initialize', name: 'cordonTestScript' },
    );
  }

  /** The commands sent, in order, with their input. */
  get calls(): SentCall[] {
    return this.events.filter((e) => e.event === 'sent').map(({ command, input }) => ({ command, input }));
  }

  /** The commands sent that are not reads. */
  writes(): SentCall[] {
    return this.calls.filter((c) => !c.command.startsWith('Describe'));
  }

  /** The group swaps, in order: interface and groups. */
  swaps(): [string, string[]][] {
    return this.calls
      .filter((c) => c.command === 'ModifyNetworkInterfaceAttribute')
      .map((c) => [String(c.input.NetworkInterfaceId), c.input.Groups as string[]]);
  }

  clear(): void {
    this.events.length = 0;
  }

  /** Refuses the matching calls with this AWS error (every one by default). */
  fail(
    command: string,
    name: string,
    options: { match?: Match; times?: number; message?: string } = {},
  ): void {
    this.faults.push({
      ...this.scripted(command, options),
      name,
      message: options.message ?? `${name} (injected)`,
    });
  }

  /**
   * Sends the matching call only once `until` resolves; if meanwhile nothing else is in flight, the
   * code under test is waiting on this very call: it is released and counted in `deadlocks`.
   */
  hold(
    command: string,
    until: () => Promise<unknown>,
    options: { match?: Match; times?: number } = {},
  ): void {
    this.holds.push({ ...this.scripted(command, { times: 1, ...options }), until });
  }

  /** Rewrites the matching answers (where moto lacks a state). */
  rewrite(
    command: string,
    answer: (output: Record<string, unknown>) => Record<string, unknown>,
    options: { match?: Match; times?: number } = {},
  ): void {
    this.rewrites.push({ ...this.scripted(command, options), answer });
  }

  /** Resolves once a matching event has happened (now or before). */
  happened(match: (e: CallEvent) => boolean): Promise<void> {
    if (this.events.some(match)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  private scripted(command: string, options: { match?: Match; times?: number }) {
    return { command, match: options.match ?? (() => true), remaining: options.times ?? Infinity };
  }

  private take<T extends Scripted>(
    list: T[],
    command: string,
    input: Record<string, unknown>,
  ): T | undefined {
    const found = list.find((s) => s.command === command && s.remaining > 0 && s.match(input));
    if (found) found.remaining -= 1;
    return found;
  }

  private record(event: CallEvent): void {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private released(hold: Hold): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      void hold.until().then(() => {
        done = true;
        resolve();
      });
      // Idle for a few turns of the event loop with nothing in flight: a deadlock.
      let idleTurns = 0;
      const watch = () => {
        if (done) return;
        idleTurns = this.inFlight === 0 ? idleTurns + 1 : 0;
        if (idleTurns >= 5) {
          this.deadlocks += 1;
          done = true;
          resolve();
        } else setImmediate(watch);
      };
      setImmediate(watch);
    });
  }
}

export const emulatorIam = () => new IAMClient(emulatorClientConfig(sharedMotoUrl(), REGION));

export interface IsolationTarget extends StagedInstance {
  /** The primary interface (the two groups of the staged instance), then the second, if any (one group). */
  readonly interfaceIds: readonly string[];
  /** The root volume, then the data volume, if any. */
  readonly volumeIds: readonly string[];
}

async function instanceOf(ec2: EC2Client, instanceId: string) {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return Reservations![0].Instances![0];
}

/**
 * An instance in a VPC of its own (or beside another), two groups on its primary interface and, by
 * default, a second interface (in the second group) and a data volume beside its root volume.
 */
export async function stageTarget(
  ec2: EC2Client,
  iam: IAMClient,
  options: { beside?: StagedInstance; extras?: boolean } = {},
): Promise<IsolationTarget> {
  // Only the network of the instance beside: stageInstance spreads what it is given over its
  // result, so a whole StagedInstance would hand back the earlier instance's id.
  const beside = options.beside && {
    vpcId: options.beside.vpcId,
    subnetId: options.beside.subnetId,
    groupIds: options.beside.groupIds,
  };
  const staged = await stageInstance(ec2, iam, beside);
  if (options.extras ?? true) {
    const { NetworkInterface } = await ec2.send(
      new CreateNetworkInterfaceCommand({ SubnetId: staged.subnetId, Groups: [staged.groupIds[1]] }),
    );
    await ec2.send(
      new AttachNetworkInterfaceCommand({
        InstanceId: staged.instanceId,
        NetworkInterfaceId: NetworkInterface!.NetworkInterfaceId!,
        DeviceIndex: 1,
      }),
    );
    const zone = (await instanceOf(ec2, staged.instanceId)).Placement!.AvailabilityZone!;
    const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8 }));
    await ec2.send(
      new AttachVolumeCommand({ InstanceId: staged.instanceId, VolumeId: VolumeId!, Device: '/dev/sdf' }),
    );
  }
  const instance = await instanceOf(ec2, staged.instanceId);
  return {
    ...staged,
    interfaceIds: [...instance.NetworkInterfaces!]
      .sort((a, b) => a.Attachment!.DeviceIndex! - b.Attachment!.DeviceIndex!)
      .map((eni) => eni.NetworkInterfaceId!),
    volumeIds: instance.BlockDeviceMappings!.map((m) => m.Ebs!.VolumeId!),
  };
}

/** An instance in a VPC with an IPv6 block, where a new group's default egress is IPv4 and IPv6. */
export async function stageInIpv6Vpc(
  ec2: EC2Client,
): Promise<{ instanceId: string; vpcId: string; groupId: string }> {
  const { Vpc } = await ec2.send(
    new CreateVpcCommand({ CidrBlock: '10.40.0.0/16', AmazonProvidedIpv6CidrBlock: true }),
  );
  const vpcId = Vpc!.VpcId!;
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.40.1.0/24' }));
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: uniqueName('web'), Description: 'web', VpcId: vpcId }),
  );
  const { Images } = await ec2.send(new DescribeImagesCommand({}));
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ImageId: Images![0].ImageId!,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: Subnet!.SubnetId!, Groups: [GroupId!] }],
    }),
  );
  return { instanceId: Instances![0].InstanceId!, vpcId, groupId: GroupId! };
}

/** Everything isolation changes and restore brings back: state, groups per interface, protection, every tag. */
export async function observe(ec2: EC2Client, instanceId: string) {
  const instance = await instanceOf(ec2, instanceId);
  const { DisableApiTermination } = await ec2.send(
    new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
  );
  return {
    state: instance.State?.Name,
    groups: Object.fromEntries(
      (instance.NetworkInterfaces ?? []).map((eni) => [
        eni.NetworkInterfaceId,
        (eni.Groups ?? []).map((g) => g.GroupId).sort(),
      ]),
    ),
    terminationProtection: DisableApiTermination?.Value ?? false,
    tags: Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key, t.Value])),
  };
}

/** A group's rules one per line (`all 0.0.0.0/0`, `tcp 22-22 10.0.0.0/8`), its name, VPC and tags. */
export async function groupOf(ec2: EC2Client, groupId: string) {
  const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  const group = SecurityGroups![0];
  const lines = (permissions: IpPermission[] | undefined) =>
    (permissions ?? [])
      .flatMap((p) => {
        const what = p.IpProtocol === '-1' ? 'all' : `${p.IpProtocol} ${p.FromPort}-${p.ToPort}`;
        return [
          ...(p.IpRanges ?? []).map((r) => `${what} ${r.CidrIp}`),
          ...(p.Ipv6Ranges ?? []).map((r) => `${what} ${r.CidrIpv6}`),
          ...(p.UserIdGroupPairs ?? []).map((g) => `${what} ${g.GroupId}`),
        ];
      })
      .sort();
  return {
    name: group.GroupName,
    vpcId: group.VpcId,
    tags: Object.fromEntries((group.Tags ?? []).map((t) => [t.Key, t.Value])),
    ingress: lines(group.IpPermissions),
    egress: lines(group.IpPermissionsEgress),
  };
}

/** Cordon's groups of this name in the VPC. */
export async function groupsNamed(ec2: EC2Client, vpcId: string, name: string): Promise<string[]> {
  const { SecurityGroups } = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [name] },
      ],
    }),
  );
  return (SecurityGroups ?? []).map((g) => g.GroupId!);
}

/** The snapshots tagged with this incident, with their volume, tags and description. */
export async function snapshotsOf(ec2: EC2Client, incidentId: string) {
  const { Snapshots } = await ec2.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [{ Name: 'tag:cordon:incident', Values: [incidentId] }],
    }),
  );
  return (Snapshots ?? [])
    .map((s) => ({
      snapshotId: s.SnapshotId!,
      volumeId: s.VolumeId!,
      description: s.Description,
      tags: Object.fromEntries((s.Tags ?? []).map((t) => [t.Key, t.Value])),
    }))
    .sort((a, b) => (a.volumeId < b.volumeId ? -1 : 1));
}
