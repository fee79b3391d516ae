/**
 * Each network interface of the instance moved to the isolation group, through the untrack group
 * first (isolation-groups.ts says why), its previous groups recorded. Restore puts them back if
 * the interface is still isolated; if someone moved it since, it is left and the output says so.
 */
import { ModifyNetworkInterfaceAttributeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { attempt, type ActionModule, type ActionOutcome } from '../types';
import { describeError, outcome, type IsolateContext } from './context';
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

export const interfaceTarget = (id: string) => `network-interface/${id}`;

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
  groups: { readonly isolationGroupId: string; readonly untrackGroupId: string },
): Promise<IsolateNetworkInterfaceOutcome> {
  const target = interfaceTarget(eni.networkInterfaceId);
  const before = { groupIds: eni.groupIds };
  const { isolationGroupId, untrackGroupId } = groups;
  if (eni.groupIds.length === 1 && eni.groupIds[0] === isolationGroupId) {
    return outcome(
      networkIsolation.action,
      target,
      'already-done',
      `already in ${isolationGroupId} (no rules)`,
      before,
    );
  }
  if (ctx.dryRun) {
    return outcome(
      networkIsolation.action,
      target,
      'planned',
      `would move from ${eni.groupIds.join(', ') || 'no group'} to ${untrackGroupId}, then to ${isolationGroupId} (no rules): established connections cut`,
      before,
    );
  }
  const untracked = await attempt(() => setGroups(ctx.ec2, eni.networkInterfaceId, [untrackGroupId]));
  // Even if the untrack step was refused, isolation goes on: new connections are cut either way.
  const isolated = await attempt(() => setGroups(ctx.ec2, eni.networkInterfaceId, [isolationGroupId]));
  if (isolated) {
    return outcome(
      networkIsolation.action,
      target,
      'failed',
      `NOT isolated: moving it to ${isolationGroupId} was refused (${describeError(isolated)})`,
      before,
      isolated,
    );
  }
  return outcome(
    networkIsolation.action,
    target,
    'done',
    untracked
      ? `moved from ${eni.groupIds.join(', ') || 'no group'} to ${isolationGroupId} (no rules); the untrack step was refused (${describeError(untracked)}), so connections already established may last until they time out`
      : `moved from ${eni.groupIds.join(', ') || 'no group'} through ${untrackGroupId} to ${isolationGroupId} (no rules): established connections cut`,
    before,
  );
}

export async function restoreNetworkInterface(
  ec2: EC2Client,
  contained: IsolateNetworkInterfaceOutcome,
  current: NetworkInterfaceState | undefined,
  isolationGroupId: string | null,
  dryRun: boolean,
): Promise<RestoreNetworkInterfaceOutcome> {
  const action = 'restore-network-interface-groups';
  const { before } = contained;
  const id = contained.target.slice('network-interface/'.length);
  if (!current) {
    return outcome(
      action,
      contained.target,
      'already-done',
      'the interface no longer exists (the instance is gone): nothing to restore',
      before,
    );
  }
  const stillIsolated = current.groupIds.length === 1 && current.groupIds[0] === isolationGroupId;
  if (!stillIsolated) {
    return outcome(
      action,
      contained.target,
      'already-done',
      `changed since isolation (now in ${current.groupIds.join(', ') || 'no group'}): left as it is`,
      before,
    );
  }
  if (dryRun)
    return outcome(
      action,
      contained.target,
      'planned',
      `would go back to ${before.groupIds.join(', ')}`,
      before,
    );
  const error = await attempt(() => setGroups(ec2, id, before.groupIds));
  return error
    ? outcome(
        action,
        contained.target,
        'failed',
        `could not put back ${before.groupIds.join(', ')}: ${describeError(error)}`,
        before,
        error,
      )
    : outcome(action, contained.target, 'done', `back in ${before.groupIds.join(', ')}`, before);
}
