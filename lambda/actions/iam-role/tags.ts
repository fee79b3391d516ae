/**
 * Tags the role with the incident (`cordon:incident`) and the containment instant
 * (`cordon:contained-at`), the same keys as on a contained user. The previous values of those two
 * keys are recorded, so that restore removes Cordon's tags and puts back any that existed before;
 * other tags are never touched. When the tags cannot be listed the role is not tagged, so that no
 * previous value is lost.
 */
import { paginateListRoleTags, TagRoleCommand, UntagRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import {
  CONTAINED_AT_TAG,
  cordonTagRestore,
  cordonTagsOf,
  INCIDENT_TAG,
  type CordonTagsBefore,
  type TagState,
} from '../iam-user/tags';
import { attempt, type ActionError, type ActionModule, type ActionOutcome, type Read } from '../types';
import {
  describeError,
  nothingToDo,
  PAGE_SIZE,
  roleTarget,
  withError,
  type RoleContainContext,
  type RoleRestoreContext,
} from './context';
import { noLongerExists, roleGone, type RoleState } from './role';

export const roleTags = {
  action: 'tag-role',
  permissions: ['iam:GetRole', 'iam:ListRoleTags', 'iam:TagRole'],
  restorePermissions: ['iam:GetRole', 'iam:ListRoleTags', 'iam:TagRole', 'iam:UntagRole'],
  resources: ['role'],
} as const satisfies ActionModule;

export type TagRoleOutcome = ActionOutcome<typeof roleTags.action, CordonTagsBefore | null>;
export type RestoreRoleTagsOutcome = ActionOutcome<'restore-role-tags', CordonTagsBefore>;

const action = roleTags.action;

export async function readRoleTags(iam: IAMClient, roleName: string): Promise<TagState[]> {
  const tags: TagState[] = [];
  for await (const page of paginateListRoleTags(
    { client: iam, pageSize: PAGE_SIZE },
    { RoleName: roleName },
  )) {
    for (const tag of page.Tags ?? []) {
      if (tag.Key !== undefined) tags.push({ key: tag.Key, value: tag.Value ?? '' });
    }
  }
  return tags;
}

export interface RoleTagReads {
  readonly role: Promise<Read<RoleState>>;
  readonly tags: Promise<Read<readonly TagState[]>>;
}

export async function tagRole(ctx: RoleContainContext, reads: RoleTagReads): Promise<TagRoleOutcome> {
  const target = roleTarget(ctx.roleName);
  const [role, read] = await Promise.all([reads.role, reads.tags]);
  const gone = roleGone(role);
  if (gone) {
    return {
      action,
      target,
      status: 'failed',
      detail: `${noLongerExists(ctx.roleName)}: not tagged`,
      error: gone,
      before: null,
    };
  }
  if (!read.ok) {
    return {
      action,
      target,
      status: 'failed',
      detail: 'could not list the role tags: not tagged, so that no previous value is lost',
      error: read.error,
      before: null,
    };
  }
  const before = cordonTagsOf(read.value);
  if (before[INCIDENT_TAG] === ctx.incidentId) {
    return {
      action,
      target,
      ...nothingToDo(ctx.dryRun, `already tagged ${INCIDENT_TAG}=${ctx.incidentId}`),
      before,
    };
  }
  const containedAt = ctx.now.toISOString();
  const tags = `${INCIDENT_TAG}=${ctx.incidentId}, ${CONTAINED_AT_TAG}=${containedAt}`;
  if (ctx.dryRun) return { action, target, status: 'planned', detail: `would tag ${tags}`, before };
  const error = await attempt(() =>
    ctx.iam.send(
      new TagRoleCommand({
        RoleName: ctx.roleName,
        Tags: [
          { Key: INCIDENT_TAG, Value: ctx.incidentId },
          { Key: CONTAINED_AT_TAG, Value: containedAt },
        ],
      }),
    ),
  );
  return {
    action,
    target,
    status: error ? 'failed' : 'done',
    detail: error ? `could not tag ${tags} (${describeError(error)})` : `tagged ${tags}`,
    ...withError(error),
    before,
  };
}

/**
 * Puts Cordon's two keys back as they were: removed where there was none, the previous value set
 * where there was one. A tag step that failed is undone too (its answer may have been lost after
 * IAM applied it); what is already as it was is reported `already-done`.
 */
export async function restoreRoleTags(
  ctx: RoleRestoreContext,
  recorded: TagRoleOutcome,
  role: Read<RoleState>,
  current: Read<readonly TagState[]>,
): Promise<RestoreRoleTagsOutcome[]> {
  const before = recorded.before;
  if ((recorded.status !== 'done' && recorded.status !== 'failed') || !before) return [];
  const restoreAction = 'restore-role-tags';
  const target = roleTarget(ctx.roleName);
  if (roleGone(role)) {
    return [
      {
        action: restoreAction,
        target,
        status: 'already-done',
        detail: `role ${ctx.roleName} no longer exists (deleted since containment?): its tags went with it, nothing to restore`,
        before,
      },
    ];
  }
  if (!current.ok) {
    return [
      {
        action: restoreAction,
        target,
        status: 'failed',
        detail: 'could not list the role tags',
        error: current.error,
        before,
      },
    ];
  }
  const { toPut, toRemove, plan } = cordonTagRestore(before, cordonTagsOf(current.value));
  if (toPut.length === 0 && toRemove.length === 0) {
    return [
      {
        action: restoreAction,
        target,
        status: 'already-done',
        detail: "Cordon's tags are as they were",
        before,
      },
    ];
  }
  if (ctx.dryRun)
    return [{ action: restoreAction, target, status: 'planned', detail: `would ${plan}`, before }];
  const errors = await Promise.all([
    toRemove.length > 0
      ? attempt(() => ctx.iam.send(new UntagRoleCommand({ RoleName: ctx.roleName, TagKeys: [...toRemove] })))
      : undefined,
    toPut.length > 0
      ? attempt(() => ctx.iam.send(new TagRoleCommand({ RoleName: ctx.roleName, Tags: toPut })))
      : undefined,
  ]);
  const error = errors.find((found): found is ActionError => found !== undefined);
  return [
    {
      action: restoreAction,
      target,
      status: error ? 'failed' : 'done',
      detail: error ? `could not ${plan} (${describeError(error)})` : `${plan}: done`,
      ...withError(error),
      before,
    },
  ];
}
