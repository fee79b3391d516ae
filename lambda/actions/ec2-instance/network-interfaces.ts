/**
 * Each network interface of the instance moved to `cordon-isolation` (no rule in or out) through
 * `cordon-isolation-untrack` (all traffic in and out) first, its previous groups recorded.
 *
 * Why two steps. Security groups are stateful: a connection they track (the attacker's shell, a
 * miner's pool) is not cut when the rule that allowed it goes away, nor when the interface changes
 * groups; it lasts until it is idle for the tracking timeout (up to 5 days for TCP by default).
 * Flows allowed by rules for all traffic to and from 0.0.0.0/0 (or ::/0) in both directions are
 * not tracked, and an untracked flow stops at once when the rule that allowed it is gone. So an
 * interface moved first to the allow-all group has its flows untracked, and loses them all when
 * it moves on to the group with no rule. Sources:
 * - EC2 User Guide, "Security group connection tracking" (tracked connections outlive a rule
 *   change; untracked flows; "to ensure traffic is immediately interrupted, use a network ACL"):
 *   https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html
 * - AWS's own containment runbook, AWSSupport-ContainEC2Instance, which makes a temporary
 *   all-access group and a final containment group and moves the instance's interfaces through
 *   the first to the second:
 *   https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-awssupport-containec2instance.html
 *
 * Trade-off: between the two calls (one API round trip) the interface allows all traffic from and
 * to anywhere. A connection opened in that moment is untracked too, so the second call cuts it.
 * Not every flow can be untracked: the same EC2 page says ICMP is always tracked, and so are
 * connections through a NAT gateway, a load balancer, a VPC endpoint or a transit gateway, which
 * last until they time out (the manual steps say so).
 *
 * The alternative is a network ACL: stateless, so a deny of the instance's addresses in its
 * subnet's ACL cuts every connection at once, with no allow-all moment and no exception. But an
 * ACL belongs to the subnet, shared with other instances, and has few entries (20 a direction by
 * default); an isolation there is a change to the subnet, which Cordon leaves to a human.
 *
 * Restore puts an interface's groups back if it is still isolated; if someone moved it since, it is
 * left and the outcome says so. An interface found in the untrack group (an isolation stopped
 * between its two steps) moves on to isolation; since its earlier groups are unknown, restore
 * leaves it isolated for a human to choose.
 */
import { ModifyNetworkInterfaceAttributeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { attempt, type ActionModule, type ActionOutcome } from '../types';
import {
  describeError,
  groupList,
  interfaceTarget,
  ISOLATION_GROUP_NAME,
  onlyIn,
  outcome,
  UNTRACK_GROUP_NAME,
  unchanged,
  type IsolateContext,
} from './context';
import type { NetworkInterfaceState } from './instance';

export const networkIsolation = {
  action: 'isolate-network-interface',
  permissions: ['ec2:ModifyNetworkInterfaceAttribute'],
  restorePermissions: ['ec2:ModifyNetworkInterfaceAttribute'],
  resources: ['ec2:network-interface', 'ec2:security-group', 'ec2:instance'],
} as const satisfies ActionModule;

/** The interface's groups before isolation: what restore puts back. */
export interface InterfaceGroupsBefore {
  readonly groupIds: readonly string[];
}
export type IsolateNetworkInterfaceOutcome = ActionOutcome<
  'isolate-network-interface',
  InterfaceGroupsBefore
>;
export type RestoreNetworkInterfaceOutcome = ActionOutcome<
  'restore-network-interface-groups',
  InterfaceGroupsBefore
>;

/** Cordon's groups in the VPC, as isolation-groups.ts made or found them. */
export interface GroupsInVpc {
  readonly vpcId: string;
  readonly isolationGroupId: string;
  /** Null, or with a problem: the interface goes straight to isolation. */
  readonly untrackGroupId: string | null;
  readonly untrackProblem: string | null;
}

/** An interface's isolation, and whether the connections it had are cut too. */
export interface InterfaceIsolation {
  readonly outcome: IsolateNetworkInterfaceOutcome;
  /** False when it went straight to isolation (or is not isolated): established connections may last. */
  readonly establishedCut: boolean;
}

const setGroups = (ec2: EC2Client, networkInterfaceId: string, groupIds: readonly string[]) =>
  ec2.send(
    new ModifyNetworkInterfaceAttributeCommand({
      NetworkInterfaceId: networkInterfaceId,
      Groups: [...groupIds],
    }),
  );

export async function isolateNetworkInterface(
  ctx: IsolateContext,
  eni: NetworkInterfaceState,
  groups: GroupsInVpc,
): Promise<InterfaceIsolation> {
  const action = networkIsolation.action;
  const target = interfaceTarget(eni.networkInterfaceId);
  const before = { groupIds: eni.groupIds };
  const { isolationGroupId, untrackGroupId, untrackProblem } = groups;
  const was = groupList(eni.groupIds);
  const result = (status: 'done' | 'failed' | 'planned', detail: string, cut: boolean) => ({
    outcome: outcome(
      action,
      target,
      status,
      detail,
      before,
      status === 'failed' ? { name: 'NotIsolated', message: detail } : undefined,
    ),
    establishedCut: cut,
  });
  if (eni.vpcId && eni.vpcId !== groups.vpcId) {
    return result(
      'failed',
      `NOT isolated: the interface is in ${eni.vpcId}, not in the instance's ${groups.vpcId}; move it by hand to a group with no rule in ${eni.vpcId}, or detach it`,
      false,
    );
  }
  if (onlyIn(eni.groupIds, isolationGroupId)) {
    const detail = `already in ${ISOLATION_GROUP_NAME} ${isolationGroupId} (no rule in or out)`;
    return { outcome: unchanged(action, target, ctx.dryRun, detail, before), establishedCut: true };
  }
  const resumed = onlyIn(eni.groupIds, untrackGroupId);
  const passage = untrackGroupId !== null && untrackProblem === null;
  if (ctx.dryRun) {
    return result(
      'planned',
      passage && !resumed
        ? `would move from ${was} to ${UNTRACK_GROUP_NAME} ${untrackGroupId}, then to ${ISOLATION_GROUP_NAME} ${isolationGroupId} (no rule): established connections cut too`
        : `would move from ${was} to ${ISOLATION_GROUP_NAME} ${isolationGroupId} (no rule)`,
      false,
    );
  }
  const untrack =
    passage && !resumed
      ? await attempt(() => setGroups(ctx.ec2, eni.networkInterfaceId, [untrackGroupId]))
      : undefined;
  const passed = resumed || (passage && untrack === undefined);
  const isolated = await attempt(() => setGroups(ctx.ec2, eni.networkInterfaceId, [isolationGroupId]));
  if (isolated) {
    const refused = `NOT isolated: moving it to ${ISOLATION_GROUP_NAME} ${isolationGroupId} was refused (${describeError(isolated)})`;
    if (!passed || resumed) {
      const where = resumed
        ? `it is STILL IN ${UNTRACK_GROUP_NAME} ${untrackGroupId}, which allows all traffic: move it by hand now`
        : `it is still in ${was}`;
      return {
        outcome: outcome(action, target, 'failed', `${refused}; ${where}`, before, isolated),
        establishedCut: false,
      };
    }
    // Left in the allow-all passage, the instance would be more open than before: back to its groups.
    const back = await attempt(() => setGroups(ctx.ec2, eni.networkInterfaceId, eni.groupIds));
    const where = back
      ? `putting back ${was} was refused too (${describeError(back)}): it is STILL IN ${UNTRACK_GROUP_NAME} ${untrackGroupId}, which allows all traffic; move it by hand now`
      : `put back in ${was}`;
    return {
      outcome: outcome(action, target, 'failed', `${refused}; ${where}`, before, isolated),
      establishedCut: false,
    };
  }
  if (resumed) {
    return result(
      'done',
      `found in ${UNTRACK_GROUP_NAME} ${untrackGroupId} (an isolation stopped between its two steps), moved on to ${ISOLATION_GROUP_NAME} ${isolationGroupId} (no rule); its groups before that are unknown`,
      true,
    );
  }
  if (passed) {
    return result(
      'done',
      `moved from ${was} through ${UNTRACK_GROUP_NAME} ${untrackGroupId} to ${ISOLATION_GROUP_NAME} ${isolationGroupId} (no rule): established connections cut too`,
      true,
    );
  }
  const why = untrack
    ? `the untrack step was refused (${describeError(untrack)})`
    : `no untrack step: ${untrackProblem ?? `no ${UNTRACK_GROUP_NAME}`}`;
  return result(
    'done',
    `moved from ${was} to ${ISOLATION_GROUP_NAME} ${isolationGroupId} (no rule); ${why}, so connections established before may last until they time out`,
    false,
  );
}

/** What restore needs of the containment record to know Cordon's groups. */
export interface CordonGroupIds {
  readonly isolationGroupId: string | null;
  readonly untrackGroupId: string | null;
}

export async function restoreNetworkInterface(
  ec2: EC2Client,
  contained: IsolateNetworkInterfaceOutcome,
  current: NetworkInterfaceState | undefined,
  groups: CordonGroupIds,
  dryRun: boolean,
): Promise<RestoreNetworkInterfaceOutcome> {
  const action = 'restore-network-interface-groups';
  const { before, target } = contained;
  const previous = groupList(before.groupIds);
  if (!current) {
    return unchanged(
      action,
      target,
      dryRun,
      'the interface no longer exists (detached, or gone with the instance): nothing to restore',
      before,
    );
  }
  if (!onlyIn(current.groupIds, groups.isolationGroupId)) {
    return unchanged(
      action,
      target,
      dryRun,
      `changed since isolation (now in ${groupList(current.groupIds)}): left as it is`,
      before,
    );
  }
  if (
    before.groupIds.length === 0 ||
    (groups.untrackGroupId !== null && before.groupIds.includes(groups.untrackGroupId))
  ) {
    const detail = `its groups before isolation are unknown (it was found in ${UNTRACK_GROUP_NAME}, which allows all traffic): left isolated; choose its groups by hand`;
    return outcome(action, target, 'failed', detail, before, {
      name: 'UnknownGroupsBefore',
      message: detail,
    });
  }
  const kept = `${ISOLATION_GROUP_NAME} ${groups.isolationGroupId} is kept for the next isolation in the VPC`;
  if (dryRun) return outcome(action, target, 'planned', `would go back to ${previous}; ${kept}`, before);
  const error = await attempt(() => setGroups(ec2, current.networkInterfaceId, before.groupIds));
  return error
    ? outcome(
        action,
        target,
        'failed',
        `still isolated: putting back ${previous} was refused (${describeError(error)})`,
        before,
        error,
      )
    : outcome(action, target, 'done', `back in ${previous}; ${kept}`, before);
}
