/**
 * An RDS DB or cluster snapshot shared (`ModifyDBSnapshotAttribute` /
 * `ModifyDBClusterSnapshotAttribute` adding accounts, or "all", to the `restore` attribute),
 * unshared: exactly the values the event added that are still there are removed; the accounts it
 * was shared with before stay. The undo adds back exactly the values the revert removed.
 */
import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { attempt, settle, type Read } from '../../types';
import { at, changeOf, isEventOf, itemsOf, stringAt } from '../record-fields';
import type { ChangeReverter, RevertContext, RevertibleChange, RevertOutcome, UndoContext } from '../types';
import {
  eventOf,
  fieldOf,
  foreignAccount,
  nothingToUndo,
  outcomeOf,
  revertDone,
  type AccountScoped,
} from './outcome';

export type RdsSnapshotChange = AccountScoped & {
  readonly kind: 'db' | 'cluster';
  readonly snapshotId: string;
  /** The values the event added to the restore attribute: account ids, or "all". */
  readonly added: readonly string[];
};

const ACTION = 'remove-rds-snapshot-permission';
const EVENTS = {
  eventSource: 'rds.amazonaws.com',
  eventNames: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'],
} as const;
const RESTORE = 'restore';

/** The values of the snapshot's restore attribute. */
async function restoreValues(rds: RDSClient, details: RdsSnapshotChange): Promise<Read<readonly string[]>> {
  return settle(async () => {
    const attributes =
      details.kind === 'db'
        ? (
            await rds.send(
              new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: details.snapshotId }),
            )
          ).DBSnapshotAttributesResult?.DBSnapshotAttributes
        : (
            await rds.send(
              new DescribeDBClusterSnapshotAttributesCommand({
                DBClusterSnapshotIdentifier: details.snapshotId,
              }),
            )
          ).DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes;
    return (attributes ?? []).find((attribute) => attribute.AttributeName === RESTORE)?.AttributeValues ?? [];
  });
}

function modify(
  rds: RDSClient,
  details: RdsSnapshotChange,
  change: 'ValuesToAdd' | 'ValuesToRemove',
  values: readonly string[],
) {
  const common = { AttributeName: RESTORE, [change]: [...values] };
  return details.kind === 'db'
    ? rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: details.snapshotId, ...common }))
    : rds.send(
        new ModifyDBClusterSnapshotAttributeCommand({
          DBClusterSnapshotIdentifier: details.snapshotId,
          ...common,
        }),
      );
}

function describeSnapshot(change: RevertibleChange<RdsSnapshotChange>): string {
  return `${change.details.kind === 'db' ? 'DB' : 'cluster'} snapshot ${change.details.snapshotId}`;
}

const listed = (values: readonly string[]) => values.join(', ');

async function revert(change: RevertibleChange<RdsSnapshotChange>, ctx: RevertContext) {
  const foreign = foreignAccount(ACTION, change, ctx.accountId);
  if (foreign) return [foreign];
  const rds = ctx.clients.rds(change.region);
  const read = await restoreValues(rds, change.details);
  if (!read.ok) {
    const detail = `Could not read who may restore ${describeSnapshot(change)} to revert ${eventOf(change)}.`;
    return [outcomeOf(ACTION, change, 'failed', detail, null, read.error)];
  }
  const before = { restore: [...read.value] };
  const remove = change.details.added.filter((value) => read.value.includes(value));
  if (remove.length === 0) {
    const detail = `${describeSnapshot(change)} is no longer shared with ${listed(change.details.added)}: ${eventOf(change)} is already reverted.`;
    return [outcomeOf(ACTION, change, 'already-done', detail, before)];
  }
  const removal = `${listed(remove)} from who may restore ${describeSnapshot(change)}, undoing ${eventOf(change)}`;
  if (ctx.dryRun) return [outcomeOf(ACTION, change, 'planned', `Would remove ${removal}.`, before)];
  const error = await attempt(() => modify(rds, change.details, 'ValuesToRemove', remove));
  if (error) return [outcomeOf(ACTION, change, 'failed', `Could not remove ${removal}.`, before, error)];
  return [outcomeOf(ACTION, change, 'done', `Removed ${removal}.`, before)];
}

async function undo(
  change: RevertibleChange<RdsSnapshotChange>,
  outcomes: readonly RevertOutcome[],
  ctx: UndoContext,
) {
  const foreign = foreignAccount(ACTION, change, ctx.accountId);
  if (foreign) return [foreign];
  const reverted = revertDone(ACTION, change, outcomes);
  if (!reverted) return [nothingToUndo(ACTION, change)];
  const recorded = fieldOf(reverted.before, RESTORE);
  const values = Array.isArray(recorded)
    ? recorded.filter((value): value is string => typeof value === 'string')
    : [];
  // What the revert removed: the event's values that were there when it read the attribute.
  const removed = change.details.added.filter((value) => values.includes(value));
  const rds = ctx.clients.rds(change.region);
  const read = await restoreValues(rds, change.details);
  if (!read.ok) {
    const detail = `Could not read who may restore ${describeSnapshot(change)} to add back what ${eventOf(change)} added.`;
    return [outcomeOf(ACTION, change, 'failed', detail, null, read.error)];
  }
  const before = { restore: [...read.value] };
  const add = removed.filter((value) => !read.value.includes(value));
  if (add.length === 0) {
    const detail = `${describeSnapshot(change)} is shared with ${listed(removed)} again, as before reverting ${eventOf(change)}.`;
    return [outcomeOf(ACTION, change, 'already-done', detail, before)];
  }
  const adding = `${listed(add)} back to who may restore ${describeSnapshot(change)}, as before reverting ${eventOf(change)}`;
  if (ctx.dryRun) return [outcomeOf(ACTION, change, 'planned', `Would add ${adding}.`, before)];
  const error = await attempt(() => modify(rds, change.details, 'ValuesToAdd', add));
  if (error) return [outcomeOf(ACTION, change, 'failed', `Could not add ${adding}.`, before, error)];
  return [outcomeOf(ACTION, change, 'done', `Added ${adding}.`, before)];
}

export const removeRdsSnapshotPermission: ChangeReverter<RdsSnapshotChange> = {
  action: ACTION,
  permissions: [
    'rds:DescribeDBSnapshotAttributes',
    'rds:ModifyDBSnapshotAttribute',
    'rds:DescribeDBClusterSnapshotAttributes',
    'rds:ModifyDBClusterSnapshotAttribute',
  ],
  restorePermissions: [
    'rds:DescribeDBSnapshotAttributes',
    'rds:ModifyDBSnapshotAttribute',
    'rds:DescribeDBClusterSnapshotAttributes',
    'rds:ModifyDBClusterSnapshotAttribute',
  ],
  resources: ['rds:snapshot', 'rds:cluster-snapshot'],
  events: EVENTS,
  sweepSwitch: 'revertShares',
  summary: 'removes the accounts (or "all") the event added to an RDS snapshot\'s restore attribute',
  changesOf(record) {
    const basics = isEventOf({ events: EVENTS }, record);
    if (!basics) return [];
    const request = at(record, 'requestParameters');
    if (stringAt(request, 'attributeName') !== RESTORE) return [];
    const kind = basics.eventName === 'ModifyDBSnapshotAttribute' ? 'db' : 'cluster';
    const snapshotId = stringAt(
      request,
      kind === 'db' ? 'dBSnapshotIdentifier' : 'dBClusterSnapshotIdentifier',
    );
    const added = [
      ...new Set(
        itemsOf(at(request, 'valuesToAdd')).filter(
          (value): value is string => typeof value === 'string' && value !== '',
        ),
      ),
    ];
    if (!snapshotId || added.length === 0) return [];
    const target = `${kind === 'db' ? 'db-snapshot' : 'cluster-snapshot'}/${snapshotId}`;
    return [
      changeOf(ACTION, basics, target, { accountId: basics.accountId ?? null, kind, snapshotId, added }),
    ];
  },
  revert,
  undo,
};
