/**
 * Isolation of an EC2 instance as dataflow, not rounds. The network path is the critical one: the
 * instance and Cordon's groups (in every VPC, so as not to wait for the instance's VPC) are read
 * at once; then the groups are made or repaired if need be, and each interface goes through the
 * untrack group to the isolation group. As soon as the instance is read, beside that path: the
 * snapshots (after listing this incident's), termination protection (after reading it) and the
 * tags. The instance is stopped last, and only if asked, once the network is cut and the
 * snapshots are taken. One failed call never stops another: every call is settled or attempted.
 *
 * A stale finding (the instance gone, or going) makes one failed outcome that says why, and no
 * other call than the two first reads.
 */
import type { EC2Client, SecurityGroup } from '@aws-sdk/client-ec2';
import { settle, type ActionError, type Read } from '../types';
import {
  AUTO_SCALING_GROUP_TAG,
  describeError,
  instanceTarget,
  interfaceTarget,
  ISOLATION_GROUP_NAME,
  outcome,
  unchanged,
  UNTRACK_GROUP_NAME,
  vpcTarget,
  type IsolateContext,
} from './context';
import {
  INSTANCE_NOT_FOUND,
  isGone,
  readInstance,
  readTerminationProtection,
  type InstanceState,
} from './instance';
import { ensureIsolationGroups, findCordonGroups, groupIn, plannedChanges } from './isolation-groups';
import { isolateNetworkInterface, type GroupsInVpc, type InterfaceIsolation } from './network-interfaces';
import {
  INSTANCE_CONTAINMENT_RECORD_KIND,
  type InstanceContainmentOutcome,
  type InstanceContainmentResult,
} from './record';
import { findIncidentSnapshots, snapshotVolume, type SnapshotVolumeOutcome } from './snapshots';
import { stopInstance } from './stop';
import { tagInstance } from './tags';
import { enableTerminationProtection } from './termination-protection';

export interface IsolateInstanceInput {
  /** For the instance's region. */
  readonly ec2: EC2Client;
  readonly instanceId: string;
  /** For the record and the subject. */
  readonly region: string;
  readonly incidentId: string;
  /** Read and plan; write nothing (outcomes `planned`). */
  readonly dryRun?: boolean;
  readonly now: Date;
  /** Also stop it (`instanceIsolation.stopInstance`). Default false: its memory is evidence. */
  readonly stop?: boolean;
}

interface NetworkResult {
  readonly outcomes: readonly InstanceContainmentOutcome[];
  readonly isolationGroupId: string | null;
  readonly untrackGroupId: string | null;
  /** The interfaces whose established connections may outlive the isolation. */
  readonly uncut: readonly string[];
}

/** Every interface failed with the same reason (or the instance itself, when it has none). */
function notIsolated(
  ctx: IsolateContext,
  instance: InstanceState,
  detail: string,
  error?: ActionError,
): NetworkResult {
  const targets = instance.networkInterfaces.length
    ? instance.networkInterfaces.map((eni) => ({
        target: interfaceTarget(eni.networkInterfaceId),
        groupIds: eni.groupIds,
      }))
    : [{ target: instanceTarget(ctx.instanceId), groupIds: [] }];
  return {
    isolationGroupId: null,
    untrackGroupId: null,
    uncut: [],
    outcomes: targets.map(({ target, groupIds }) =>
      outcome(
        'isolate-network-interface',
        target,
        'failed',
        detail,
        { groupIds },
        error ?? { name: 'NotIsolated', message: detail },
      ),
    ),
  };
}

const TO_BE_MADE = '(to be made)';

async function isolateNetwork(
  ctx: IsolateContext,
  instance: InstanceState,
  found: Read<readonly SecurityGroup[]>,
): Promise<NetworkResult> {
  if (!instance.vpcId || instance.networkInterfaces.length === 0) {
    return notIsolated(
      ctx,
      instance,
      `NOT isolated: ${ctx.instanceId} has no ${instance.vpcId ? 'network interface' : 'VPC'}, so no security group can cut it off; stop it, or deny its addresses in its subnet's network ACL`,
    );
  }
  if (!found.ok) {
    return notIsolated(
      ctx,
      instance,
      `NOT isolated: Cordon's groups could not be read (${describeError(found.error)})`,
      found.error,
    );
  }
  const vpcId = instance.vpcId;
  const target = vpcTarget(vpcId);
  let groups: GroupsInVpc;
  let ensured: InstanceContainmentOutcome;
  if (ctx.dryRun) {
    const changes = plannedChanges(found.value, vpcId);
    groups = {
      vpcId,
      isolationGroupId: groupIn(found.value, vpcId, ISOLATION_GROUP_NAME)?.GroupId ?? TO_BE_MADE,
      untrackGroupId: groupIn(found.value, vpcId, UNTRACK_GROUP_NAME)?.GroupId ?? TO_BE_MADE,
      untrackProblem: null,
    };
    ensured = changes.length
      ? outcome('ensure-isolation-groups', target, 'planned', changes.join('; '), null)
      : unchanged(
          'ensure-isolation-groups',
          target,
          true,
          `${ISOLATION_GROUP_NAME} and ${UNTRACK_GROUP_NAME} in place`,
          null,
        );
  } else {
    const made = await settle(() => ensureIsolationGroups(ctx.ec2, vpcId, found.value));
    if (!made.ok) {
      return notIsolated(
        ctx,
        instance,
        `NOT isolated: Cordon's isolation group could not be had in ${vpcId} (${describeError(made.error)})`,
        made.error,
      );
    }
    const { isolationGroupId, untrackGroupId, untrackProblem, changes } = made.value;
    groups = { vpcId, isolationGroupId, untrackGroupId, untrackProblem };
    const notes = [
      ...changes,
      ...(untrackProblem ? [`${untrackProblem}: interfaces go straight to isolation`] : []),
    ];
    ensured = outcome(
      'ensure-isolation-groups',
      target,
      changes.length ? 'done' : 'already-done',
      notes.length
        ? notes.join('; ')
        : `${ISOLATION_GROUP_NAME} ${isolationGroupId} (no rule) and ${UNTRACK_GROUP_NAME} ${untrackGroupId} (all traffic) in place`,
      null,
    );
  }
  const interfaces: InterfaceIsolation[] = await Promise.all(
    instance.networkInterfaces.map((eni) => isolateNetworkInterface(ctx, eni, groups)),
  );
  const real = (id: string | null) => (id === TO_BE_MADE ? null : id);
  return {
    isolationGroupId: real(groups.isolationGroupId),
    untrackGroupId: real(groups.untrackGroupId),
    uncut: interfaces
      .filter((i) => !i.establishedCut && i.outcome.status === 'done')
      .map((i) => i.outcome.target),
    outcomes: [ensured, ...interfaces.map((i) => i.outcome)],
  };
}

function staleDetail(
  ctx: IsolateContext,
  instance: Read<InstanceState>,
): { detail: string; error: ActionError } {
  const afterlife = 'its volumes go with it, except any kept on termination, and no snapshot was taken';
  if (instance.ok) {
    const detail = `instance ${ctx.instanceId} is ${instance.value.state}: nothing to isolate (a stale finding); ${afterlife}`;
    return { detail, error: { name: 'InstanceTerminated', message: detail } };
  }
  if (instance.error.name === INSTANCE_NOT_FOUND) {
    const detail = `instance ${ctx.instanceId} no longer exists in ${ctx.region}: nothing to isolate (a stale finding, or one from another region); ${afterlife}`;
    return { detail, error: instance.error };
  }
  return {
    detail: `instance ${ctx.instanceId} could not be read, so nothing was isolated: ${describeError(instance.error)}`,
    error: instance.error,
  };
}

/**
 * What a human must still do about this instance, from what only this isolation knows. The steps
 * after any isolation (investigate from the snapshots, capture the memory, rebuild, restore) are
 * the plan's (lambda/planning/plan.ts): not repeated here.
 */
function manualStepsOf(
  ctx: IsolateContext,
  instance: InstanceState,
  network: NetworkResult,
  effective: boolean,
  snapshots: readonly SnapshotVolumeOutcome[],
  stopped: boolean,
): string[] {
  if (ctx.dryRun) return [];
  const id = ctx.instanceId;
  if (!effective) {
    return [
      `${id} is NOT isolated (see the failed outcomes): isolate it by hand now: every interface in a group with no rule (after one that allows all traffic, so that tracked connections are cut too), or its addresses denied in its subnet's network ACL, or stop it.`,
    ];
  }
  const missing = snapshots.filter((o) => o.status === 'failed').map((o) => o.target);
  const asg = instance.tags.find((tag) => tag.key === AUTO_SCALING_GROUP_TAG)?.value;
  return [
    ...(stopped
      ? []
      : [
          `To reach ${id} for forensics (the isolation cuts its SSM and EDR agents too), put a narrow rule for your forensic host in a group of your own beside ${ISOLATION_GROUP_NAME} on the interface, never in ${ISOLATION_GROUP_NAME} (every isolated instance of the VPC shares it, and Cordon empties it again); take that group off before \`cordon restore\`, which restores only an interface it finds in ${ISOLATION_GROUP_NAME} alone.`,
        ]),
    ...(missing.length ? [`Snapshot ${missing.join(', ')} by hand: Cordon's snapshot was refused.`] : []),
    network.uncut.length
      ? `Connections established before the isolation may last until idle on ${network.uncut.join(', ')} (no untrack step): deny the instance's addresses in its subnet's network ACL to cut them now.`
      : `Its established connections were cut too, except those EC2 always tracks (ICMP; through a NAT gateway, load balancer, VPC endpoint or transit gateway), which last until idle: deny its addresses in its subnet's network ACL if they must end now.`,
    ...(asg
      ? [
          `It belongs to Auto Scaling group ${asg}: detach it or put it in standby, as failed health checks make Auto Scaling replace it and termination protection does not stop Auto Scaling from terminating it.`,
        ]
      : []),
  ];
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
  const base = {
    kind: INSTANCE_CONTAINMENT_RECORD_KIND,
    schemaVersion: 1,
    incidentId: ctx.incidentId,
    dryRun: ctx.dryRun,
    startedAt: ctx.now.toISOString(),
    subject: `EC2 instance ${ctx.instanceId} (${ctx.region})`,
    instanceId: ctx.instanceId,
    region: ctx.region,
  } as const;

  const groupsRead = settle(() => findCordonGroups(ctx.ec2));
  const instance = await settle(() => readInstance(ctx.ec2, ctx.instanceId, ctx.region));
  if (!instance.ok || isGone(instance.value.state)) {
    await groupsRead;
    const { detail, error } = staleDetail(ctx, instance);
    return {
      ...base,
      vpcId: instance.ok ? instance.value.vpcId : null,
      isolationGroupId: null,
      untrackGroupId: null,
      snapshotIds: [],
      before: { instance, terminationProtection: null },
      effective: false,
      outcomes: [outcome('read-instance', instanceTarget(ctx.instanceId), 'failed', detail, null, error)],
      failures: 1,
      manualSteps: ctx.dryRun
        ? []
        : [
            `Check what ${ctx.instanceId} did while it ran (CloudTrail, VPC Flow Logs) and close what it opened: it can no longer be isolated.`,
          ],
    };
  }
  const state = instance.value;

  // Beside the network path, from the instance read on.
  const protectionRead = settle(() => readTerminationProtection(ctx.ec2, ctx.instanceId));
  const protection = protectionRead.then((read) => enableTerminationProtection(ctx, read));
  const tags = tagInstance(ctx, state.tags);
  const snapshots = settle(() => findIncidentSnapshots(ctx.ec2, ctx.incidentId)).then((existing) =>
    Promise.all(state.volumeIds.map((volumeId) => snapshotVolume(ctx, volumeId, existing))),
  );
  const network = groupsRead.then((found) => isolateNetwork(ctx, state, found));

  const [isolated, snapshotOutcomes] = await Promise.all([network, snapshots]);
  const stopped = input.stop ? await stopInstance(ctx, state.state) : undefined;
  const [protectionOutcome, tagOutcome, protectionBefore] = await Promise.all([
    protection,
    tags,
    protectionRead,
  ]);
  const outcomes: InstanceContainmentOutcome[] = [
    ...isolated.outcomes,
    ...snapshotOutcomes,
    protectionOutcome,
    tagOutcome,
    ...(stopped ? [stopped] : []),
  ];
  const interfaces = isolated.outcomes.filter((o) => o.action === 'isolate-network-interface');
  const effective =
    !ctx.dryRun &&
    interfaces.length > 0 &&
    interfaces.every((o) => o.status === 'done' || o.status === 'already-done');
  return {
    ...base,
    vpcId: state.vpcId,
    isolationGroupId: isolated.isolationGroupId,
    untrackGroupId: isolated.untrackGroupId,
    snapshotIds: snapshotOutcomes.flatMap((o) => (o.before.snapshotId ? [o.before.snapshotId] : [])),
    before: { instance, terminationProtection: protectionBefore },
    effective,
    outcomes,
    failures: outcomes.filter((o) => o.status === 'failed').length,
    manualSteps: manualStepsOf(
      ctx,
      state,
      isolated,
      effective,
      snapshotOutcomes,
      stopped?.status === 'done' || stopped?.status === 'already-done',
    ),
  };
}
