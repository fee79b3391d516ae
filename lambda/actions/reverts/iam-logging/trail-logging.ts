/**
 * Starts a trail logging again after the attacker stopped it (`StopLogging`): the post-mortem needs
 * every event from now on. The calls go to the trail's home region (the ARN's, when the record
 * names the trail by ARN). Undo stops it again only if it was not logging before the revert.
 */
import {
  GetTrailStatusCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  type CloudTrailClient,
} from '@aws-sdk/client-cloudtrail';
import { changeOf, isEventOf, stringAt } from '../record-fields';
import type { ChangeReverter, JsonObject } from '../types';
import {
  changedBefore,
  fieldOf,
  nothingToPutBack,
  otherAccountRefusal,
  runStep,
  undoAction,
} from './outcomes';
import { trailRefOf, trailTarget } from './trail-ref';

/** A trail a change names. */
export interface TrailOfChange extends JsonObject {
  /** As the record named it: a name or an ARN. */
  readonly trailName: string;
  /** The record's `recipientAccountId`, null when it lacks one. */
  readonly accountId: string | null;
  /** The account the trail's ARN names, null for a plain name. */
  readonly trailAccountId: string | null;
}

export interface TrailLogging extends JsonObject {
  readonly isLogging: boolean;
}

const action = 'restart-trail-logging';
const events = { eventSource: 'cloudtrail.amazonaws.com', eventNames: ['StopLogging'] } as const;

export async function readTrailLogging(
  cloudtrail: CloudTrailClient,
  trailName: string,
): Promise<TrailLogging> {
  const status = await cloudtrail.send(new GetTrailStatusCommand({ Name: trailName }));
  return { isLogging: status.IsLogging === true };
}

export const restartTrailLogging: ChangeReverter<TrailOfChange> = {
  action,
  permissions: ['cloudtrail:GetTrailStatus', 'cloudtrail:StartLogging'],
  restorePermissions: ['cloudtrail:GetTrailStatus', 'cloudtrail:StopLogging'],
  resources: ['cloudtrail:trail'],
  events,
  sweepSwitch: 'restoreTrails',
  summary: 'starts the trail the event stopped logging again',

  changesOf(record) {
    const basics = isEventOf({ events }, record);
    if (!basics) return [];
    const trailName = stringAt(record.requestParameters, 'name');
    if (!trailName) return [];
    const ref = trailRefOf(trailName, basics.region);
    return [
      changeOf(action, { ...basics, region: ref.region }, trailTarget(ref), {
        trailName,
        accountId: basics.accountId ?? null,
        trailAccountId: ref.accountId,
      }),
    ];
  },

  async revert(change, ctx) {
    const { trailName, accountId, trailAccountId } = change.details;
    const refusal = otherAccountRefusal(action, change, [accountId, trailAccountId], ctx.accountId);
    if (refusal) return [refusal];
    const cloudtrail = ctx.clients.cloudtrail(change.region);
    const { name } = trailRefOf(trailName, change.region);
    const trail = `trail ${name} (${change.region})`;
    return [
      await runStep<TrailLogging>({
        action,
        target: change.target,
        change,
        dryRun: ctx.dryRun,
        read: () => readTrailLogging(cloudtrail, name),
        settled: (state) => (state.isLogging ? `${trail} is already logging` : undefined),
        write: () => cloudtrail.send(new StartLoggingCommand({ Name: name })),
        does: `start logging on ${trail} again`,
        did: `${trail} is logging again`,
        reads: `whether ${trail} is logging`,
      }),
    ];
  },

  async undo(change, outcomes, ctx) {
    if (fieldOf(changedBefore(outcomes, action), 'isLogging') !== false)
      return [nothingToPutBack(action, change, ctx.dryRun)];
    const { trailName } = change.details;
    const cloudtrail = ctx.clients.cloudtrail(change.region);
    const { name } = trailRefOf(trailName, change.region);
    const trail = `trail ${name} (${change.region})`;
    return [
      await runStep<TrailLogging>({
        action: undoAction(action),
        target: change.target,
        change,
        dryRun: ctx.dryRun,
        read: () => readTrailLogging(cloudtrail, name),
        settled: (state) => (state.isLogging ? undefined : `${trail} is already stopped, as it was before`),
        write: () => cloudtrail.send(new StopLoggingCommand({ Name: name })),
        does: `stop logging on ${trail}, as it was before the revert`,
        did: `${trail} stopped again, as it was before the revert`,
        reads: `whether ${trail} is logging`,
      }),
    ];
  },
};
