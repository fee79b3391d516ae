/**
 * One reverter for a kind of shareable EC2 resource (EBS snapshots, AMIs): a `Modify*Attribute`
 * event that added permissions has exactly those removed again (the rest of the list is left as it
 * was); a `Disable*BlockPublicAccess` event has block public access turned on again. The before-state
 * is the permission list (or the block state) read first; `undo` adds back what was removed.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SweepRevertSwitch } from '../../../config/schema';
import { attempt, type GrantResource, type Read } from '../../types';
import { changeOf, isEventOf, stringAt } from '../record-fields';
import type { ChangeReverter, RevertibleChange, RevertOutcome } from '../types';
import {
  reblockPublicAccess,
  restoreBlockPublicAccess,
  type BlockPublicAccessCalls,
  type BlockPublicAccessDetails,
} from './block-public-access';
import {
  describeError,
  eventOf,
  otherAccountRefusal,
  outcome,
  undoAction,
  type AccountOfChange,
} from './outcomes';
import {
  addedPermissions,
  describePermissions,
  outside,
  within,
  type SharePermission,
} from './share-permissions';

export type ShareDetails = AccountOfChange & {
  readonly kind: 'share';
  /** `snap-0abc`, `ami-0abc`. */
  readonly resourceId: string;
  /** Who the event added. */
  readonly added: readonly SharePermission[];
};

export type SharingDetails = ShareDetails | BlockPublicAccessDetails;

/** A share's before-state: the whole permission list as read before the revert. */
export type ShareBefore = { readonly permissions: readonly SharePermission[] };

/** What differs between snapshots and images. */
export interface SharingSpec {
  readonly action: string;
  readonly sweepSwitch: SweepRevertSwitch;
  readonly summary: string;
  readonly permissions: readonly string[];
  readonly restorePermissions: readonly string[];
  readonly resources: readonly GrantResource[];
  /** `snapshot`, `image`: the target's prefix and the word for it. */
  readonly noun: string;
  /** `ModifySnapshotAttribute`, with the request field naming the resource and the attribute holding `add`. */
  readonly modifyEvent: string;
  readonly idField: string;
  readonly attribute: string;
  /** `DisableSnapshotBlockPublicAccess`, and the response's field that names the new state. */
  readonly disableEvent: string;
  readonly disableResponse: readonly string[];
  readonly readPermissions: (ec2: EC2Client, id: string) => Promise<Read<readonly SharePermission[]>>;
  readonly removePermissions: (
    ec2: EC2Client,
    id: string,
    who: readonly SharePermission[],
  ) => Promise<unknown>;
  readonly addPermissions: (ec2: EC2Client, id: string, who: readonly SharePermission[]) => Promise<unknown>;
  readonly blockPublicAccess: BlockPublicAccessCalls;
}

async function removeShare(
  spec: SharingSpec,
  change: RevertibleChange<ShareDetails>,
  ec2: EC2Client,
  dryRun: boolean,
): Promise<RevertOutcome> {
  const { resourceId, added } = change.details;
  const what = `${spec.noun} ${resourceId}`;
  const current = await spec.readPermissions(ec2, resourceId);
  if (!current.ok)
    return outcome(
      spec.action,
      change.target,
      'failed',
      `the permissions of ${what} could not be read, nothing removed (${eventOf(change)}): ${describeError(current.error)}`,
      null,
      current.error,
    );
  const before: ShareBefore = { permissions: current.value };
  const present = within(added, current.value);
  if (!present.length)
    return outcome(
      spec.action,
      change.target,
      'already-done',
      `${what} is no longer shared with ${describePermissions(added)} (${eventOf(change)})`,
      before,
    );
  const sentence = `the share of ${what} with ${describePermissions(present)}, from ${eventOf(change)}`;
  if (dryRun) return outcome(spec.action, change.target, 'planned', `would remove ${sentence}`, before);
  const error = await attempt(() => spec.removePermissions(ec2, resourceId, present));
  return error
    ? outcome(
        spec.action,
        change.target,
        'failed',
        `${sentence} NOT removed: ${describeError(error)}`,
        before,
        error,
      )
    : outcome(spec.action, change.target, 'done', `removed ${sentence}`, before);
}

function shareBeforeOf(outcomes: readonly RevertOutcome[]): ShareBefore | undefined {
  const done = outcomes.find((revert) => revert.status === 'done');
  const permissions = (done?.before as Partial<ShareBefore> | null | undefined)?.permissions;
  return Array.isArray(permissions) ? { permissions } : undefined;
}

async function restoreShare(
  spec: SharingSpec,
  change: RevertibleChange<ShareDetails>,
  outcomes: readonly RevertOutcome[],
  ec2: EC2Client,
  dryRun: boolean,
): Promise<RevertOutcome> {
  const action = undoAction(spec.action);
  const { resourceId, added } = change.details;
  const what = `${spec.noun} ${resourceId}`;
  const before = shareBeforeOf(outcomes);
  if (!before)
    return outcome(
      action,
      change.target,
      'already-done',
      `the revert of ${eventOf(change)} removed nothing: nothing to put back`,
      null,
    );
  const removed = within(added, before.permissions);
  const current = await spec.readPermissions(ec2, resourceId);
  if (!current.ok)
    return outcome(
      action,
      change.target,
      'failed',
      `the share of ${what} NOT put back: ${describeError(current.error)}`,
      before,
      current.error,
    );
  const missing = outside(removed, current.value);
  if (!missing.length)
    return outcome(
      action,
      change.target,
      'already-done',
      `${what} is already shared with ${describePermissions(removed)}`,
      before,
    );
  const sentence = `the share of ${what} with ${describePermissions(missing)} (undoing the revert of ${eventOf(change)})`;
  if (dryRun) return outcome(action, change.target, 'planned', `would add back ${sentence}`, before);
  const error = await attempt(() => spec.addPermissions(ec2, resourceId, missing));
  return error
    ? outcome(
        action,
        change.target,
        'failed',
        `${sentence} NOT added back: ${describeError(error)}`,
        before,
        error,
      )
    : outcome(action, change.target, 'done', `added back ${sentence}`, before);
}

const isShare = (change: RevertibleChange<SharingDetails>): change is RevertibleChange<ShareDetails> =>
  change.details.kind === 'share';
const isBlock = (
  change: RevertibleChange<SharingDetails>,
): change is RevertibleChange<BlockPublicAccessDetails> => change.details.kind === 'block-public-access';

function unknownChange(action: string, change: RevertibleChange): RevertOutcome {
  const message = `a change of kind ${JSON.stringify(change.details.kind)} is not one ${action} knows`;
  return outcome(action, change.target, 'failed', `${change.target} NOT changed: ${message}`, null, {
    name: 'UnknownChange',
    message,
  });
}

export function sharingReverter(spec: SharingSpec): ChangeReverter<SharingDetails> {
  const events = { eventSource: 'ec2.amazonaws.com', eventNames: [spec.modifyEvent, spec.disableEvent] };
  return {
    action: spec.action,
    permissions: spec.permissions,
    restorePermissions: spec.restorePermissions,
    resources: spec.resources,
    events,
    sweepSwitch: spec.sweepSwitch,
    summary: spec.summary,
    changesOf(record) {
      const basics = isEventOf({ events }, record);
      if (!basics) return [];
      const accountId = basics.accountId ?? null;
      if (basics.eventName === spec.disableEvent) {
        const state = stringAt(record.responseElements, ...spec.disableResponse) ?? null;
        const details: BlockPublicAccessDetails = {
          accountId,
          kind: 'block-public-access',
          stateAfterEvent: state,
        };
        return [changeOf(spec.action, basics, `${spec.noun}-block-public-access/${basics.region}`, details)];
      }
      const resourceId = stringAt(record.requestParameters, spec.idField);
      const added = addedPermissions(record.requestParameters, spec.attribute);
      if (!resourceId || !added.length) return [];
      const details: ShareDetails = { accountId, kind: 'share', resourceId, added };
      return [changeOf(spec.action, basics, `${spec.noun}/${resourceId}`, details)];
    },
    async revert(change, context) {
      const refusal = otherAccountRefusal(spec.action, change, context.accountId);
      if (refusal) return [refusal];
      const ec2 = context.clients.ec2(change.region);
      if (isShare(change)) return [await removeShare(spec, change, ec2, context.dryRun)];
      if (isBlock(change))
        return [await reblockPublicAccess(spec.action, spec.blockPublicAccess, change, ec2, context.dryRun)];
      return [unknownChange(spec.action, change)];
    },
    async undo(change, outcomes, context) {
      const ec2 = context.clients.ec2(change.region);
      if (isShare(change)) return [await restoreShare(spec, change, outcomes, ec2, context.dryRun)];
      if (isBlock(change))
        return [
          await restoreBlockPublicAccess(
            spec.action,
            spec.blockPublicAccess,
            change,
            outcomes,
            ec2,
            context.dryRun,
          ),
        ];
      return [unknownChange(undoAction(spec.action), change)];
    },
  };
}
