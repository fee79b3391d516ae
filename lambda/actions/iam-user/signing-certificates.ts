/** Sets every active X.509 signing certificate Inactive; never deletes one. */
import {
  paginateListSigningCertificates,
  UpdateSigningCertificateCommand,
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

const kind: CredentialKind<'deactivate-signing-certificate', 'restore-signing-certificate-status'> = {
  action: 'deactivate-signing-certificate',
  restoreAction: 'restore-signing-certificate-status',
  targetPrefix: 'signing-certificate',
  noun: 'signing certificate',
  setStatus: (iam, userName, id, status) =>
    iam.send(new UpdateSigningCertificateCommand({ UserName: userName, CertificateId: id, Status: status })),
};

export const signingCertificates = {
  action: kind.action,
  permissions: ['iam:ListSigningCertificates', 'iam:UpdateSigningCertificate'],
  restorePermissions: ['iam:ListSigningCertificates', 'iam:UpdateSigningCertificate'],
} as const satisfies ActionModule;

export type DeactivateSigningCertificateOutcome = CredentialOutcome<typeof kind.action>;

export async function readSigningCertificates(iam: IAMClient, userName: string): Promise<CredentialState[]> {
  const certificates: CredentialState[] = [];
  for await (const page of paginateListSigningCertificates(
    { client: iam, pageSize: PAGE_SIZE },
    { UserName: userName },
  )) {
    for (const certificate of page.Certificates ?? []) {
      if (certificate.CertificateId) {
        certificates.push({
          id: certificate.CertificateId,
          status: certificate.Status ?? 'Active',
          createdAt: isoDate(certificate.UploadDate),
        });
      }
    }
  }
  return certificates;
}

export function deactivateSigningCertificates(
  ctx: ContainContext,
  before: Read<readonly CredentialState[]>,
): Promise<DeactivateSigningCertificateOutcome[]> {
  return deactivateCredentials(kind, ctx, before);
}

export function reactivateSigningCertificates(
  ctx: RestoreContext,
  recorded: readonly DeactivateSigningCertificateOutcome[],
  current: Read<readonly CredentialState[]>,
): Promise<ActionOutcome<typeof kind.restoreAction, CredentialState>[]> {
  return restoreCredentialStatuses(kind, ctx, recorded, current);
}
