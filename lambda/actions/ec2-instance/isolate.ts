/**
 * Isolation of an EC2 instance as dataflow: one round trip reads the instance, its termination
 * protection, Cordon's groups (in every VPC, so as not to wait for the instance's VPC) and this
 * incident's snapshots. Then the network path, the critical one, goes on alone: the groups made if
 * missing, each interface through the untrack group to the isolation group. Beside it, as soon as
 * the instance is read: the snapshots, termination protection and the tags. The instance is
 * stopped last, and only if the config asks. One failed call never stops another.
 */
import type { EC2Client, SecurityGroup } from '@aws-sdk/client-ec2';
import { settle, type ActionError, type Read } from '../types';
import {
  describeError,
  instanceTarget,
  ISOLATION_GROUP_NAME,
  outcome,
  UNTRACK_GROUP_NAME,
  type IsolateContext,
} from './context';
import { isGone, readInstance, readTerminationProtection, type InstanceState } from './instance';
import { ensureIsolationGroups, findCordonGroups } from './isolation-groups';
import { isolateNetworkInterface, type IsolateNetworkInterfaceOutcome } from './network-interfaces';
import {
  INSTANCE_CONTAINMENT_RECORD_KIND,
  type InstanceContainmentOutcome,
  type InstanceContainmentResult,
} from './record';
import { findIncidentSnapshots, snapshotVolume } from './snapshots';
import { stopInstance } from './stop';
import { tagInstance } from './tags';
import { enableTerminationProtection } from './termination-protection';

export interface IsolateInstanceInput {
  /** For the instance's region. */
  readonly ec2: EC2Client;
  readonly instanceId: string;
  readonly region: string;
  readonly incidentId: string;
  /** Read and plan; write nothing. */
  readonly dryRun?: boolean;
  readonly now: Date;
  /** Also stop it (instanceIsolation.stopInstance). Default false: memory is evidence. */
  readonly stop?: boolean;
}

const NOT_ISOLATED_STEPS = (instanceId: string) => [
  `${instanceId} is NOT isolated: isolate it by hand (a security group with no rules, after one that allows all traffic so that tracked connections are cut), or stop it, or deny its subnet with a network ACL.`,
];

interface NetworkResult {
  readonly outcomes: InstanceContainmentOutcome[];
  readonly isolationGroupId: string | null;
}

async function isolateNetwork(
  ctx: IsolateContext,
  instance: InstanceState,
  found: Read<readonly SecurityGroup[]>,
): Promise<NetworkResult> {
  const failAll = (detail: string, error?: ActionError): NetworkResult => ({
    isolationGroupId: null,
    outcomes: (instance.networkInterfaces.length
      ? instance.networkInterfaces.map((eni) => `network-interface/${eni.networkInterfaceId}`)
      : [instanceTarget(ctx.instanceId)]
    ).map((target) =>
      outcome(
        'isolate-network-interface',
        target,
        'failed',
        detail,
        { groupIds: [] },
        error ?? { name: 'NotIsolated', message: detail },
      ),
    ),
  });
  if (!instance.vpcId || instance.networkInterfaces.length === 0) {
    return failAll(
      `NOT isolated: ${ctx.instanceId} has no VPC network interface, so no security group can cut it off; stop it, or isolate its subnet with a network ACL`,
    );
  }
  if (!found.ok)
    return failAll(
      `NOT isolated: Cordon's groups could not be read (${describeError(found.error)})`,
      found.error,
    );
  const vpcId = instance.vpcId;
  const inVpc = (name: string) => found.value.find((g) => g.VpcId === vpcId && g.GroupName === name)?.GroupId;
  if (ctx.dryRun) {
    const groups = {
      isolationGroupId: inVpc(ISOLATION_GROUP_NAME) ?? `${ISOLATION_GROUP_NAME} (to be made in ${vpcId})`,
      untrackGroupId: inVpc(UNTRACK_GROUP_NAME) ?? `${UNTRACK_GROUP_NAME} (to be made in ${vpcId})`,
    };
    const eni = await Promise.all(
      instance.networkInterfaces.map((i) => isolateNetworkInterface(ctx, i, groups)),
    );
    return { isolationGroupId: inVpc(ISOLATION_GROUP_NAME) ?? null, outcomes: eni };
  }
  const groups = await settle(() => ensureIsolationGroups(ctx.ec2, vpcId, found.value));
  if (!groups.ok)
    return failAll(
      `NOT isolated: Cordon's isolation groups could not be made in ${vpcId} (${describeError(groups.error)})`,
      groups.error,
    );
  const { isolationGroupId, untrackGroupId, changes } = groups.value;
  const ensured = outcome(
    'ensure-isolation-groups',
    `vpc/${vpcId}`,
    changes.length ? 'done' : 'already-done',
    changes.length
      ? changes.join('; ')
      : `${ISOLATION_GROUP_NAME} ${isolationGroupId} (no rules) and ${UNTRACK_GROUP_NAME} ${untrackGroupId} in place`,
    null,
  );
  const eni = await Promise.all(
    instance.networkInterfaces.map((i) =>
      isolateNetworkInterface(ctx, i, { isolationGroupId, untrackGroupId }),
    ),
  );
  return { isolationGroupId, outcomes: [ensured, ...eni] };
}

export async function isolateInstance(input: IsolateInstanceInput): Promise<InstanceContainmentResult> {
  if (!input.instanceId) throw new TypeError('isolateInstance: instanceId is required');
  const ctx: IsolateContext = {
    ec2: input.ec2,
    instanceId: input.instanceId,
    region: input.region,
    incidentId: input.incidentId,
    dryRun: input.dryRun ?? false,
    now: input.now,
  };
  const subject = `EC2 instance ${ctx.instanceId} (${ctx.region})`;
  const [instance, protection, groups, snapshots] = await Promise.all([
    settle(() => readInstance(ctx.ec2, ctx.instanceId, ctx.region)),
    settle(() => readTerminationProtection(ctx.ec2, ctx.instanceId)),
    settle(() => findCordonGroups(ctx.ec2)),
    settle(() => findIncidentSnapshots(ctx.ec2, ctx.incidentId)),
  ]);
  const base = {
    kind: INSTANCE_CONTAINMENT_RECORD_KIND,
    schemaVersion: 1,
    incidentId: ctx.incidentId,
    dryRun: ctx.dryRun,
    startedAt: ctx.now.toISOString(),
    subject,
    instanceId: ctx.instanceId,
    region: ctx.region,
    before: { instance, terminationProtection: protection },
  } as const;
  if (!instance.ok || isGone(instance.value.state)) {
    const detail = instance.ok
      ? `${ctx.instanceId} is ${instance.value.state}: nothing to isolate (a stale finding); its volumes may be gone with it`
      : `${ctx.instanceId} could not be read, so nothing was isolated: ${describeError(instance.error)}`;
    const failed = outcome(
      'read-instance',
      instanceTarget(ctx.instanceId),
      'failed',
      detail,
      null,
      instance.ok ? { name: 'InstanceTerminated', message: detail } : instance.error,
    );
    return {
      ...base,
      vpcId: instance.ok ? instance.value.vpcId : null,
      isolationGroupId: null,
      snapshotIds: [],
      effective: false,
      outcomes: [failed],
      failures: 1,
    };
  }
  const state = instance.value;
  const network = isolateNetwork(ctx, state, groups);
  const evidence = Promise.all([
    ...state.volumeIds.map((volumeId) =>
      snapshots.ok
        ? snapshotVolume(ctx, volumeId, snapshots.value)
        : Promise.resolve(
            outcome(
              'snapshot-volume',
              `volume/${volumeId}`,
              'failed',
              `no snapshot: this incident's snapshots could not be listed (${describeError(snapshots.error)})`,
              { snapshotId: null },
              snapshots.error,
            ),
          ),
    ),
    enableTerminationProtection(ctx, protection),
    tagInstance(ctx, state.tags),
  ]);
  const isolated = await network;
  const stopped = input.stop ? [await stopInstance(ctx, state.state)] : [];
  const outcomes: InstanceContainmentOutcome[] = [...isolated.outcomes, ...(await evidence), ...stopped];
  const interfaces = isolated.outcomes.filter(
    (o): o is IsolateNetworkInterfaceOutcome => o.action === 'isolate-network-interface',
  );
  const effective =
    !ctx.dryRun &&
    interfaces.length > 0 &&
    interfaces.every((o) => o.status === 'done' || o.status === 'already-done');
  return {
    ...base,
    vpcId: state.vpcId,
    isolationGroupId: isolated.isolationGroupId,
    snapshotIds: outcomes.flatMap((o) =>
      o.action === 'snapshot-volume' && o.before.snapshotId ? [o.before.snapshotId] : [],
    ),
    effective,
    outcomes,
    failures: outcomes.filter((o) => o.status === 'failed').length,
    // The plan gives the steps after an isolation (lambda/planning/plan.ts); these are the instance's own.
    manualSteps: effective || ctx.dryRun ? [] : NOT_ISOLATED_STEPS(ctx.instanceId),
  };
}
