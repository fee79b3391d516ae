/**
 * The user's state as the action modules read it: every read goes out at once, the inline policy
 * documents as soon as their list is in. Each read is a promise of its own, so that a change can
 * start as soon as the one read it needs has answered. A failed read is kept as data, so that it
 * fails only the actions that need it.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { settle, type Read } from '../types';
import { isNoSuchEntity } from './context';
import { readAccessKeys } from './access-keys';
import type { CredentialState } from './credential-status';
import { readUser, type UserState } from './deny-all';
import { readGroupMemberships, type GroupMembershipState } from './groups';
import {
  collectInlinePolicies,
  readInlinePolicies,
  startInlinePolicyReads,
  type InlinePolicyReads,
  type InlinePolicyState,
} from './inline-policies';
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

/** The reads of a containment: the snapshot, and each inline document on its own. */
export interface ContainmentReads {
  readonly snapshot: SnapshotReads<UserSnapshot>;
  /** The same documents as `snapshot.inlinePolicies`, each usable as soon as it is in. */
  readonly inlinePolicyDocuments: InlinePolicyReads;
}

/** Starts every read restore needs, now (synchronously issued, not awaited). */
export function startRestoreReads(iam: IAMClient, userName: string): SnapshotReads<RestoreSnapshot> {
  return startReads(iam, userName, {
    accessKeys: settle(() => readAccessKeys(iam, userName)),
    inlinePolicies: settle(() => readInlinePolicies(iam, userName)),
  });
}

/** The other reads, beside the two the caller has started in the order it wants. */
function startReads(
  iam: IAMClient,
  userName: string,
  started: Pick<SnapshotReads<RestoreSnapshot>, 'accessKeys' | 'inlinePolicies'>,
): SnapshotReads<RestoreSnapshot> {
  const user = settle(() => readUser(iam, userName));
  return {
    user,
    accessKeys: started.accessKeys,
    loginProfile: settle(() => readLoginProfile(iam, userName)).then(async (read) => {
      // GetLoginProfile says NoSuchEntity both for "no password" and for "no such user".
      if (!read.ok || read.value.exists) return read;
      const found = await user;
      return !found.ok && isNoSuchEntity(found.error) ? found : read;
    }),
    managedPolicies: settle(() => readAttachedPolicies(iam, userName)),
    inlinePolicies: started.inlinePolicies,
    groups: settle(() => readGroupMemberships(iam, userName)),
    sshPublicKeys: settle(() => readSshPublicKeys(iam, userName)),
    signingCertificates: settle(() => readSigningCertificates(iam, userName)),
    serviceSpecificCredentials: settle(() => readServiceSpecificCredentials(iam, userName)),
    tags: settle(() => readUserTags(iam, userName)),
  };
}

/** Starts every read containment needs, now. */
export function startSnapshotReads(iam: IAMClient, userName: string): SnapshotReads<UserSnapshot> {
  return startContainmentReads(iam, userName).snapshot;
}

/** Starts every read containment needs, now, each inline document usable on its own. */
export function startContainmentReads(iam: IAMClient, userName: string): ContainmentReads {
  // ListAccessKeys first, right after the deny: its answer comes back first, so the keys' updates
  // are on their way before the other changes take the CPU (the SDK signs each call).
  const accessKeys = settle(() => readAccessKeys(iam, userName));
  const inlinePolicyDocuments = startInlinePolicyReads(iam, userName);
  const reads = startReads(iam, userName, {
    accessKeys,
    inlinePolicies: collectInlinePolicies(inlinePolicyDocuments),
  });
  return {
    snapshot: { ...reads, mfaDevices: settle(() => readMfaDevices(iam, userName)) },
    inlinePolicyDocuments,
  };
}

/** Waits for every read. */
export async function collectSnapshot<S extends object>(reads: SnapshotReads<S>): Promise<S> {
  const keys = Object.keys(reads) as (keyof S)[];
  const values = await Promise.all(keys.map((key) => reads[key]));
  return Object.fromEntries(keys.map((key, index) => [key, values[index]])) as S;
}
