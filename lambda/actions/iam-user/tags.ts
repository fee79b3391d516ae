/**
 * Tags the user with the incident (`cordon:incident`) and the containment time
 * (`cordon:contained-at`). The previous values of those two keys are recorded, so that restore
 * removes Cordon's tags and puts back any that existed before; other tags are never touched.
 */
import { paginateListUserTags, TagUserCommand, UntagUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { attempt, type ActionError, type ActionModule, type ActionOutcome, type Read } from '../types';
import {
  nothingToDo,
  PAGE_SIZE,
  userTarget,
  withError,
  type ContainContext,
  type RestoreContext,
} from './context';

export const INCIDENT_TAG = 'cordon:incident';
export const CONTAINED_AT_TAG = 'cordon:contained-at';

export const userTags = {
  action: 'tag-user',
  permissions: ['iam:ListUserTags', 'iam:TagUser'],
  restorePermissions: ['iam:ListUserTags', 'iam:TagUser', 'iam:UntagUser'],
} as const satisfies ActionModule;

export interface TagState {
  readonly key: string;
  readonly value: string;
}

/** The values Cordon's two tag keys had before containment (null: absent). */
export interface CordonTagsBefore {
  readonly [INCIDENT_TAG]: string | null;
  readonly [CONTAINED_AT_TAG]: string | null;
}

export type TagUserOutcome = ActionOutcome<typeof userTags.action, CordonTagsBefore | null>;
export type RestoreTagsOutcome = ActionOutcome<'restore-user-tags', CordonTagsBefore>;

const action = userTags.action;

/**
 * What putting Cordon's two tags back to `before` takes, given their values now: the tags to set
 * again, the keys to remove, and the same in words. Shared by every principal Cordon tags.
 */
export function cordonTagRestore(
  before: CordonTagsBefore,
  now: CordonTagsBefore,
): { toPut: { Key: string; Value: string }[]; toRemove: string[]; plan: string } {
  const keys = [INCIDENT_TAG, CONTAINED_AT_TAG] as const;
  const toPut = keys.flatMap((key) => {
    const value = before[key];
    return value !== null && now[key] !== value ? [{ Key: key, Value: value }] : [];
  });
  const toRemove = keys.filter((key) => before[key] === null && now[key] !== null);
  const plan = [
    ...toRemove.map((key) => `remove ${key}`),
    ...toPut.map((tag) => `set ${tag.Key} back to ${tag.Value}`),
  ].join(', ');
  return { toPut, toRemove, plan };
}

export async function readUserTags(iam: IAMClient, userName: string): Promise<TagState[]> {
  const tags: TagState[] = [];
  for await (const page of paginateListUserTags(
    { client: iam, pageSize: PAGE_SIZE },
    { UserName: userName },
  )) {
    for (const tag of page.Tags ?? []) {
      if (tag.Key !== undefined) tags.push({ key: tag.Key, value: tag.Value ?? '' });
    }
  }
  return tags;
}

/** Cordon's two tags among a principal's tags (null where absent). */
export function cordonTagsOf(tags: readonly TagState[]): CordonTagsBefore {
  const valueOf = (key: string) => tags.find((tag) => tag.key === key)?.value ?? null;
  return { [INCIDENT_TAG]: valueOf(INCIDENT_TAG), [CONTAINED_AT_TAG]: valueOf(CONTAINED_AT_TAG) };
}

/** Whether the tags show that Cordon has already contained this user for some incident. */
export function containedBefore(tags: Read<readonly TagState[]>): boolean {
  return tags.ok && cordonTagsOf(tags.value)[INCIDENT_TAG] !== null;
}

export async function tagUser(
  ctx: ContainContext,
  read: Read<readonly TagState[]>,
): Promise<TagUserOutcome[]> {
  const target = userTarget(ctx.userName);
  if (!read.ok) {
    return [
      {
        action,
        target,
        status: 'failed',
        detail: 'could not list the user tags: not tagged, so that no previous value is lost',
        error: read.error,
        before: null,
      },
    ];
  }
  const before = cordonTagsOf(read.value);
  if (before[INCIDENT_TAG] === ctx.incidentId) {
    return [
      {
        action,
        target,
        ...nothingToDo(ctx.dryRun, `already tagged ${INCIDENT_TAG}=${ctx.incidentId}`),
        before,
      },
    ];
  }
  const containedAt = ctx.now.toISOString();
  const tags = `${INCIDENT_TAG}=${ctx.incidentId}, ${CONTAINED_AT_TAG}=${containedAt}`;
  if (ctx.dryRun) return [{ action, target, status: 'planned', detail: `would tag ${tags}`, before }];
  const error = await attempt(() =>
    ctx.iam.send(
      new TagUserCommand({
        UserName: ctx.userName,
        Tags: [
          { Key: INCIDENT_TAG, Value: ctx.incidentId },
          { Key: CONTAINED_AT_TAG, Value: containedAt },
        ],
      }),
    ),
  );
  return [
    {
      action,
      target,
      status: error ? 'failed' : 'done',
      detail: error ? `could not tag ${tags}` : `tagged ${tags}`,
      ...withError(error),
      before,
    },
  ];
}

export async function restoreUserTags(
  ctx: RestoreContext,
  recorded: readonly TagUserOutcome[],
  current: Read<readonly TagState[]>,
): Promise<RestoreTagsOutcome[]> {
  const tagged = recorded.flatMap((outcome) =>
    (outcome.status === 'done' || outcome.status === 'failed') && outcome.before ? [outcome.before] : [],
  );
  const before = tagged[0];
  if (!before) return [];
  const restoreAction = 'restore-user-tags';
  const target = userTarget(ctx.userName);
  if (!current.ok) {
    return [
      {
        action: restoreAction,
        target,
        status: 'failed',
        detail: 'could not list the user tags',
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
      ? attempt(() => ctx.iam.send(new UntagUserCommand({ UserName: ctx.userName, TagKeys: [...toRemove] })))
      : undefined,
    toPut.length > 0
      ? attempt(() => ctx.iam.send(new TagUserCommand({ UserName: ctx.userName, Tags: toPut })))
      : undefined,
  ]);
  const error = errors.find((found): found is ActionError => found !== undefined);
  return [
    {
      action: restoreAction,
      target,
      status: error ? 'failed' : 'done',
      detail: error ? `could not ${plan}` : `${plan}: done`,
      ...withError(error),
      before,
    },
  ];
}
