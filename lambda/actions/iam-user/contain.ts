/**
 * Containment of an IAM user in three round trips, whatever the number of keys, policies and
 * groups:
 *
 * 1. the deny-all goes out first and, beside it without waiting for it, every read;
 * 2. the inline policy documents (they must be kept before the policies are deleted);
 * 3. every change at once.
 *
 * The deny's fallbacks (AWSDenyAll, then the boundary) run beside rounds two and three, so that
 * even a twice-refused deny costs no extra round. One failed action never stops another: each
 * failure is an outcome with IAM's error. The client is the caller's, retry mode included.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { errorOf } from '../types';
import { deactivateAccessKeys } from './access-keys';
import { userTarget, type ContainContext } from './context';
import {
  putInlineDeny,
  settleDenyAll,
  type DenyAllBefore,
  type DenyAllOutcome,
  type DenyAllRecord,
} from './deny-all';
import { removeFromGroups } from './groups';
import { deleteInlinePolicies } from './inline-policies';
import { deleteLoginProfile } from './login-profile';
import { detachManagedPolicies } from './managed-policies';
import { recordMfaDevices } from './mfa-devices';
import { CONTAINMENT_RECORD_KIND, type ContainmentOutcome, type ContainmentResult } from './record';
import { deactivateServiceSpecificCredentials } from './service-credentials';
import { deactivateSigningCertificates } from './signing-certificates';
import { collectSnapshot, startSnapshotReads } from './snapshot';
import { deactivateSshPublicKeys } from './ssh-keys';
import { tagUser } from './tags';

export interface ContainIamUserInput {
  /** Configured by the caller: region, credentials, adaptive retry. */
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

type ChangeAction = Exclude<ContainmentOutcome['action'], 'deny-all'>;

/** A module that threw instead of reporting (a bug, not an AWS refusal) still gives an outcome. */
async function guarded(
  action: ChangeAction,
  userName: string,
  run: () => Promise<readonly ContainmentOutcome[]> | readonly ContainmentOutcome[],
): Promise<readonly ContainmentOutcome[]> {
  try {
    return await run();
  } catch (thrown) {
    const failure: ContainmentOutcome = {
      action,
      target: userTarget(userName),
      status: 'failed',
      detail: 'the action stopped on an unexpected error',
      error: errorOf(thrown),
      before: null,
    };
    return [failure];
  }
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

  // Round one: the deny goes out first, before anything is listed...
  const inlinePut = ctx.dryRun ? undefined : putInlineDeny(ctx);
  // ...and every read beside it, without waiting for it (the documents follow their list: round two).
  const reads = startSnapshotReads(ctx.iam, ctx.userName);
  const denial = settleDenyAll(ctx, inlinePut, reads, input.partition).catch(
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
  const before = await collectSnapshot(reads);

  // Round three: every change at once.
  const changes = await Promise.all([
    guarded('deactivate-access-key', ctx.userName, () => deactivateAccessKeys(ctx, before.accessKeys)),
    guarded('delete-login-profile', ctx.userName, () => deleteLoginProfile(ctx, before.loginProfile)),
    guarded('detach-managed-policy', ctx.userName, () => detachManagedPolicies(ctx, before.managedPolicies)),
    guarded('delete-inline-policy', ctx.userName, () => deleteInlinePolicies(ctx, before.inlinePolicies)),
    guarded('remove-from-group', ctx.userName, () => removeFromGroups(ctx, before.groups)),
    guarded('deactivate-ssh-public-key', ctx.userName, () =>
      deactivateSshPublicKeys(ctx, before.sshPublicKeys),
    ),
    guarded('deactivate-signing-certificate', ctx.userName, () =>
      deactivateSigningCertificates(ctx, before.signingCertificates),
    ),
    guarded('deactivate-service-specific-credential', ctx.userName, () =>
      deactivateServiceSpecificCredentials(ctx, before.serviceSpecificCredentials),
    ),
    guarded('tag-user', ctx.userName, () => tagUser(ctx, before.tags)),
    guarded('record-mfa-device', ctx.userName, () => recordMfaDevices(ctx, before.mfaDevices)),
  ]);
  const deny = await denial;

  const outcomes: ContainmentOutcome[] = [deny.outcome, ...changes.flat()];
  return {
    kind: CONTAINMENT_RECORD_KIND,
    schemaVersion: 1,
    incidentId: ctx.incidentId,
    userName: ctx.userName,
    userArn: before.user.ok ? before.user.value.arn : null,
    dryRun: ctx.dryRun,
    startedAt: now.toISOString(),
    denied: deny.record.denied,
    deny: deny.record,
    before,
    mfaDevices: before.mfaDevices.ok ? before.mfaDevices.value.map((device) => device.serialNumber) : [],
    outcomes,
    failures: outcomes.filter((outcome) => outcome.status === 'failed').length,
  };
}
