/**
 * Restores a trail's management events after the attacker weakened its event selectors
 * (`PutEventSelectors` with basic or advanced selectors that no longer log every management event,
 * read and write): the trail then logs them all again, its data-event selectors kept as they are.
 * Undo puts back the whole selectors recorded before the revert.
 */
import {
  GetEventSelectorsCommand,
  PutEventSelectorsCommand,
  type CloudTrailClient,
} from '@aws-sdk/client-cloudtrail';
import { canonicalJson } from '../../../util/canonical-json';
import { changeOf, isEventOf, stringAt } from '../record-fields';
import type { ChangeReverter, JsonObject } from '../types';
import {
  logsAllManagementEvents,
  selectorsJson,
  selectorsOfRecord,
  trailSelectorsSchema,
  withManagementEvents,
  type TrailSelectors,
} from './management-selectors';
import { changedBefore, nothingToPutBack, otherAccountRefusal, runStep, undoAction } from './outcomes';
import type { TrailOfChange } from './trail-logging';
import { trailRefOf, trailTarget } from './trail-ref';

const action = 'restore-event-selectors';
/** PutAdvancedEventSelectors is no CloudTrail API today (advanced selectors come through PutEventSelectors); named in case a record ever says so. */
const events = {
  eventSource: 'cloudtrail.amazonaws.com',
  eventNames: ['PutEventSelectors', 'PutAdvancedEventSelectors'],
} as const;

async function readSelectors(cloudtrail: CloudTrailClient, trailName: string): Promise<JsonObject> {
  const answer = await cloudtrail.send(new GetEventSelectorsCommand({ TrailName: trailName }));
  return selectorsJson({
    EventSelectors: answer.EventSelectors ?? [],
    AdvancedEventSelectors: answer.AdvancedEventSelectors ?? [],
  });
}

/** The recorded selectors, or undefined when the record is not a trail's selectors. */
function parsed(state: unknown): TrailSelectors | undefined {
  const result = trailSelectorsSchema.safeParse(state);
  return result.success ? result.data : undefined;
}

function putSelectors(cloudtrail: CloudTrailClient, trailName: string, selectors: Partial<TrailSelectors>) {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  return cloudtrail.send(
    new PutEventSelectorsCommand(
      advanced.length > 0
        ? { TrailName: trailName, AdvancedEventSelectors: advanced }
        : { TrailName: trailName, EventSelectors: selectors.EventSelectors ?? [] },
    ),
  );
}

export const restoreEventSelectors: ChangeReverter<TrailOfChange> = {
  action,
  permissions: ['cloudtrail:GetEventSelectors', 'cloudtrail:PutEventSelectors'],
  restorePermissions: ['cloudtrail:GetEventSelectors', 'cloudtrail:PutEventSelectors'],
  resources: ['cloudtrail:trail'],
  events,
  sweepSwitch: 'restoreTrails',
  summary:
    'makes the trail log every management event again (read and write), keeping its data-event selectors',

  changesOf(record) {
    const basics = isEventOf({ events }, record);
    if (!basics) return [];
    const trailName =
      stringAt(record.requestParameters, 'trailName') ?? stringAt(record.responseElements, 'trailARN');
    const selectors = selectorsOfRecord(record.requestParameters, record.responseElements);
    if (!trailName || !selectors || logsAllManagementEvents(selectors)) return [];
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
      await runStep<JsonObject>({
        action,
        target: change.target,
        change,
        dryRun: ctx.dryRun,
        read: () => readSelectors(cloudtrail, name),
        settled: (state) =>
          logsAllManagementEvents(parsed(state) ?? {})
            ? `${trail} already logs every management event, read and write`
            : undefined,
        write: (state) => putSelectors(cloudtrail, name, withManagementEvents(parsed(state) ?? {})),
        does: `make ${trail} log every management event again (read and write), keeping its data-event selectors`,
        did: `${trail} logs every management event again (read and write), its data-event selectors kept`,
        reads: `the event selectors of ${trail}`,
      }),
    ];
  },

  async undo(change, outcomes, ctx) {
    const recorded = parsed(changedBefore(outcomes, action));
    if (!recorded) return [nothingToPutBack(action, change, ctx.dryRun)];
    const { trailName } = change.details;
    const cloudtrail = ctx.clients.cloudtrail(change.region);
    const { name } = trailRefOf(trailName, change.region);
    const trail = `trail ${name} (${change.region})`;
    const wanted = canonicalJson(selectorsJson(recorded));
    return [
      await runStep<JsonObject>({
        action: undoAction(action),
        target: change.target,
        change,
        dryRun: ctx.dryRun,
        read: () => readSelectors(cloudtrail, name),
        settled: (state) =>
          canonicalJson(state) === wanted
            ? `${trail} already has the selectors it had before the revert`
            : undefined,
        write: () => putSelectors(cloudtrail, name, recorded),
        does: `put back the event selectors ${trail} had before the revert`,
        did: `${trail} has the event selectors it had before the revert again`,
        reads: `the event selectors of ${trail}`,
      }),
    ];
  },
};
