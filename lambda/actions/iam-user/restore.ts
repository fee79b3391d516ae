/**
 * Undoes a containment from its record: every target that containment changed (or tried to) is
 * brought back to its recorded before-state, each step with its outcome. The current state is
 * read first, so that a restore run twice reports `already-done`, and so that what others
 * changed since containment is left alone. Cordon's deny is lifted last, once the rest is back.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { errorOf } from '../types';
import { reactivateAccessKeys } from './access-keys';
import { isLimitExceeded, userTarget, type RestoreContext } from './context';
import { liftDenyAll } from './lift-deny-all';
import { rejoinGroups } from './groups';
import { restoreInlinePolicies } from './inline-policies';
import { restoreLoginProfile } from './login-profile';
import { reattachManagedPolicies } from './managed-policies';
import {
  CONTAINMENT_RECORD_KIND,
  outcomesOf,
  RESTORE_RESULT_KIND,
  type ContainmentResult,
  type RestoreOutcome,
  type RestoreResult,
} from './record';
import { reactivateServiceSpecificCredentials } from './service-credentials';
import { reactivateSigningCertificates } from './signing-certificates';
import { collectSnapshot, startRestoreReads } from './snapshot';
import { reactivateSshPublicKeys } from './ssh-keys';
import { restoreUserTags } from './tags';

export interface RestoreIamUserInput {
  readonly iam: IAMClient;
  /** The record of the first containment of the incident (a later run's record has no true before-state). */
  readonly record: ContainmentResult;
  /** Read and plan; make no write call. Default false. */
  readonly dryRun?: boolean;
  /**
   * Leave Cordon's deny in place (another open incident on the user still needs it). Everything
   * else in `record` is restored; the caller says why the deny stays.
   */
  readonly keepDenyAll?: boolean;
}

interface RestorePart {
  readonly outcomes: readonly RestoreOutcome[];
  readonly manualSteps: readonly string[];
}

/** A module that threw instead of reporting still gives an outcome. */
async function guarded(
  action: RestoreOutcome['action'],
  userName: string,
  run: () => Promise<RestorePart | readonly RestoreOutcome[]> | RestorePart,
): Promise<RestorePart> {
  try {
    const part = await run();
    return 'outcomes' in part ? part : { outcomes: part, manualSteps: [] };
  } catch (thrown) {
    return {
      outcomes: [],
      manualSteps: [
        `${action} on ${userTarget(userName)} stopped on an unexpected error (${errorOf(thrown).message}): check it by hand.`,
      ],
    };
  }
}

export async function restoreIamUser(input: RestoreIamUserInput): Promise<RestoreResult> {
  const { record } = input;
  if (record.kind !== CONTAINMENT_RECORD_KIND || record.schemaVersion !== 1) {
    throw new TypeError(`restoreIamUser: not an IAM user containment record (kind ${String(record.kind)})`);
  }
  const ctx: RestoreContext = {
    iam: input.iam,
    userName: record.userName,
    incidentId: record.incidentId,
    dryRun: input.dryRun ?? false,
  };
  const result = (parts: readonly RestorePart[]): RestoreResult => {
    const outcomes = parts.flatMap((part) => part.outcomes);
    const manualSteps = parts.flatMap((part) => part.manualSteps);
    return {
      kind: RESTORE_RESULT_KIND,
      incidentId: record.incidentId,
      userName: record.userName,
      subject: `IAM user ${record.userName}`,
      dryRun: ctx.dryRun,
      complete: manualSteps.length === 0 && outcomes.every((outcome) => outcome.status !== 'failed'),
      outcomes,
      manualSteps,
    };
  };
  // A dry-run containment changed nothing: there is nothing to undo.
  if (record.dryRun) return result([]);

  const current = await collectSnapshot(startRestoreReads(ctx.iam, ctx.userName));
  const { outcomes } = record;
  const restored = await Promise.all([
    guarded('restore-access-key-status', ctx.userName, () =>
      reactivateAccessKeys(ctx, outcomesOf(outcomes, 'deactivate-access-key'), current.accessKeys),
    ),
    guarded('restore-login-profile', ctx.userName, () =>
      restoreLoginProfile(ctx, outcomesOf(outcomes, 'delete-login-profile'), current.loginProfile),
    ),
    guarded('reattach-managed-policy', ctx.userName, () =>
      reattachManagedPolicies(ctx, outcomesOf(outcomes, 'detach-managed-policy'), current.managedPolicies),
    ),
    guarded('restore-inline-policy', ctx.userName, () =>
      restoreInlinePolicies(ctx, outcomesOf(outcomes, 'delete-inline-policy'), current.inlinePolicies),
    ),
    guarded('rejoin-group', ctx.userName, () =>
      rejoinGroups(ctx, outcomesOf(outcomes, 'remove-from-group'), current.groups),
    ),
    guarded('restore-ssh-public-key-status', ctx.userName, () =>
      reactivateSshPublicKeys(ctx, outcomesOf(outcomes, 'deactivate-ssh-public-key'), current.sshPublicKeys),
    ),
    guarded('restore-signing-certificate-status', ctx.userName, () =>
      reactivateSigningCertificates(
        ctx,
        outcomesOf(outcomes, 'deactivate-signing-certificate'),
        current.signingCertificates,
      ),
    ),
    guarded('restore-service-specific-credential-status', ctx.userName, () =>
      reactivateServiceSpecificCredentials(
        ctx,
        outcomesOf(outcomes, 'deactivate-service-specific-credential'),
        current.serviceSpecificCredentials,
      ),
    ),
    guarded('restore-user-tags', ctx.userName, () =>
      restoreUserTags(ctx, outcomesOf(outcomes, 'tag-user'), current.tags),
    ),
  ]);
  if (input.keepDenyAll) return result(restored);
  // Last: the user stays denied until everything else is back.
  const lift = await guarded('lift-deny-all', ctx.userName, () => liftDenyAll(ctx, record.deny, current));
  // Cordon's inline deny counts against the user's inline size quota: a document it crowded out
  // goes back once the deny is gone.
  const crowdedOut = new Set(
    restored
      .flatMap((part) => part.outcomes)
      .flatMap((outcome) =>
        outcome.action === 'restore-inline-policy' &&
        outcome.status === 'failed' &&
        outcome.error &&
        isLimitExceeded(outcome.error)
          ? [outcome.before.policyName]
          : [],
      ),
  );
  if (crowdedOut.size === 0) return result([...restored, lift]);
  const retried = await guarded('restore-inline-policy', ctx.userName, () =>
    restoreInlinePolicies(
      ctx,
      outcomesOf(outcomes, 'delete-inline-policy').filter(
        (outcome) => outcome.before !== null && crowdedOut.has(outcome.before.policyName),
      ),
      current.inlinePolicies,
    ),
  );
  const withoutCrowdedOut = restored.map((part) => ({
    ...part,
    outcomes: part.outcomes.filter(
      (outcome) => !(outcome.action === 'restore-inline-policy' && crowdedOut.has(outcome.before.policyName)),
    ),
  }));
  return result([...withoutCrowdedOut, lift, retried]);
}
