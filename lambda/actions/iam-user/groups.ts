/** Removes the user from every group (a group's policies are permissions too); restore re-adds it. */
import {
  AddUserToGroupCommand,
  paginateListGroupsForUser,
  RemoveUserFromGroupCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { type ActionModule, type ActionOutcome, type Read } from '../types';
import { PAGE_SIZE, type ContainContext, type RestoreContext } from './context';
import {
  changeTarget,
  changedTargets,
  restoreTarget,
  listTargets,
  type SettledTarget,
} from './target-change';

export const groups = {
  action: 'remove-from-group',
  permissions: ['iam:ListGroupsForUser', 'iam:RemoveUserFromGroup'],
  restorePermissions: ['iam:ListGroupsForUser', 'iam:AddUserToGroup'],
  // RemoveUserFromGroup is authorized on the group as well as the user.
  resources: ['user', 'group'],
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
  const listed = listTargets(ctx, action, read, {
    unreadable: 'could not list the groups: the user was removed from none',
    none: 'the user is in no group',
  });
  if (!listed.ok) return listed.outcomes;
  return Promise.all(
    listed.targets.map(async (group): Promise<RemoveFromGroupOutcome> => {
      const target = targetOf(group.groupName);
      return changeTarget(ctx.dryRun, {
        action,
        target,
        before: group,
        planned: `would remove the user from ${group.groupName}`,
        done: `removed from ${group.groupName}`,
        failed: `could not remove the user from ${group.groupName}`,
        gone: `no longer in ${group.groupName}`,
        apply: () =>
          ctx.iam.send(
            new RemoveUserFromGroupCommand({ UserName: ctx.userName, GroupName: group.groupName }),
          ),
      });
    }),
  );
}

export async function rejoinGroups(
  ctx: RestoreContext,
  recorded: readonly RemoveFromGroupOutcome[],
  current: Read<readonly GroupMembershipState[]>,
): Promise<RejoinGroupOutcome[]> {
  return Promise.all(
    changedTargets(recorded).map((before) =>
      restoreTarget(ctx.dryRun, current, {
        action: 'rejoin-group',
        target: targetOf(before.groupName),
        before,
        unreadable: 'could not list the groups',
        settled: (memberships: readonly GroupMembershipState[]): SettledTarget | undefined =>
          memberships.some((group) => group.groupName === before.groupName)
            ? { status: 'already-done', detail: `in ${before.groupName}` }
            : undefined,
        planned: `would add the user back to ${before.groupName}`,
        done: `added back to ${before.groupName}`,
        failed: `could not add the user back to ${before.groupName}`,
        apply: () =>
          ctx.iam.send(new AddUserToGroupCommand({ UserName: ctx.userName, GroupName: before.groupName })),
      }),
    ),
  );
}
