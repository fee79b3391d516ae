/**
 * The sweep: after containment, read the attacker's CloudTrail timeline in every enabled region and
 * stop what it started. For each page of events (newest first, regions in parallel, each under its
 * own LookupEvents rate limit):
 * - a change a reverter undoes (an instance launched, an ingress rule, a key created, a trail
 *   stopped, ...) is reverted, if its `sweep.reverts` switch is on;
 * - a user it created is contained, a role it created denied everything;
 * - a credential it made (AssumeRole, GetSessionToken, GetFederationToken, CreateAccessKey) is
 *   swept in turn, to `sweep.derivedCredentialDepth` hops, and an assumed role's older sessions
 *   are revoked;
 * - every other write is listed as "needs review".
 *
 * The sweep streams: one page per region in memory, acted on before the next is asked for. Its
 * state (each credential's cursor per region, what was done) is the `sweep` document of the
 * incident, saved after every page, so a sweep cut off by its time budget (a Lambda invocation's
 * end) continues from there in a fresh one, with no event missed; an event read twice (the
 * invocation died between acting and saving) finds its revert already done.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CordonConfig } from '../config/schema';
import { reverterOf, revertibleChangesOf } from '../actions/reverts';
import { stringAt } from '../actions/reverts/record-fields';
import type { CloudTrailRecord } from '../actions/reverts/types';
import type { ActionClients, AnyContainment } from '../actions/registry';
import type { IncidentStore } from '../incidents/store';
import type { Plan, PlannedAction } from '../planning/plan';
import { decideProtection, type OwnDeployment } from '../planning/protected-principals';
import { executePlan } from '../responder/execute';
import { createdPrincipalOf, derivedCredentialOf } from './derived-credentials';
import {
  readTimeline,
  START_CURSOR,
  TimelineReadError,
  type LookupQuery,
  type RegionCursor,
  type ThrottleRetry,
} from './lookup-events';
import { addForReview, isWriteEvent, type ReviewGroup } from './needs-review';
import { RegionRateLimiters } from './rate-limiter';

export const SWEEP_DOCUMENT = 'sweep';
export const SWEEP_KIND = 'cordon/sweep';

/** One credential whose timeline is swept. */
export interface SweptCredential {
  readonly accessKeyId: string;
  /** Its IAM user, whose console activity (events by user name, without this key) is swept too. */
  readonly userName?: string;
  /** 0 for the compromised key; n for a credential made n hops from it. */
  readonly depth: number;
  /** How it was found: `the incident's key`, or the call that made it. */
  readonly via: string;
  /** Each region's cursor, by lookup attribute (`AccessKeyId`, `Username`). */
  readonly cursors: Readonly<Record<string, Readonly<Record<string, RegionCursor>>>>;
  readonly done: boolean;
}

/** What the sweep found and did in one region. */
export interface RegionTally {
  readonly eventsRead: number;
  readonly pagesRead: number;
  readonly throttled: number;
  readonly reverted: number;
  readonly failed: number;
  readonly needsReview: number;
}

/** The sweep's state and its damage report: the incident's `sweep` document. */
export interface SweepState {
  readonly kind: typeof SWEEP_KIND;
  readonly schemaVersion: 1;
  readonly incidentId: string;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** The time range read: from the look-back before the first malicious event to the sweep's start. */
  readonly since: string;
  readonly until: string;
  readonly regions: readonly string[];
  /** Why only these regions, when the enabled ones could not be listed. */
  readonly regionsNote?: string;
  readonly credentials: readonly SweptCredential[];
  /** Every region's timeline of every credential is read to its end. */
  readonly done: boolean;
  /** How many runs (Lambda invocations, CLI runs) it took so far. */
  readonly runs: number;
  readonly byRegion: Readonly<Record<string, RegionTally>>;
  /** Every revert and containment the sweep ran (or planned, on a dry run), in the order done. */
  readonly actions: readonly AnyContainment[];
  /** Roles whose older sessions were revoked, users and roles contained (each once per sweep). */
  readonly handledPrincipals: readonly string[];
  readonly needsReview: readonly ReviewGroup[];
  /** What could not be read or done as a whole, in words. */
  readonly errors: readonly string[];
  /** When the damage report went out (once, by the run that finished the sweep). */
  readonly reportedAt?: string;
}

export interface SweepStart {
  readonly accessKeyId: string;
  readonly userName?: string;
  /** The first malicious event: the look-back counts from it. */
  readonly firstSeen: Date;
  readonly dryRun: boolean;
  /** Overrides the config's look-back (`cordon sweep --since`). */
  readonly since?: Date;
}

export interface SweepDependencies {
  /** What reverts and containments call. */
  readonly clients: ActionClients;
  /** LookupEvents, per region (honours AWS_ENDPOINT_URL_CLOUDTRAIL). */
  readonly cloudtrail: (region: string) => CloudTrailClient;
  readonly store: IncidentStore;
  readonly config: Pick<CordonConfig, 'sweep' | 'protectedPrincipals'>;
  readonly own: OwnDeployment;
  /** The regions to read (the account's enabled ones), when the sweep starts. */
  readonly regions: () => Promise<{ readonly regions: readonly string[]; readonly note?: string }>;
  readonly limiters?: RegionRateLimiters;
  readonly retry?: ThrottleRetry;
  readonly now?: () => Date;
  /** Told after every page: `cordon sweep` prints it. */
  readonly onProgress?: (progress: SweepProgress) => void;
}

export interface SweepProgress {
  readonly accessKeyId: string;
  readonly region: string;
  readonly cursor: RegionCursor;
  readonly actions: number;
}

export interface SweepRun {
  readonly incidentId: string;
  /** For a new sweep; none to continue the stored one. */
  readonly start?: SweepStart;
  /** Asked before every page: true ends this run, and the state saved lets the next continue. */
  readonly shouldStop: () => boolean;
}

export class SweepNotFoundError extends Error {
  override readonly name = 'SweepNotFoundError';
}

const EMPTY_TALLY: RegionTally = {
  eventsRead: 0,
  pagesRead: 0,
  throttled: 0,
  reverted: 0,
  failed: 0,
  needsReview: 0,
};

function isSweepState(value: unknown): value is SweepState {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === SWEEP_KIND;
}

/** Reads the stored sweep of an incident, if there is one. */
export async function storedSweep(store: IncidentStore, incidentId: string): Promise<SweepState | undefined> {
  const document = await store.getDocument(incidentId, SWEEP_DOCUMENT);
  return isSweepState(document) ? document : undefined;
}

/** The planned actions of one record of the timeline, and whether anything handled it. */
interface RecordPlan {
  readonly actions: readonly PlannedAction[];
  readonly derived?: { readonly accessKeyId: string; readonly via: string; readonly userName?: string };
  readonly handled: boolean;
}

/**
 * Runs (or continues) the sweep of an incident until its timeline is read to the end or
 * `shouldStop` says to stop; the state is saved after every page. Resolves with the state.
 */
export async function runSweep(run: SweepRun, deps: SweepDependencies): Promise<SweepState> {
  const clock = deps.now ?? (() => new Date());
  let state = await storedSweep(deps.store, run.incidentId);
  if (!state) {
    if (!run.start) throw new SweepNotFoundError(`no sweep of incident ${run.incidentId} to continue`);
    state = await newSweep(run.incidentId, run.start, deps, clock());
  }
  if (state.done) return state;
  state = { ...state, runs: state.runs + 1 };
  const limiters = deps.limiters ?? new RegionRateLimiters();
  const sweep = deps.config.sweep;
  // Saves one at a time, in order: pages of several regions finish at once.
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    const snapshot = { ...state!, updatedAt: clock().toISOString() };
    saving = saving.then(() => deps.store.putDocument(run.incidentId, SWEEP_DOCUMENT, snapshot));
    return saving;
  };

  const sweptKeys = (): ReadonlySet<string> => new Set(state!.credentials.map((c) => c.accessKeyId));

  /** What to do about one record; pure but for the state it reads (what was handled already). */
  const planRecord = (record: CloudTrailRecord, depth: number, swept: ReadonlySet<string>): RecordPlan => {
    const actions: PlannedAction[] = [];
    let handled = false;
    for (const change of revertibleChangesOf(record)) {
      const reverter = reverterOf(change);
      handled = true;
      if (!reverter || !sweep.reverts[reverter.sweepSwitch]) continue;
      actions.push({
        kind: 'revert-change',
        change,
        terminateInstances: sweep.terminateInstances,
        reason: `the swept credentials made this change (${change.eventName}, ${change.eventTime})`,
      });
    }
    const created = createdPrincipalOf(record);
    if (created) {
      handled = true;
      const id = created.kind === 'user' ? `user/${created.userName}` : `role/${created.roleName}`;
      if (sweep.reverts.containCreatedPrincipals && !state!.handledPrincipals.includes(id)) {
        actions.push(
          created.kind === 'user'
            ? {
                kind: 'contain-iam-user',
                userName: created.userName,
                reason: `the swept credentials created it (CreateUser ${created.eventId})`,
              }
            : {
                kind: 'revoke-role-sessions',
                roleName: created.roleName,
                denyAll: true,
                reason: `the swept credentials created it (CreateRole ${created.eventId}): denied everything, every session revoked`,
              },
        );
      }
    }
    const derived = derivedCredentialOf(record);
    let next: RecordPlan['derived'];
    if (derived) {
      handled = true;
      if (depth < sweep.derivedCredentialDepth && !swept.has(derived.accessKeyId)) {
        next = {
          accessKeyId: derived.accessKeyId,
          via: derived.via,
          ...(derived.userName ? { userName: derived.userName } : {}),
        };
      }
      const role = derived.role;
      if (
        role &&
        sweep.reverts.revokeDerivedRoleSessions &&
        !state!.handledPrincipals.includes(`role/${role.name}`)
      ) {
        const protection = decideProtection({
          principal: { type: 'AssumedRole', roleName: role.name, roleArn: role.arn },
          configuredPatterns: deps.config.protectedPrincipals,
          own: deps.own,
        });
        if (protection.kind === 'not-protected') {
          actions.push({
            kind: 'revoke-role-sessions',
            roleName: role.name,
            roleArn: role.arn,
            denyAll: false,
            reason: `the swept credentials assumed it (${derived.via}): its sessions issued before now are revoked, the attacker's among them`,
          });
        } else {
          state = {
            ...state!,
            errors: [
              ...state!.errors,
              `role ${role.arn}, assumed by the swept credentials (${derived.via}), is protected (${protection.kind === 'protected' ? protection.why : 'undecided'}): its sessions are NOT revoked; review them by hand`,
            ],
          };
        }
      }
    }
    return { actions, ...(next ? { derived: next } : {}), handled };
  };

  const principalIdOf = (action: PlannedAction): string | undefined =>
    action.kind === 'contain-iam-user'
      ? `user/${action.userName}`
      : action.kind === 'revoke-role-sessions'
        ? `role/${action.roleName}`
        : undefined;

  const handlePage = async (
    credentialIndex: number,
    region: string,
    records: readonly CloudTrailRecord[],
    attribute: LookupQuery['attribute']['key'],
  ): Promise<{ actions: number }> => {
    const credential = state!.credentials[credentialIndex];
    const swept = sweptKeys();
    const actions: PlannedAction[] = [];
    const review: CloudTrailRecord[] = [];
    const found: NonNullable<RecordPlan['derived']>[] = [];
    for (const record of records) {
      // Events by user name made with a key the sweep reads anyway are read there, by key.
      if (attribute === 'Username') {
        const key = stringAt(record.userIdentity, 'accessKeyId');
        if (key !== undefined && swept.has(key)) continue;
      }
      if (!isWriteEvent(record) || (record.errorCode !== undefined && record.errorCode !== null)) continue;
      const planned = planRecord(record, credential.depth, swept);
      for (const action of planned.actions) {
        const id = principalIdOf(action);
        if (id && actions.some((other) => principalIdOf(other) === id)) continue;
        actions.push(action);
      }
      if (planned.derived && !found.some((f) => f.accessKeyId === planned.derived!.accessKeyId))
        found.push(planned.derived);
      if (!planned.handled) review.push(record);
    }
    const plan: Plan = {
      response: 'revert',
      severity: 'high',
      enforce: !state!.dryRun,
      actions,
      manualSteps: [],
      reasons: [],
    };
    const execution = actions.length
      ? await executePlan({
          plan,
          clients: deps.clients,
          incidentId: run.incidentId,
          now: clock(),
          accountId: deps.own.accountId,
          attackSeenAt: state!.since,
        })
      : { containments: [], errors: [] };
    const failedRecords = execution.containments.filter(
      (c) => c.failures > 0 || (!c.dryRun && !c.effective),
    ).length;
    const failed = failedRecords + execution.errors.length;
    const tally = state!.byRegion[region] ?? EMPTY_TALLY;
    let groups = state!.needsReview;
    for (const record of review) groups = addForReview(groups, record);
    const newPrincipals = actions.map(principalIdOf).filter((id): id is string => id !== undefined);
    state = {
      ...state!,
      actions: [...state!.actions, ...execution.containments],
      errors: [...state!.errors, ...execution.errors.map((e) => `${e.action}: ${e.name}: ${e.message}`)],
      handledPrincipals: [...new Set([...state!.handledPrincipals, ...newPrincipals])],
      needsReview: groups,
      credentials: [
        ...state!.credentials,
        ...found
          .filter((f) => !state!.credentials.some((c) => c.accessKeyId === f.accessKeyId))
          .map((f) => ({
            accessKeyId: f.accessKeyId,
            ...(f.userName ? { userName: f.userName } : {}),
            depth: credential.depth + 1,
            via: f.via,
            cursors: {},
            done: false,
          })),
      ],
      byRegion: {
        ...state!.byRegion,
        [region]: {
          ...tally,
          reverted: tally.reverted + execution.containments.length - failedRecords,
          failed: tally.failed + failed,
          needsReview: tally.needsReview + review.length,
        },
      },
    };
    return { actions: actions.length };
  };

  for (let index = 0; index < state.credentials.length; index++) {
    if (state.credentials[index].done) continue;
    if (run.shouldStop()) break;
    const credential = state.credentials[index];
    const queries: LookupQuery[] = [
      {
        attribute: { key: 'AccessKeyId', value: credential.accessKeyId },
        startTime: new Date(state.since),
        endTime: new Date(state.until),
      },
      ...(credential.userName
        ? [
            {
              attribute: { key: 'Username' as const, value: credential.userName },
              startTime: new Date(state.since),
              endTime: new Date(state.until),
            },
          ]
        : []),
    ];
    let complete = true;
    for (const query of queries) {
      const attribute = query.attribute.key;
      const setCursor = (region: string, cursor: RegionCursor) => {
        const current = state!.credentials[index];
        const tally = state!.byRegion[region] ?? EMPTY_TALLY;
        const before = current.cursors[attribute]?.[region] ?? START_CURSOR;
        state = {
          ...state!,
          credentials: state!.credentials.map((c, i) =>
            i === index
              ? {
                  ...c,
                  cursors: { ...c.cursors, [attribute]: { ...c.cursors[attribute], [region]: cursor } },
                }
              : c,
          ),
          byRegion: {
            ...state!.byRegion,
            [region]: {
              ...tally,
              eventsRead: tally.eventsRead + cursor.eventsRead - before.eventsRead,
              pagesRead: tally.pagesRead + cursor.pagesRead - before.pagesRead,
              throttled: tally.throttled + cursor.throttled - before.throttled,
            },
          },
        };
      };
      let cursors: Record<string, RegionCursor>;
      try {
        cursors = await readTimeline({
          regions: state.regions,
          query,
          cursors: state.credentials[index].cursors[attribute] ?? {},
          clientFor: deps.cloudtrail,
          limiters,
          retry: deps.retry,
          shouldStop: run.shouldStop,
          onPage: async (region, records, after) => {
            let actions = 0;
            try {
              ({ actions } = await handlePage(index, region, records, attribute));
            } catch (error) {
              // A bug here must not lose the page: it is reported, and the read goes on.
              state = {
                ...state!,
                errors: [...state!.errors, `page ${after.pagesRead} of ${region}: ${String(error)}`],
              };
            }
            setCursor(region, after);
            await save();
            deps.onProgress?.({ accessKeyId: credential.accessKeyId, region, cursor: after, actions });
          },
        });
      } catch (error) {
        if (!(error instanceof TimelineReadError)) throw error;
        cursors = { ...error.cursors };
        state = { ...state, errors: [...state.errors, ...error.failures.map((f) => f.message)] };
        // A region that failed is marked done with its error: the report says what was not read.
        for (const failure of error.failures) cursors[failure.region] = { ...failure.cursor, done: true };
      }
      for (const [region, cursor] of Object.entries(cursors)) {
        const stored = state.credentials[index].cursors[attribute]?.[region];
        if (!stored || stored.done !== cursor.done || stored.pagesRead !== cursor.pagesRead)
          setCursor(region, cursor);
      }
      if (!state.regions.every((region) => cursors[region]?.done)) complete = false;
    }
    if (complete) {
      state = {
        ...state,
        credentials: state.credentials.map((c, i) => (i === index ? { ...c, done: true } : c)),
      };
    }
  }
  state = { ...state, done: state.credentials.every((c) => c.done) };
  await save();
  return state;
}

async function newSweep(
  incidentId: string,
  start: SweepStart,
  deps: SweepDependencies,
  now: Date,
): Promise<SweepState> {
  const lookback = deps.config.sweep.lookbackMinutes * 60_000;
  const since = start.since ?? new Date(start.firstSeen.getTime() - lookback);
  const { regions, note } = await deps.regions();
  return {
    kind: SWEEP_KIND,
    schemaVersion: 1,
    incidentId,
    dryRun: start.dryRun,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    since: since.toISOString(),
    until: now.toISOString(),
    regions,
    ...(note ? { regionsNote: note } : {}),
    credentials: [
      {
        accessKeyId: start.accessKeyId,
        ...(start.userName ? { userName: start.userName } : {}),
        depth: 0,
        via: "the incident's credentials",
        cursors: {},
        done: false,
      },
    ],
    done: false,
    runs: 0,
    byRegion: {},
    actions: [],
    handledPrincipals: [],
    needsReview: [],
    errors: [],
  };
}

/** The sweep's actions as the report lists them: `done: subject: detail`. */
export function sweepActionLines(state: SweepState): readonly string[] {
  return state.actions.flatMap((record) =>
    record.outcomes.map((o) => `${o.status}: ${o.action} ${o.target} (${record.subject}): ${o.detail}`),
  );
}
