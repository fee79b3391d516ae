/**
 * Containment of an IAM user as dataflow, not rounds:
 *
 * - the deny-all goes out first and, beside it without waiting for it, every read (depth 1);
 * - each change starts as soon as the one read it depends on has answered (change-chains.ts):
 *   the keys, the password, the detaches, the groups, the tag at depth 2; an inline policy's
 *   delete right after its own document is read (depth 3);
 * - the deny's fallbacks (AWSDenyAll, then the boundary) wait only for the deny's answer, GetUser
 *   and the attached policies (depths 2 and 3); only when the inline deny was refused do the
 *   detaches wait for the AWSDenyAll attach to be answered (depth 3 instead of 2), so that they
 *   never free the quota slot that attach is refused for.
 *
 * So the user is denied after one round trip, its keys are inactive after two and it is fully cut
 * off after three, whatever the number of keys, policies and groups; a slow or failing read delays
 * only the changes that need it. The before-state is collected for the record once every read is
 * in, which delays no change. One failed action never stops another: each failure is an outcome
 * with IAM's error. The client is the caller's, retry mode included.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { errorOf } from '../types';
import { startChanges } from './change-chains';
import { userTarget, type ContainContext } from './context';
import {
  putInlineDeny,
  startDenyAll,
  type DenyAllBefore,
  type DenyAllOutcome,
  type DenyAllRecord,
} from './deny-all';
import { CONTAINMENT_RECORD_KIND, type ContainmentOutcome, type ContainmentResult } from './record';
import { collectSnapshot, startContainmentReads } from './snapshot';

export interface ContainIamUserInput {
  /** Configured by the caller: region, credentials, bounded retry (lambda/responder/clients.ts). */
  readonly iam: IAMClient;
  readonly userName: string;
  readonly incidentId: string;
  /** Read and plan; make no write call. Default false. */
  readonly dryRun?: boolean;
  /** The containment instant, or a clock. Default: the current time. */
  readonly now?: Date | (() => Date);
  /** The partition for AWSDenyAll's ARN. Default: from the user's ARN, else from the client's region. */
  readonly partition?: string;
}

const UNKNOWN_DENY_BEFORE: DenyAllBefore = {
  inlinePolicyDocument: null,
  awsDenyAllAttached: null,
  permissionsBoundaryArn: null,
  permissionsBoundaryKnown: false,
};

export async function containIamUser(input: ContainIamUserInput): Promise<ContainmentResult> {
  if (!input.userName) throw new TypeError('containIamUser: userName is required');
  if (!input.incidentId) throw new TypeError('containIamUser: incidentId is required');
  const now = typeof input.now === 'function' ? input.now() : (input.now ?? new Date());
  const ctx: ContainContext = {
    iam: input.iam,
    userName: input.userName,
    incidentId: input.incidentId,
    dryRun: input.dryRun ?? false,
    now,
  };

  // The deny goes out first, before anything is listed...
  const inlinePut = ctx.dryRun ? undefined : putInlineDeny(ctx);
  // ...and every read beside it, without waiting for it (the documents follow their list).
  const reads = startContainmentReads(ctx.iam, ctx.userName);
  const deny = startDenyAll(ctx, inlinePut, reads.snapshot, input.partition);
  const denial = deny.settled.catch(
    (thrown: unknown): { record: DenyAllRecord; outcome: DenyAllOutcome } => ({
      record: {
        denied: false,
        method: null,
        policyName: 'cordon-deny-all',
        awsDenyAllArn: '',
        attempts: [],
        before: UNKNOWN_DENY_BEFORE,
      },
      outcome: {
        action: 'deny-all',
        target: userTarget(ctx.userName),
        status: 'failed',
        detail: 'THE USER IS NOT KNOWN TO BE DENIED: the deny-all stopped on an unexpected error',
        error: errorOf(thrown),
        before: UNKNOWN_DENY_BEFORE,
      },
    }),
  );
  // Each change chained on its own read, all started now.
  const changes = startChanges(ctx, reads, { managedSlotSettled: deny.managedSlotSettled });
  const before = await collectSnapshot(reads.snapshot);
  const changed = await changes;
  const denied = await denial;

  const outcomes: ContainmentOutcome[] = [denied.outcome, ...changed];
  return {
    kind: CONTAINMENT_RECORD_KIND,
    schemaVersion: 1,
    incidentId: ctx.incidentId,
    userName: ctx.userName,
    subject: `IAM user ${ctx.userName}`,
    userArn: before.user.ok ? before.user.value.arn : null,
    dryRun: ctx.dryRun,
    startedAt: now.toISOString(),
    effective: !ctx.dryRun && denied.record.denied,
    denied: denied.record.denied,
    deny: denied.record,
    before,
    mfaDevices: before.mfaDevices.ok ? before.mfaDevices.value.map((device) => device.serialNumber) : [],
    outcomes,
    failures: outcomes.filter((outcome) => outcome.status === 'failed').length,
  };
}
