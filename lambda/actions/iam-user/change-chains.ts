/**
 * Every change of a containment, each chained on the one read it depends on: the keys go out as
 * soon as ListAccessKeys has answered, a detach as soon as ListAttachedUserPolicies has, an inline
 * policy's delete as soon as its own GetUserPolicy has (its document kept). No chain waits for
 * another chain's read, so a slow, retried or failed read delays only the changes that need it.
 * The one wait beside a chain's own read: detaches wait for the deny's AWSDenyAll attempt when
 * the inline deny was refused (deny-all.ts `startDenyAll`).
 */
import { errorOf } from '../types';
import { deactivateAccessKeys } from './access-keys';
import { userTarget, type ContainContext } from './context';
import { removeFromGroups } from './groups';
import { deleteInlinePoliciesAsRead } from './inline-policies';
import { deleteLoginProfile } from './login-profile';
import { detachManagedPolicies } from './managed-policies';
import { recordMfaDevices } from './mfa-devices';
import type { ContainmentOutcome } from './record';
import { deactivateServiceSpecificCredentials } from './service-credentials';
import { deactivateSigningCertificates } from './signing-certificates';
import type { ContainmentReads } from './snapshot';
import { deactivateSshPublicKeys } from './ssh-keys';
import { tagUser } from './tags';

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

/**
 * Starts every chain now (each waits only for its own read) and resolves to their outcomes, in a
 * fixed order, once all are done.
 */
export async function startChanges(
  ctx: ContainContext,
  reads: ContainmentReads,
  deny: { readonly managedSlotSettled: Promise<void> },
): Promise<ContainmentOutcome[]> {
  const { snapshot } = reads;
  const chain = (
    action: ChangeAction,
    run: () => Promise<readonly ContainmentOutcome[]> | readonly ContainmentOutcome[],
  ) => guarded(action, ctx.userName, run);
  const changes = await Promise.all([
    chain('deactivate-access-key', async () => deactivateAccessKeys(ctx, await snapshot.accessKeys)),
    chain('delete-login-profile', async () => deleteLoginProfile(ctx, await snapshot.loginProfile)),
    chain('detach-managed-policy', async () => {
      // Also waits for the deny's AWSDenyAll attempt, only when the inline deny was refused.
      const [attached] = await Promise.all([snapshot.managedPolicies, deny.managedSlotSettled]);
      return detachManagedPolicies(ctx, attached);
    }),
    chain('delete-inline-policy', () => deleteInlinePoliciesAsRead(ctx, reads.inlinePolicyDocuments)),
    chain('remove-from-group', async () => removeFromGroups(ctx, await snapshot.groups)),
    chain('deactivate-ssh-public-key', async () =>
      deactivateSshPublicKeys(ctx, await snapshot.sshPublicKeys),
    ),
    chain('deactivate-signing-certificate', async () =>
      deactivateSigningCertificates(ctx, await snapshot.signingCertificates),
    ),
    chain('deactivate-service-specific-credential', async () =>
      deactivateServiceSpecificCredentials(ctx, await snapshot.serviceSpecificCredentials),
    ),
    chain('tag-user', async () => tagUser(ctx, await snapshot.tags)),
    chain('record-mfa-device', async () => recordMfaDevices(ctx, await snapshot.mfaDevices)),
  ]);
  return changes.flat();
}
