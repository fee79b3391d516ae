/**
 * The user's state as the action modules read it: every read goes out at once (round one), the
 * inline policy documents as soon as their list is in (round two). A failed read is kept as data,
 * so that it fails only the actions that need it.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { settle, type Read } from '../types';
import { isNoSuchEntity } from './context';
import { readAccessKeys } from './access-keys';
import type { CredentialState } from './credential-status';
import { readUser, type UserState } from './deny-all';
import { readGroupMemberships, type GroupMembershipState } from './groups';
import { readInlinePolicies, type InlinePolicyState } from './inline-policies';
import { readLoginProfile, type LoginProfileState } from './login-profile';
import { readAttachedPolicies, type AttachedPolicyState } from './managed-policies';
import { readMfaDevices, type MfaDeviceState } from './mfa-devices';
import { readServiceSpecificCredentials } from './service-credentials';
import { readSigningCertificates } from './signing-certificates';
import { readSshPublicKeys } from './ssh-keys';
import { readUserTags, type TagState } from './tags';

/** Everything restore needs to compare the user with its record. */
export interface RestoreSnapshot {
  readonly user: Read<UserState>;
  readonly accessKeys: Read<readonly CredentialState[]>;
  readonly loginProfile: Read<LoginProfileState>;
  readonly managedPolicies: Read<readonly AttachedPolicyState[]>;
  readonly inlinePolicies: Read<readonly InlinePolicyState[]>;
  readonly groups: Read<readonly GroupMembershipState[]>;
  readonly sshPublicKeys: Read<readonly CredentialState[]>;
  readonly signingCertificates: Read<readonly CredentialState[]>;
  readonly serviceSpecificCredentials: Read<readonly CredentialState[]>;
  readonly tags: Read<readonly TagState[]>;
}

/** The true before-state of a containment: the restore snapshot plus the MFA devices. */
export interface UserSnapshot extends RestoreSnapshot {
  readonly mfaDevices: Read<readonly MfaDeviceState[]>;
}

/** Each read in flight, so that a caller can use one as soon as it is in. */
export type SnapshotReads<S> = { readonly [K in keyof S]: Promise<S[K]> };

/** Starts every read restore needs, now (synchronously issued, not awaited). */
export function startRestoreReads(iam: IAMClient, userName: string): SnapshotReads<RestoreSnapshot> {
  const user = settle(() => readUser(iam, userName));
  return {
    user,
    accessKeys: settle(() => readAccessKeys(iam, userName)),
    loginProfile: settle(() => readLoginProfile(iam, userName)).then(async (read) => {
      // GetLoginProfile says NoSuchEntity both for "no password" and for "no such user".
      if (!read.ok || read.value.exists) return read;
      const found = await user;
      return !found.ok && isNoSuchEntity(found.error) ? found : read;
    }),
    managedPolicies: settle(() => readAttachedPolicies(iam, userName)),
    inlinePolicies: settle(() => readInlinePolicies(iam, userName)),
    groups: settle(() => readGroupMemberships(iam, userName)),
    sshPublicKeys: settle(() => readSshPublicKeys(iam, userName)),
    signingCertificates: settle(() => readSigningCertificates(iam, userName)),
    serviceSpecificCredentials: settle(() => readServiceSpecificCredentials(iam, userName)),
    tags: settle(() => readUserTags(iam, userName)),
  };
}

/** Starts every read containment needs, now. */
export function startSnapshotReads(iam: IAMClient, userName: string): SnapshotReads<UserSnapshot> {
  return { ...startRestoreReads(iam, userName), mfaDevices: settle(() => readMfaDevices(iam, userName)) };
}

/** Waits for every read. */
export async function collectSnapshot<S extends object>(reads: SnapshotReads<S>): Promise<S> {
  const keys = Object.keys(reads) as (keyof S)[];
  const values = await Promise.all(keys.map((key) => reads[key]));
  return Object.fromEntries(keys.map((key, index) => [key, values[index]])) as S;
}
