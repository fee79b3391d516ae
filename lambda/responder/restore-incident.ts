/**
 * `cordon restore INCIDENT`: undoes an incident's containments from its record, without lifting
 * what another, still-open incident on the same principal holds.
 *
 * Two incidents can hold one user: `cordon contain user alice` (A), then a finding for alice (B).
 * B found alice already contained: its record says "already done" for the deny and the keys,
 * and its before-state is A's contained state. So:
 * - Restoring A while B is open (the user's `cordon:incident` tag names B): what B holds (every
 *   target B recorded as done or already done, the deny included) is left in place and handed
 *   over to B in A's `restoration` document, with A's own before-state; the rest is restored.
 * - Restoring B later: what A handed over replaces B's outcomes, so B brings back the state
 *   before A, not A's contained state.
 * - Restoring B while A is open (B's before-state tags name A, and A has no restoration): B's
 *   before-state is A's contained state, so restoring it changes little; the deny stays for A.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import {
  INCIDENT_TAG,
  outcomesOf,
  restoreIamUser,
  settle,
  type ContainmentOutcome,
  type ContainmentResult,
  type DenyAllRecord,
  type RestoreResult,
} from '../actions';
import { readUserTags } from '../actions/iam-user/tags';
import {
  isIamUserContainment,
  restoreWithFamily,
  type ActionClients,
  type AnyContainment,
  type AnyRestore,
} from '../actions/registry';
import type { IncidentStore } from '../incidents/store';
import { actionClientsOf, type ServiceClients } from './clients';
import { incidentTagOf } from './holder';
import { storedSweep } from '../sweep/sweep';
import { isIncidentRecord, type IncidentRecord } from './incident-record';

export const RESTORATION_DOCUMENT = 'restoration';
export const INCIDENT_RESTORE_KIND = 'cordon/incident-restore';

/** What a restore left in place on one principal, and for which open incident. */
export interface HandOver {
  /** What was left in place, as the report names it: `IAM user alice`, `IAM role web-app`. */
  readonly subject: string;
  /** For an IAM user: its name (what a later restore of the holder looks its hand-over up by). */
  readonly userName?: string;
  /** The open incident that holds the user. */
  readonly heldBy: string;
  readonly why: string;
  /** This incident's outcomes for what was left in place: the before-state the holder restores later. */
  readonly outcomes: readonly ContainmentOutcome[];
  /** This incident's deny, when the deny was left in place. */
  readonly deny?: DenyAllRecord;
}

export interface IncidentRestore {
  readonly kind: typeof INCIDENT_RESTORE_KIND;
  readonly incidentId: string;
  readonly dryRun: boolean;
  readonly restoredAt: string;
  /** One per enforced containment that was restored (in part or whole): users, roles, instances. */
  readonly results: readonly AnyRestore[];
  /** What was left in place, per user, and why. */
  readonly leftInPlace: readonly HandOver[];
  /**
   * Whether this incident no longer holds anything but what it handed over: every user was
   * restored (in whole or in part). False when a user was skipped (its tags unreadable, or held by
   * an incident unknown to this store): the incident still holds it, and counts as open.
   */
  readonly released: boolean;
  /** Set when the incident changed nothing, with the reason. */
  readonly nothingToRestore?: string;
}

export class IncidentNotFoundError extends Error {
  constructor(incidentId: string, location: string) {
    super(`no incident record ${incidentId} in ${location}`);
    this.name = 'IncidentNotFoundError';
  }
}

interface Restoration {
  readonly kind: typeof INCIDENT_RESTORE_KIND;
  readonly dryRun: boolean;
  readonly released: boolean;
  readonly leftInPlace: readonly HandOver[];
}

function isRestoration(value: unknown): value is Restoration {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === INCIDENT_RESTORE_KIND
  );
}

const keyOf = (outcome: { action: string; target: string }) => `${outcome.action} ${outcome.target}`;

/** Whether an open incident's containment still wants this target contained. */
const holds = (outcome: ContainmentOutcome) => outcome.status === 'done' || outcome.status === 'already-done';

/** An incident's record, and its restoration when one released it (a dry-run restore never does). */
export interface IncidentState {
  readonly record: IncidentRecord | undefined;
  readonly restoration: Restoration | undefined;
}

export async function incidentState(store: IncidentStore, incidentId: string): Promise<IncidentState> {
  const [record, restoration] = await Promise.all([
    store.getDocument(incidentId, 'record'),
    store.getDocument(incidentId, RESTORATION_DOCUMENT),
  ]);
  return {
    record: isIncidentRecord(record) ? record : undefined,
    restoration:
      isRestoration(restoration) && !restoration.dryRun && restoration.released ? restoration : undefined,
  };
}

/** The incident's enforced containment of this user, if it made one. */
export function enforcedContainment(
  record: IncidentRecord | undefined,
  userName: string,
): ContainmentResult | undefined {
  return record?.containments.find(
    (c): c is ContainmentResult => isIamUserContainment(c) && !c.dryRun && c.userName === userName,
  );
}

/** The incident named by the tag that this containment found on the user (the one before it). */
function previousIncident(containment: ContainmentResult): string | null {
  return outcomesOf(containment.outcomes, 'tag-user')[0]?.before?.[INCIDENT_TAG] ?? null;
}

/** The containment with what earlier, since restored, incidents handed over to it in place of its own. */
function withHandOvers(containment: ContainmentResult, handOvers: readonly HandOver[]): ContainmentResult {
  if (handOvers.length === 0) return containment;
  const replacements = new Map(handOvers.flatMap((h) => h.outcomes.map((o) => [keyOf(o), o] as const)));
  const deny = handOvers.find((h) => h.deny)?.deny;
  return {
    ...containment,
    outcomes: containment.outcomes.map((o) => replacements.get(keyOf(o)) ?? o),
    ...(deny ? { deny } : {}),
  };
}

interface UserRestore {
  readonly result?: AnyRestore;
  readonly handOver?: HandOver;
}

async function restoreContainment(
  input: RestoreIncidentInput,
  containment: ContainmentResult,
): Promise<UserRestore> {
  const { iam, store, incidentId } = input;
  const userName = containment.userName;

  // Earlier incidents that, when restored, left something in place for this one.
  const previousId = previousIncident(containment);
  const previous =
    previousId && previousId !== incidentId ? await incidentState(store, previousId) : undefined;
  const handedOver = previous?.restoration?.leftInPlace.filter(
    (h) => h.heldBy === incidentId && h.userName === userName,
  );
  const effective = withHandOvers(containment, handedOver ?? []);
  // An earlier incident still open: the deny this incident found is that incident's.
  const previousOpen =
    previous !== undefined &&
    previous.restoration === undefined &&
    enforcedContainment(previous.record, userName);

  // A later incident still open: the user's tag names it.
  const tags = await settle(() => readUserTags(iam, userName));
  if (!tags.ok) {
    // Without the tag, a later incident's hold cannot be ruled out: nothing is lifted.
    return {
      handOver: {
        subject: `IAM user ${userName}`,
        userName,
        heldBy: 'unknown',
        why: `could not read the tags of ${userName} (${tags.error.name}: ${tags.error.message}), so a later incident on it cannot be ruled out: nothing was restored; run the restore again`,
        outcomes: [],
      },
    };
  }
  const holderId = tags.value.find((tag) => tag.key === INCIDENT_TAG)?.value ?? null;
  const holder = holderId && holderId !== incidentId ? await incidentState(store, holderId) : undefined;
  const holding =
    holder && holder.restoration === undefined ? enforcedContainment(holder.record, userName) : undefined;

  if (holderId && holder && !holder.record) {
    // Tagged by an incident this store does not know: nothing can be told apart, nothing is lifted.
    return {
      handOver: {
        subject: `IAM user ${userName}`,
        userName,
        heldBy: holderId,
        why: `user ${userName} is tagged ${INCIDENT_TAG}=${holderId}, an incident whose record is not in ${store.locationOf(holderId)}: nothing was restored; restore ${holderId} first (from its own store), or remove the tag once it is known to be closed`,
        outcomes: effective.outcomes,
        deny: effective.deny,
      },
    };
  }

  const held = new Set(holding ? holding.outcomes.filter(holds).map(keyOf) : []);
  const keepDenyForLater = holding !== undefined && holding.denied;
  const toRestore: ContainmentResult = held.size
    ? { ...effective, outcomes: effective.outcomes.filter((o) => !held.has(keyOf(o))) }
    : effective;
  const result: RestoreResult = await restoreIamUser({
    iam,
    record: toRestore,
    dryRun: input.dryRun,
    keepDenyAll: keepDenyForLater || Boolean(previousOpen),
  });
  if (holderId && holding) {
    const leftOutcomes = effective.outcomes.filter((o) => held.has(keyOf(o)));
    return {
      result,
      handOver: {
        subject: `IAM user ${userName}`,
        userName,
        heldBy: holderId,
        why: `incident ${holderId} (still open) contained ${userName} after this one: what it holds stays in place (${[
          ...(keepDenyForLater ? ["Cordon's deny"] : []),
          ...leftOutcomes.map((o) => o.target),
        ].join(', ')}); \`cordon restore ${holderId}\` brings it back to its state before this incident`,
        outcomes: leftOutcomes,
        ...(keepDenyForLater ? { deny: effective.deny } : {}),
      },
    };
  }
  if (previousOpen && previousId) {
    return {
      result,
      handOver: {
        subject: `IAM user ${userName}`,
        userName,
        heldBy: previousId,
        why: `incident ${previousId} (still open) had contained ${userName} before this one: its deny stays in place until \`cordon restore ${previousId}\``,
        outcomes: [],
      },
    };
  }
  return { result };
}

/**
 * A role's revocation or an instance's isolation: undone by its family, unless a later incident,
 * still open, holds the principal now (its tag names it). That incident recorded what this one
 * made as "already done", so lifting it now would free what it relies on: it is left in place,
 * and restoring the later incident first, then this one, brings the principal back.
 */
async function restoreOne(input: RestoreIncidentInput, containment: AnyContainment): Promise<UserRestore> {
  if (isIamUserContainment(containment)) return restoreContainment(input, containment);
  const clients: ActionClients = actionClientsOf(input.iam, input.ec2, input.services);
  const tag = await incidentTagOf(containment, clients);
  const holderId = tag.ok ? tag.value : null;
  const holder =
    holderId && holderId !== input.incidentId ? await incidentState(input.store, holderId) : undefined;
  const heldByOpen =
    holder !== undefined &&
    holder.restoration === undefined &&
    holder.record?.containments.some((c) => !c.dryRun && c.subject === containment.subject);
  if (holderId && heldByOpen) {
    return {
      handOver: {
        subject: containment.subject,
        heldBy: holderId,
        why: `incident ${holderId} (still open) contained ${containment.subject} after this one and relies on what this one did: nothing was restored; \`cordon restore ${holderId}\` first, then restore this incident again`,
        outcomes: [],
      },
    };
  }
  const result = await restoreWithFamily(containment, {
    clients,
    dryRun: input.dryRun ?? false,
    accountId: accountOf(containment, input.accountId),
  });
  return { result };
}

/** The account a revert's undo acts in: the one the revert acted in. */
function accountOf(containment: AnyContainment, given: string | undefined): string {
  return containment.kind === 'cordon/change-revert' ? containment.accountId : (given ?? '');
}

export interface RestoreIncidentInput {
  readonly iam: IAMClient;
  /** EC2 in a region, to restore an isolated instance. Default: clients from the environment, one per region. */
  readonly ec2?: ActionClients['ec2'];
  /** S3, Lambda, RDS, CloudTrail, GuardDuty by region, to undo reverts. Default: clients from the environment. */
  readonly services?: ServiceClients;
  /** The account the incident was handled in (its record's); a revert's undo never touches another. */
  readonly accountId?: string;
  readonly store: IncidentStore;
  readonly incidentId: string;
  readonly dryRun?: boolean;
  readonly now?: Date;
}

/** Restores an incident, records what was restored and what was left in place, and returns both. */
export async function restoreIncident(input: RestoreIncidentInput): Promise<IncidentRestore> {
  const { store, incidentId } = input;
  const dryRun = input.dryRun ?? false;
  const restoredAt = (input.now ?? new Date()).toISOString();
  const [stored, sweep] = await Promise.all([
    store.getDocument(incidentId, 'record'),
    storedSweep(store, incidentId),
  ]);
  const record = isIncidentRecord(stored) ? stored : undefined;
  // `cordon sweep` on its own makes an incident with a sweep and no record.
  if (!record && !sweep) throw new IncidentNotFoundError(incidentId, store.locationOf(incidentId));
  const base = { kind: INCIDENT_RESTORE_KIND, incidentId, dryRun, restoredAt } as const;
  // The sweep's reverts and containments are undone with the incident's own, after them.
  const enforced = [...(record?.containments ?? []), ...(sweep?.actions ?? [])].filter((c) => !c.dryRun);
  if (enforced.length === 0) {
    return {
      ...base,
      results: [],
      leftInPlace: [],
      released: true,
      nothingToRestore: `incident ${incidentId} changed nothing (${record?.plan?.heldBack?.reason ?? (sweep?.dryRun ? 'dry-run sweep' : 'no containment')})`,
    };
  }
  // One after the other: two containments of one incident never share a principal. An IAM user
  // goes through the hand-over logic above; a role or an instance is undone by its family, which
  // leaves in place what changed since (a later revocation, another group).
  const parts: UserRestore[] = [];
  for (const containment of enforced) parts.push(await restoreOne(input, containment));
  const restoration: IncidentRestore = {
    ...base,
    results: parts.flatMap((p) => (p.result ? [p.result] : [])),
    leftInPlace: parts.flatMap((p) => (p.handOver ? [p.handOver] : [])),
    released: parts.every((p) => p.result !== undefined),
  };
  if (!dryRun) {
    // `restoration` is what later restores read (the last one counts); `restore-<time>` the history.
    await Promise.all([
      store.putDocument(incidentId, RESTORATION_DOCUMENT, restoration),
      store.putDocument(incidentId, `restore-${restoredAt}`, restoration),
    ]);
  }
  return restoration;
}
