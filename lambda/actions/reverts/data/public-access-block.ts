/**
 * Block Public Access turned off, put back on: what the bucket-level and the account-level
 * reverters share. A delete turned all four settings off, a put turned off the ones it set false
 * (a put replaces the whole configuration, so a setting it left out is off too). The revert reads
 * the current configuration, records it, and turns back on exactly those settings, keeping the
 * others; the undo puts the recorded configuration back (or deletes it when there was none).
 * Where the configuration lives (a bucket, the account) is a `BlockStore`.
 */
import { attempt, settle, type Read } from '../../types';
import { at, changeOf, isEventOf, type RecordBasics } from '../record-fields';
import type {
  ChangeReverter,
  CloudTrailRecord,
  JsonObject,
  JsonValue,
  RevertClients,
  RevertContext,
  RevertibleChange,
  RevertOutcome,
  UndoContext,
} from '../types';
import {
  eventOf,
  fieldOf,
  foreignAccount,
  nothingToUndo,
  outcomeOf,
  revertDone,
  type AccountScoped,
} from './outcome';

export const BLOCK_SETTINGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;
export type BlockSetting = (typeof BLOCK_SETTINGS)[number];
export type BlockConfiguration = { readonly [S in BlockSetting]: boolean };

/** The facts of a Block Public Access change: the settings the event turned off. */
export type BlockChange = AccountScoped & {
  /** The bucket, or null for the account's configuration. */
  readonly bucket: string | null;
  readonly settingsTurnedOff: readonly BlockSetting[];
};

/** Where a configuration lives: read (null: none), put, delete. */
export interface BlockStore {
  /** "bucket customer-exports", "the account 111122223333": for sentences. */
  readonly name: string;
  read(): Promise<BlockConfiguration | null>;
  put(configuration: BlockConfiguration): Promise<unknown>;
  remove(): Promise<unknown>;
}

/** The name S3 and S3 Control both give a missing configuration. */
export const NO_CONFIGURATION = 'NoSuchPublicAccessBlockConfiguration';

/** A configuration as the SDK answers it (a missing setting is off). */
export function configurationOf(
  answer: Partial<Record<BlockSetting, boolean>> | undefined,
): BlockConfiguration {
  return {
    BlockPublicAcls: answer?.BlockPublicAcls === true,
    IgnorePublicAcls: answer?.IgnorePublicAcls === true,
    BlockPublicPolicy: answer?.BlockPublicPolicy === true,
    RestrictPublicBuckets: answer?.RestrictPublicBuckets === true,
  };
}

function isOn(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * The settings a record turned off: all four for a delete; for a put, each one it did not set
 * true. A put with all four true turned nothing off.
 */
export function settingsTurnedOff(record: CloudTrailRecord, eventName: string): readonly BlockSetting[] {
  if (eventName.startsWith('Delete')) return BLOCK_SETTINGS;
  const configuration = at(record, 'requestParameters', 'PublicAccessBlockConfiguration');
  if (typeof configuration !== 'object' || configuration === null) return [];
  return BLOCK_SETTINGS.filter((setting) => !isOn(at(configuration, setting)));
}

/** The change of a record, when it turned some setting off. */
export function blockChangeOf(
  action: string,
  events: ChangeReverter['events'],
  record: CloudTrailRecord,
  targetOf: (basics: RecordBasics, bucket: string | null) => string,
  bucket: string | null,
): readonly RevertibleChange<BlockChange>[] {
  const basics = isEventOf({ events }, record);
  if (!basics) return [];
  const settings = settingsTurnedOff(record, basics.eventName);
  if (settings.length === 0) return [];
  return [
    changeOf(action, basics, targetOf(basics, bucket), {
      accountId: basics.accountId ?? null,
      bucket,
      settingsTurnedOff: [...settings],
    }),
  ];
}

function sameConfiguration(a: BlockConfiguration | null, b: BlockConfiguration | null): boolean {
  if (a === null || b === null) return a === b;
  return BLOCK_SETTINGS.every((setting) => a[setting] === b[setting]);
}

function describe(configuration: BlockConfiguration | null): string {
  if (configuration === null) return 'no configuration';
  const on = BLOCK_SETTINGS.filter((setting) => configuration[setting]);
  return on.length === 0 ? 'all four settings off' : `${on.join(', ')} on`;
}

function recordedConfiguration(before: JsonValue): Read<BlockConfiguration | null> {
  const recorded = fieldOf(before, 'configuration');
  if (recorded === null) return { ok: true, value: null };
  if (typeof recorded === 'object' && recorded !== undefined && !Array.isArray(recorded)) {
    const fields = recorded as JsonObject;
    if (BLOCK_SETTINGS.every((setting) => typeof fields[setting] === 'boolean')) {
      return { ok: true, value: configurationOf(fields) };
    }
  }
  return {
    ok: false,
    error: { name: 'UnreadableBefore', message: 'the recorded configuration has not the four settings' },
  };
}

/** What a Block Public Access reverter says about itself; the rest is shared. */
export interface BlockReverterSpec {
  readonly action: string;
  readonly permissions: readonly string[];
  readonly restorePermissions: readonly string[];
  readonly resources: ChangeReverter['resources'];
  readonly events: ChangeReverter['events'];
  readonly summary: string;
  changesOf(record: CloudTrailRecord): readonly RevertibleChange<BlockChange>[];
  storeOf(change: RevertibleChange<BlockChange>, clients: RevertClients, accountId: string): BlockStore;
}

/** A reverter that turns back on the settings its events turned off, on the spec's store. */
export function blockPublicAccessReverter(spec: BlockReverterSpec): ChangeReverter<BlockChange> {
  const { action } = spec;

  async function revert(change: RevertibleChange<BlockChange>, ctx: RevertContext) {
    const foreign = foreignAccount(action, change, ctx.accountId);
    if (foreign) return [foreign];
    const store = spec.storeOf(change, ctx.clients, ctx.accountId);
    const read = await settle(() => store.read());
    if (!read.ok) {
      const detail = `Could not read the Block Public Access configuration of ${store.name} to revert ${eventOf(change)}.`;
      return [outcomeOf(action, change, 'failed', detail, null, read.error)];
    }
    const before = { configuration: read.value };
    const current = read.value ?? configurationOf(undefined);
    const turnOn = change.details.settingsTurnedOff.filter((setting) => !current[setting]);
    if (turnOn.length === 0) {
      const detail = `Block Public Access of ${store.name} already has ${describe(read.value)}: ${eventOf(change)} is already reverted.`;
      return [outcomeOf(action, change, 'already-done', detail, before)];
    }
    const wanted = { ...current, ...Object.fromEntries(turnOn.map((setting) => [setting, true])) };
    const turning = `${turnOn.join(', ')} back on for ${store.name} (keeping the other settings), undoing ${eventOf(change)}`;
    if (ctx.dryRun) return [outcomeOf(action, change, 'planned', `Would turn ${turning}.`, before)];
    const error = await attempt(() => store.put(wanted));
    if (error) return [outcomeOf(action, change, 'failed', `Could not turn ${turning}.`, before, error)];
    return [outcomeOf(action, change, 'done', `Turned ${turning}.`, before)];
  }

  async function undo(
    change: RevertibleChange<BlockChange>,
    outcomes: readonly RevertOutcome[],
    ctx: UndoContext,
  ) {
    const foreign = foreignAccount(action, change, ctx.accountId);
    if (foreign) return [foreign];
    const reverted = revertDone(action, change, outcomes);
    if (!reverted) return [nothingToUndo(action, change)];
    const store = spec.storeOf(change, ctx.clients, ctx.accountId);
    const recorded = recordedConfiguration(reverted.before);
    if (!recorded.ok) {
      const detail = `The Block Public Access configuration of ${store.name} recorded before reverting ${eventOf(change)} is unreadable; it cannot be put back.`;
      return [outcomeOf(action, change, 'failed', detail, null, recorded.error)];
    }
    const read = await settle(() => store.read());
    if (!read.ok) {
      const detail = `Could not read the Block Public Access configuration of ${store.name} to put back what ${eventOf(change)} set.`;
      return [outcomeOf(action, change, 'failed', detail, null, read.error)];
    }
    const before = { configuration: read.value };
    const wanted = recorded.value;
    if (sameConfiguration(read.value, wanted)) {
      const detail = `Block Public Access of ${store.name} already has ${describe(wanted)}, as recorded before reverting ${eventOf(change)}.`;
      return [outcomeOf(action, change, 'already-done', detail, before)];
    }
    const putBack = `Block Public Access of ${store.name} to ${describe(wanted)}, as recorded before reverting ${eventOf(change)}`;
    if (ctx.dryRun) return [outcomeOf(action, change, 'planned', `Would set ${putBack}.`, before)];
    const error = await attempt(() => (wanted === null ? store.remove() : store.put(wanted)));
    if (error) return [outcomeOf(action, change, 'failed', `Could not set ${putBack}.`, before, error)];
    return [outcomeOf(action, change, 'done', `Set ${putBack}.`, before)];
  }

  return {
    action,
    permissions: spec.permissions,
    restorePermissions: spec.restorePermissions,
    ...(spec.resources ? { resources: spec.resources } : {}),
    events: spec.events,
    sweepSwitch: 'revertShares',
    summary: spec.summary,
    changesOf: (record) => spec.changesOf(record),
    revert,
    undo,
  };
}
