/** Sets every active SSH public key (CodeCommit) Inactive; never deletes one. */
import { paginateListSSHPublicKeys, UpdateSSHPublicKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { ActionModule, ActionOutcome, Read } from '../types';
import { isoDate, PAGE_SIZE, type ContainContext, type RestoreContext } from './context';
import {
  deactivateCredentials,
  restoreCredentialStatuses,
  type CredentialKind,
  type CredentialOutcome,
  type CredentialState,
} from './credential-status';

const kind: CredentialKind<'deactivate-ssh-public-key', 'restore-ssh-public-key-status'> = {
  action: 'deactivate-ssh-public-key',
  restoreAction: 'restore-ssh-public-key-status',
  targetPrefix: 'ssh-public-key',
  noun: 'SSH public key',
  setStatus: (iam, userName, id, status) =>
    iam.send(new UpdateSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyId: id, Status: status })),
};

export const sshPublicKeys = {
  action: kind.action,
  permissions: ['iam:ListSSHPublicKeys', 'iam:UpdateSSHPublicKey'],
  restorePermissions: ['iam:ListSSHPublicKeys', 'iam:UpdateSSHPublicKey'],
} as const satisfies ActionModule;

export type DeactivateSshPublicKeyOutcome = CredentialOutcome<typeof kind.action>;

export async function readSshPublicKeys(iam: IAMClient, userName: string): Promise<CredentialState[]> {
  const keys: CredentialState[] = [];
  for await (const page of paginateListSSHPublicKeys(
    { client: iam, pageSize: PAGE_SIZE },
    { UserName: userName },
  )) {
    for (const key of page.SSHPublicKeys ?? []) {
      if (key.SSHPublicKeyId) {
        keys.push({
          id: key.SSHPublicKeyId,
          status: key.Status ?? 'Active',
          createdAt: isoDate(key.UploadDate),
        });
      }
    }
  }
  return keys;
}

export function deactivateSshPublicKeys(
  ctx: ContainContext,
  before: Read<readonly CredentialState[]>,
): Promise<DeactivateSshPublicKeyOutcome[]> {
  return deactivateCredentials(kind, ctx, before);
}

export function reactivateSshPublicKeys(
  ctx: RestoreContext,
  recorded: readonly DeactivateSshPublicKeyOutcome[],
  current: Read<readonly CredentialState[]>,
): Promise<ActionOutcome<typeof kind.restoreAction, CredentialState>[]> {
  return restoreCredentialStatuses(kind, ctx, recorded, current);
}
