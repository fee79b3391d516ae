/**
 * Turns GuardDuty back on after the attacker turned it off: a detector it disabled
 * (`UpdateDetector` with `enable: false`) is enabled again; a detector it deleted (`DeleteDetector`)
 * is replaced by a new enabled one in that region, unless the region has a detector again (an
 * enabled one: nothing to do; a disabled one: it is enabled). Undo puts the recorded status back,
 * or deletes the detector this revert created (never another).
 */
import {
  CreateDetectorCommand,
  DeleteDetectorCommand,
  GetDetectorCommand,
  paginateListDetectors,
  UpdateDetectorCommand,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { errorOf, type ActionError } from '../../types';
import { changeOf, isEventOf, stringAt, at } from '../record-fields';
import type { ChangeReverter, JsonObject, RevertibleChange, RevertOutcome } from '../types';
import {
  changedBefore,
  eventOf,
  fieldOf,
  nothingToPutBack,
  otherAccountRefusal,
  outcome,
  runStep,
  undoAction,
} from './outcomes';
import { nothingToDo } from '../../iam-user/context';

export interface TamperedDetector extends JsonObject {
  /** `disabled` (UpdateDetector enable false) or `deleted` (DeleteDetector). */
  readonly tampering: 'disabled' | 'deleted';
  /** The detector the event disabled or deleted. */
  readonly detectorId: string;
  /** The record's `recipientAccountId`, null when it lacks one. */
  readonly accountId: string | null;
}

/** A detector's state: `before` of enabling it. */
export interface DetectorState extends JsonObject {
  readonly detectorId: string;
  /** `ENABLED` or `DISABLED`. */
  readonly status: string;
  readonly findingPublishingFrequency: string | null;
}

/** `before` of replacing a deleted detector: the region had none, and this revert created one. */
export interface CreatedDetector extends JsonObject {
  readonly detectors: readonly string[];
  readonly createdDetectorId: string;
}

const action = 'enable-guardduty-detector';
const events = {
  eventSource: 'guardduty.amazonaws.com',
  eventNames: ['UpdateDetector', 'DeleteDetector'],
} as const;
/** GuardDuty's fastest publishing of findings, for a detector Cordon creates. */
const NEW_DETECTOR_FREQUENCY = 'FIFTEEN_MINUTES';

async function readDetector(guardduty: GuardDutyClient, detectorId: string): Promise<DetectorState> {
  const detector = await guardduty.send(new GetDetectorCommand({ DetectorId: detectorId }));
  return {
    detectorId,
    status: detector.Status ?? 'DISABLED',
    findingPublishingFrequency: detector.FindingPublishingFrequency ?? null,
  };
}

async function readDetectors(guardduty: GuardDutyClient): Promise<DetectorState[]> {
  const ids: string[] = [];
  for await (const page of paginateListDetectors({ client: guardduty }, {}))
    ids.push(...(page.DetectorIds ?? []));
  return Promise.all(ids.map((id) => readDetector(guardduty, id)));
}

/** GuardDuty's answer for a detector id that is not (or no longer) this account's. */
function isUnknownDetector(error: ActionError): boolean {
  return (
    ['BadRequestException', 'InvalidInputException', 'ResourceNotFoundException'].includes(error.name) &&
    /not owned|not found|does not exist|no such/i.test(error.message)
  );
}

function isDisabling(record: { readonly requestParameters?: unknown }): boolean {
  const enable = at(record.requestParameters, 'enable');
  return enable === false || enable === 'false';
}

/** Enables a detector (or, for undo, sets it back to a recorded status). */
function setStatusStep(
  change: RevertibleChange,
  guardduty: GuardDutyClient,
  detectorId: string,
  status: 'ENABLED' | 'DISABLED',
  dryRun: boolean,
  stepAction: string,
) {
  const detector = `GuardDuty detector ${detectorId} (${change.region})`;
  const enable = status === 'ENABLED';
  return runStep<DetectorState>({
    action: stepAction,
    target: `detector/${detectorId}`,
    change,
    dryRun,
    read: () => readDetector(guardduty, detectorId),
    settled: (state) =>
      state.status === status ? `${detector} is already ${status.toLowerCase()}` : undefined,
    write: () => guardduty.send(new UpdateDetectorCommand({ DetectorId: detectorId, Enable: enable })),
    does: `${enable ? 'enable' : 'disable'} ${detector}${stepAction === action ? '' : ', as it was before the revert'}`,
    did: `${detector} ${enable ? 'enabled' : 'disabled'}${stepAction === action ? ' again' : ', as it was before the revert'}`,
    reads: `the status of ${detector}`,
  });
}

/** A deleted detector: a new one, unless the region has one again. */
async function replaceDeleted(
  change: RevertibleChange<TamperedDetector>,
  guardduty: GuardDutyClient,
  dryRun: boolean,
): Promise<RevertOutcome> {
  const event = eventOf(change);
  const where = `GuardDuty in ${change.region}`;
  let detectors: DetectorState[];
  try {
    detectors = await readDetectors(guardduty);
  } catch (thrown) {
    const error = errorOf(thrown);
    return outcome(
      action,
      change.target,
      'failed',
      `could not list the detectors of ${where}: no detector was created (${event})`,
      null,
      error,
    );
  }
  const enabled = detectors.find((detector) => detector.status === 'ENABLED');
  if (enabled) {
    const { status, detail } = nothingToDo(
      dryRun,
      `${where} has an enabled detector, ${enabled.detectorId} (${event})`,
    );
    return outcome(action, `detector/${enabled.detectorId}`, status, detail, enabled);
  }
  const disabled = detectors[0];
  if (disabled) return setStatusStep(change, guardduty, disabled.detectorId, 'ENABLED', dryRun, action);
  const does = `create an enabled detector (findings every 15 minutes) for ${where}, whose detector ${change.details.detectorId} was deleted`;
  if (dryRun) return outcome(action, change.target, 'planned', `would ${does} (${event})`, { detectors: [] });
  try {
    const created = await guardduty.send(
      new CreateDetectorCommand({ Enable: true, FindingPublishingFrequency: NEW_DETECTOR_FREQUENCY }),
    );
    if (!created.DetectorId) throw new Error('CreateDetector answered no detector id');
    const before: CreatedDetector = { detectors: [], createdDetectorId: created.DetectorId };
    return outcome(
      action,
      `detector/${created.DetectorId}`,
      'done',
      `${where} has a new enabled detector, ${created.DetectorId}, in place of the deleted ${change.details.detectorId} (${event})`,
      before,
    );
  } catch (thrown) {
    const error = errorOf(thrown);
    return outcome(
      action,
      change.target,
      'failed',
      `could not ${does} (${event}): ${error.name}: ${error.message}`,
      { detectors: [] },
      error,
    );
  }
}

/** Undo of a replacement: deletes the detector this revert created, and only that one. */
async function deleteCreated(
  change: RevertibleChange,
  guardduty: GuardDutyClient,
  detectorId: string,
  dryRun: boolean,
): Promise<RevertOutcome> {
  const undo = undoAction(action);
  const target = `detector/${detectorId}`;
  const detector = `GuardDuty detector ${detectorId} (${change.region}), which the revert of ${eventOf(change)} created`;
  let before: DetectorState;
  try {
    before = await readDetector(guardduty, detectorId);
  } catch (thrown) {
    const error = errorOf(thrown);
    if (isUnknownDetector(error)) {
      const { status, detail } = nothingToDo(dryRun, `${detector} is already deleted`);
      return outcome(undo, target, status, detail, null);
    }
    return outcome(undo, target, 'failed', `could not read ${detector}: it was NOT deleted`, null, error);
  }
  if (dryRun) return outcome(undo, target, 'planned', `would delete ${detector}`, before);
  try {
    await guardduty.send(new DeleteDetectorCommand({ DetectorId: detectorId }));
    return outcome(undo, target, 'done', `${detector} deleted, as the region had no detector before`, before);
  } catch (thrown) {
    const error = errorOf(thrown);
    return outcome(
      undo,
      target,
      'failed',
      `could not delete ${detector}: ${error.name}: ${error.message}`,
      before,
      error,
    );
  }
}

export const enableGuardDutyDetector: ChangeReverter<TamperedDetector> = {
  action,
  permissions: [
    'guardduty:CreateDetector',
    'guardduty:GetDetector',
    'guardduty:ListDetectors',
    'guardduty:UpdateDetector',
  ],
  restorePermissions: ['guardduty:DeleteDetector', 'guardduty:GetDetector', 'guardduty:UpdateDetector'],
  resources: ['guardduty:detector', '*'],
  events,
  sweepSwitch: 'enableGuardDuty',
  summary: 'enables the GuardDuty detector the event disabled, or creates one where the event deleted it',

  changesOf(record) {
    const basics = isEventOf({ events }, record);
    if (!basics) return [];
    const detectorId = stringAt(record.requestParameters, 'detectorId');
    if (!detectorId) return [];
    if (basics.eventName === 'UpdateDetector' && !isDisabling(record)) return [];
    return [
      changeOf(action, basics, `detector/${detectorId}`, {
        tampering: basics.eventName === 'DeleteDetector' ? 'deleted' : 'disabled',
        detectorId,
        accountId: basics.accountId ?? null,
      }),
    ];
  },

  async revert(change, ctx) {
    const refusal = otherAccountRefusal(action, change, [change.details.accountId], ctx.accountId);
    if (refusal) return [refusal];
    const guardduty = ctx.clients.guardduty(change.region);
    if (change.details.tampering === 'deleted') return [await replaceDeleted(change, guardduty, ctx.dryRun)];
    return [await setStatusStep(change, guardduty, change.details.detectorId, 'ENABLED', ctx.dryRun, action)];
  },

  async undo(change, outcomes, ctx) {
    const before = changedBefore(outcomes, action);
    const guardduty = ctx.clients.guardduty(change.region);
    const created = fieldOf(before, 'createdDetectorId');
    if (typeof created === 'string') return [await deleteCreated(change, guardduty, created, ctx.dryRun)];
    const detectorId = fieldOf(before, 'detectorId');
    const status = fieldOf(before, 'status');
    if (typeof detectorId !== 'string' || (status !== 'ENABLED' && status !== 'DISABLED'))
      return [nothingToPutBack(action, change, ctx.dryRun)];
    return [await setStatusStep(change, guardduty, detectorId, status, ctx.dryRun, undoAction(action))];
  },
};
