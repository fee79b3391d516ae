/** Sets every active access key Inactive. Keys are never deleted: they are evidence. */
import { paginateListAccessKeys, UpdateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { ActionModule, ActionOutcome, Read } from '../types';
import { isoDate, PAGE_SIZE, type ContainContext, type RestoreContext } from './context';
import {
  deactivateCredentials,
  restoreCredentialStatuses,
  type CredentialKind,
  type CredentialOutcome,
  type CredentialState,
} from './credential-status';

const kind: CredentialKind<'deactivate-access-key', 'restore-access-key-status'> = {
  action: 'deactivate-access-key',
  restoreAction: 'restore-access-key-status',
  targetPrefix: 'access-key',
  noun: 'access key',
  setStatus: (iam, userName, id, status) =>
    iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: id, Status: status })),
};

export const accessKeys = {
  action: kind.action,
  permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
  restorePermissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
} as const satisfies ActionModule;

export type DeactivateAccessKeyOutcome = CredentialOutcome<typeof kind.action>;

export async function readAccessKeys(iam: IAMClient, userName: string): Promise<CredentialState[]> {
  const keys: CredentialState[] = [];
  for await (const page of paginateListAccessKeys(
    { client: iam, pageSize: PAGE_SIZE },
    { UserName: userName },
  )) {
    for (const key of page.AccessKeyMetadata ?? []) {
      if (key.AccessKeyId) {
        keys.push({
          id: key.AccessKeyId,
          status: key.Status ?? 'Active',
          createdAt: isoDate(key.CreateDate),
        });
      }
    }
  }
  return keys;
}

export function deactivateAccessKeys(
  ctx: ContainContext,
  before: Read<readonly CredentialState[]>,
): Promise<DeactivateAccessKeyOutcome[]> {
  return deactivateCredentials(kind, ctx, before);
}

export function reactivateAccessKeys(
  ctx: RestoreContext,
  recorded: readonly DeactivateAccessKeyOutcome[],
  current: Read<readonly CredentialState[]>,
): Promise<ActionOutcome<typeof kind.restoreAction, CredentialState>[]> {
  return restoreCredentialStatuses(kind, ctx, recorded, current);
}
