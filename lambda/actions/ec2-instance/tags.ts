/**
 * The instance tagged with the incident (`cordon:incident`) and the isolation instant
 * (`cordon:isolated-at`); the previous values of those keys are recorded, so that restore removes
 * Cordon's tags and puts back any that were there. Other tags are never touched.
 */
import { CreateTagsCommand, DeleteTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { INCIDENT_TAG, type TagState } from '../iam-user/tags';
import { attempt, type ActionModule, type ActionOutcome } from '../types';
import {
  describeError,
  instanceTarget,
  ISOLATED_AT_TAG,
  outcome,
  unchanged,
  type IsolateContext,
} from './context';

export const instanceTags = {
  action: 'tag-instance',
  permissions: ['ec2:CreateTags'],
  restorePermissions: ['ec2:CreateTags', 'ec2:DeleteTags'],
  resources: ['ec2:instance'],
} as const satisfies ActionModule;

const KEYS = [INCIDENT_TAG, ISOLATED_AT_TAG] as const;
export type InstanceTagsBefore = Readonly<Record<(typeof KEYS)[number], string | null>>;
export type TagInstanceOutcome = ActionOutcome<'tag-instance', InstanceTagsBefore>;
export type RestoreInstanceTagsOutcome = ActionOutcome<'restore-instance-tags', InstanceTagsBefore>;

export function cordonTagsOf(tags: readonly TagState[]): InstanceTagsBefore {
  const valueOf = (key: string) => tags.find((tag) => tag.key === key)?.value ?? null;
  return { [INCIDENT_TAG]: valueOf(INCIDENT_TAG), [ISOLATED_AT_TAG]: valueOf(ISOLATED_AT_TAG) };
}

export async function tagInstance(
  ctx: IsolateContext,
  tags: readonly TagState[],
): Promise<TagInstanceOutcome> {
  const target = instanceTarget(ctx.instanceId);
  const before = cordonTagsOf(tags);
  if (before[INCIDENT_TAG] === ctx.incidentId) {
    return unchanged(
      instanceTags.action,
      target,
      ctx.dryRun,
      `already tagged ${INCIDENT_TAG}=${ctx.incidentId}`,
      before,
    );
  }
  const wanted = [
    { Key: INCIDENT_TAG, Value: ctx.incidentId },
    { Key: ISOLATED_AT_TAG, Value: ctx.now.toISOString() },
  ];
  if (ctx.dryRun)
    return outcome(
      instanceTags.action,
      target,
      'planned',
      `would be tagged ${INCIDENT_TAG}=${ctx.incidentId}`,
      before,
    );
  const error = await attempt(() =>
    ctx.ec2.send(new CreateTagsCommand({ Resources: [ctx.instanceId], Tags: wanted })),
  );
  return error
    ? outcome(instanceTags.action, target, 'failed', `not tagged: ${describeError(error)}`, before, error)
    : outcome(
        instanceTags.action,
        target,
        'done',
        `tagged ${INCIDENT_TAG}=${ctx.incidentId}, ${ISOLATED_AT_TAG}=${ctx.now.toISOString()}`,
        before,
      );
}

export async function restoreInstanceTags(
  ec2: EC2Client,
  contained: TagInstanceOutcome,
  instanceId: string,
  dryRun: boolean,
): Promise<RestoreInstanceTagsOutcome> {
  const action = 'restore-instance-tags';
  const { before } = contained;
  const put = KEYS.flatMap((key) => (before[key] === null ? [] : [{ Key: key, Value: before[key] }]));
  const remove = KEYS.filter((key) => before[key] === null).map((key) => ({ Key: key }));
  if (dryRun)
    return outcome(
      action,
      contained.target,
      'planned',
      "Cordon's tags would be removed, earlier values put back",
      before,
    );
  const error = await attempt(async () => {
    await Promise.all([
      put.length ? ec2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: put })) : undefined,
      remove.length ? ec2.send(new DeleteTagsCommand({ Resources: [instanceId], Tags: remove })) : undefined,
    ]);
  });
  return error
    ? outcome(action, contained.target, 'failed', `tags not restored: ${describeError(error)}`, before, error)
    : outcome(action, contained.target, 'done', "Cordon's tags removed, earlier values put back", before);
}
