/**
 * Sets every active service-specific credential (CodeCommit, Keyspaces, Bedrock, ...) Inactive;
 * never deletes one. ListServiceSpecificCredentials has no SDK paginator: pages are followed by
 * Marker (one page in practice: a user has at most a few per service).
 */
import {
  ListServiceSpecificCredentialsCommand,
  UpdateServiceSpecificCredentialCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { ActionModule, ActionOutcome, Read } from '../types';
import { isoDate, PAGE_SIZE, type ContainContext, type RestoreContext } from './context';
import {
  deactivateCredentials,
  restoreCredentialStatuses,
  type CredentialKind,
  type CredentialOutcome,
  type CredentialState,
} from './credential-status';

const kind: CredentialKind<
  'deactivate-service-specific-credential',
  'restore-service-specific-credential-status'
> = {
  action: 'deactivate-service-specific-credential',
  restoreAction: 'restore-service-specific-credential-status',
  targetPrefix: 'service-specific-credential',
  noun: 'service-specific credential',
  setStatus: (iam, userName, id, status) =>
    iam.send(
      new UpdateServiceSpecificCredentialCommand({
        UserName: userName,
        ServiceSpecificCredentialId: id,
        Status: status,
      }),
    ),
};

export const serviceSpecificCredentials = {
  action: kind.action,
  permissions: ['iam:ListServiceSpecificCredentials', 'iam:UpdateServiceSpecificCredential'],
  restorePermissions: ['iam:ListServiceSpecificCredentials', 'iam:UpdateServiceSpecificCredential'],
} as const satisfies ActionModule;

export type DeactivateServiceSpecificCredentialOutcome = CredentialOutcome<typeof kind.action>;

export async function readServiceSpecificCredentials(
  iam: IAMClient,
  userName: string,
): Promise<CredentialState[]> {
  const credentials: CredentialState[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListServiceSpecificCredentialsCommand({ UserName: userName, MaxItems: PAGE_SIZE, Marker: marker }),
    );
    for (const credential of page.ServiceSpecificCredentials ?? []) {
      if (credential.ServiceSpecificCredentialId) {
        credentials.push({
          id: credential.ServiceSpecificCredentialId,
          status: credential.Status ?? 'Active',
          createdAt: isoDate(credential.CreateDate),
          ...(credential.ServiceName ? { serviceName: credential.ServiceName } : {}),
          ...(credential.ServiceUserName ? { serviceUserName: credential.ServiceUserName } : {}),
        });
      }
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return credentials;
}

export function deactivateServiceSpecificCredentials(
  ctx: ContainContext,
  before: Read<readonly CredentialState[]>,
): Promise<DeactivateServiceSpecificCredentialOutcome[]> {
  return deactivateCredentials(kind, ctx, before);
}

export function reactivateServiceSpecificCredentials(
  ctx: RestoreContext,
  recorded: readonly DeactivateServiceSpecificCredentialOutcome[],
  current: Read<readonly CredentialState[]>,
): Promise<ActionOutcome<typeof kind.restoreAction, CredentialState>[]> {
  return restoreCredentialStatuses(kind, ctx, recorded, current);
}
