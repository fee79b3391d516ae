/**
 * The containment record (what `containIamUser` returns, what the caller stores and what
 * `restoreIamUser` reads back) and the restore result. Plain JSON throughout.
 */
import type { ActionOutcome, ContainmentRecordBase, RestoreRecordBase } from '../types';
import type { DeactivateAccessKeyOutcome } from './access-keys';
import type { CredentialState } from './credential-status';
import type { DenyAllOutcome, DenyAllRecord } from './deny-all';
import type { LiftDenyAllOutcome } from './lift-deny-all';
import type { RejoinGroupOutcome, RemoveFromGroupOutcome } from './groups';
import type { DeleteInlinePolicyOutcome, RestoreInlinePolicyOutcome } from './inline-policies';
import type { DeleteLoginProfileOutcome, RestoreLoginProfileOutcome } from './login-profile';
import type { DetachManagedPolicyOutcome, ReattachManagedPolicyOutcome } from './managed-policies';
import type { RecordMfaDeviceOutcome } from './mfa-devices';
import type { DeactivateServiceSpecificCredentialOutcome } from './service-credentials';
import type { DeactivateSigningCertificateOutcome } from './signing-certificates';
import type { UserSnapshot } from './snapshot';
import type { DeactivateSshPublicKeyOutcome } from './ssh-keys';
import type { RestoreTagsOutcome, TagUserOutcome } from './tags';

export const CONTAINMENT_RECORD_KIND = 'cordon/iam-user-containment';
export const RESTORE_RESULT_KIND = 'cordon/iam-user-restore';

/** One outcome of a containment, told apart by `action`. */
export type ContainmentOutcome =
  | DenyAllOutcome
  | DeactivateAccessKeyOutcome
  | DeleteLoginProfileOutcome
  | DetachManagedPolicyOutcome
  | DeleteInlinePolicyOutcome
  | RemoveFromGroupOutcome
  | DeactivateSshPublicKeyOutcome
  | DeactivateSigningCertificateOutcome
  | DeactivateServiceSpecificCredentialOutcome
  | TagUserOutcome
  | RecordMfaDeviceOutcome;

/** One outcome of a restore, told apart by `action`. */
export type RestoreOutcome =
  | LiftDenyAllOutcome
  | ActionOutcome<'restore-access-key-status', CredentialState>
  | RestoreLoginProfileOutcome
  | ReattachManagedPolicyOutcome
  | RestoreInlinePolicyOutcome
  | RejoinGroupOutcome
  | ActionOutcome<'restore-ssh-public-key-status', CredentialState>
  | ActionOutcome<'restore-signing-certificate-status', CredentialState>
  | ActionOutcome<'restore-service-specific-credential-status', CredentialState>
  | RestoreTagsOutcome;

export interface ContainmentResult extends ContainmentRecordBase<
  typeof CONTAINMENT_RECORD_KIND,
  ContainmentOutcome
> {
  readonly userName: string;
  /** From GetUser; null when it could not be read. */
  readonly userArn: string | null;
  /**
   * Whether the user is cut off by one of the three deny forms. False is the loud case: every
   * other step still ran, but the user's other credentials (and federation tokens) still work.
   */
  readonly denied: boolean;
  readonly deny: DenyAllRecord;
  /** The user's state as read before any change but the deny: evidence, and what restore brings back. */
  readonly before: UserSnapshot;
  /** The MFA devices, listed and left in place. */
  readonly mfaDevices: readonly string[];
}

/** One outcome per target that containment changed, the deny's removal last; a console password cannot be restored (a manual step). */
export interface RestoreResult extends RestoreRecordBase<typeof RESTORE_RESULT_KIND, RestoreOutcome> {
  readonly userName: string;
}

/** The outcomes of one action in a record. */
export function outcomesOf<A extends ContainmentOutcome['action']>(
  outcomes: readonly ContainmentOutcome[],
  action: A,
): Extract<ContainmentOutcome, { action: A }>[] {
  return outcomes.filter(
    (outcome): outcome is Extract<ContainmentOutcome, { action: A }> => outcome.action === action,
  );
}
