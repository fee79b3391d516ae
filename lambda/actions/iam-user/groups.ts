/** Removes the user from every group (a group's policies are permissions too); restore re-adds it. */
import {
  AddUserToGroupCommand,
  paginateListGroupsForUser,
  RemoveUserFromGroupCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { attempt, type ActionModule, type ActionOutcome, type Read } from '../types';
import {
  isNoSuchEntity,
  nothingToDo,
  PAGE_SIZE,
  userTarget,
  withError,
  type ContainContext,
  type RestoreContext,
} from './context';

export const groups = {
  action: 'remove-from-group',
  permissions: ['iam:ListGroupsForUser', 'iam:RemoveUserFromGroup'],
  restorePermissions: ['iam:ListGroupsForUser', 'iam:AddUserToGroup'],
} as const satisfies ActionModule;

export interface GroupMembershipState {
  readonly groupName: string;
  readonly groupArn: string | null;
}

export type RemoveFromGroupOutcome = ActionOutcome<typeof groups.action, GroupMembershipState | null>;
export type RejoinGroupOutcome = ActionOutcome<'rejoin-group', GroupMembershipState>;

const action = groups.action;
const targetOf = (groupName: string) => `group/${groupName}`;

export async function readGroupMemberships(
  iam: IAMClient,
  userName: string,
): Promise<GroupMembershipState[]> {
  const memberships: GroupMembershipState[] = [];
  for await (const page of paginateListGroupsForUser(
    { client: iam, pageSize: PAGE_SIZE },
    { UserName: userName },
  )) {
    for (const group of page.Groups ?? []) {
      if (group.GroupName) memberships.push({ groupName: group.GroupName, groupArn: group.Arn ?? null });
    }
  }
  return memberships;
}

export async function removeFromGroups(
  ctx: ContainContext,
  read: Read<readonly GroupMembershipState[]>,
): Promise<RemoveFromGroupOutcome[]> {
  if (!read.ok) {
    return [
      {
        action,
        target: userTarget(ctx.userName),
        status: 'failed',
        detail: 'could not list the groups: the user was removed from none',
        error: read.error,
        before: null,
      },
    ];
  }
  if (read.value.length === 0) {
    return [
      {
        action,
        target: userTarget(ctx.userName),
        ...nothingToDo(ctx.dryRun, 'the user is in no group'),
        before: null,
      },
    ];
  }
  return Promise.all(
    read.value.map(async (group): Promise<RemoveFromGroupOutcome> => {
      const target = targetOf(group.groupName);
      if (ctx.dryRun) {
        return {
          action,
          target,
          status: 'planned',
          detail: `would remove the user from ${group.groupName}`,
          before: group,
        };
      }
      const error = await attempt(() =>
        ctx.iam.send(new RemoveUserFromGroupCommand({ UserName: ctx.userName, GroupName: group.groupName })),
      );
      if (!error)
        return { action, target, status: 'done', detail: `removed from ${group.groupName}`, before: group };
      if (isNoSuchEntity(error)) {
        return {
          action,
          target,
          status: 'already-done',
          detail: `no longer in ${group.groupName}`,
          before: group,
        };
      }
      return {
        action,
        target,
        status: 'failed',
        detail: `could not remove the user from ${group.groupName}`,
        error,
        before: group,
      };
    }),
  );
}

export async function rejoinGroups(
  ctx: RestoreContext,
  recorded: readonly RemoveFromGroupOutcome[],
  current: Read<readonly GroupMembershipState[]>,
): Promise<RejoinGroupOutcome[]> {
  const removed = recorded.flatMap((outcome) =>
    (outcome.status === 'done' || outcome.status === 'failed') && outcome.before ? [outcome.before] : [],
  );
  const restoreAction = 'rejoin-group';
  return Promise.all(
    removed.map(async (before): Promise<RejoinGroupOutcome> => {
      const target = targetOf(before.groupName);
      if (!current.ok) {
        return {
          action: restoreAction,
          target,
          status: 'failed',
          detail: 'could not list the groups',
          error: current.error,
          before,
        };
      }
      if (current.value.some((group) => group.groupName === before.groupName)) {
        return {
          action: restoreAction,
          target,
          status: 'already-done',
          detail: `in ${before.groupName}`,
          before,
        };
      }
      if (ctx.dryRun) {
        return {
          action: restoreAction,
          target,
          status: 'planned',
          detail: `would add the user back to ${before.groupName}`,
          before,
        };
      }
      const error = await attempt(() =>
        ctx.iam.send(new AddUserToGroupCommand({ UserName: ctx.userName, GroupName: before.groupName })),
      );
      return {
        action: restoreAction,
        target,
        status: error ? 'failed' : 'done',
        detail: error
          ? `could not add the user back to ${before.groupName}`
          : `added back to ${before.groupName}`,
        ...withError(error),
        before,
      };
    }),
  );
}
