/**
 * What access keys, SSH public keys, signing certificates and service-specific credentials have
 * in common: each has an id and an Active/Inactive status. Containment sets every active one
 * Inactive (never deletes it: it is evidence); restore sets each back to its recorded status.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { type ActionOutcome, type Read } from '../types';
import { nothingToDo, type ContainContext, type RestoreContext } from './context';
import {
  changeTarget,
  changedTargets,
  restoreTarget,
  listTargets,
  type SettledTarget,
} from './target-change';

export type CredentialStatus = 'Active' | 'Inactive';

export interface CredentialState {
  readonly id: string;
  /** `Active`, `Inactive` or (access keys, service-specific credentials) `Expired`. */
  readonly status: string;
  readonly createdAt: string | null;
  /** Service-specific credentials only: the service and the user name it issued. */
  readonly serviceName?: string;
  readonly serviceUserName?: string;
}

export interface CredentialKind<A extends string, R extends string> {
  /** Containment's action name, e.g. `deactivate-access-key`. */
  readonly action: A;
  /** Restore's action name, e.g. `restore-access-key-status`. */
  readonly restoreAction: R;
  /** Target prefix, e.g. `access-key`. */
  readonly targetPrefix: string;
  /** For sentences, e.g. `access key`. */
  readonly noun: string;
  setStatus(iam: IAMClient, userName: string, id: string, status: CredentialStatus): Promise<unknown>;
}

export type CredentialOutcome<A extends string> = ActionOutcome<A, CredentialState | null>;

function targetOf(kind: CredentialKind<string, string>, credential: CredentialState): string {
  const service = credential.serviceName ? ` (${credential.serviceName})` : '';
  return `${kind.targetPrefix}/${credential.id}${service}`;
}

/** Sets every active credential of the kind Inactive, all at once. */
export async function deactivateCredentials<A extends string, R extends string>(
  kind: CredentialKind<A, R>,
  ctx: ContainContext,
  read: Read<readonly CredentialState[]>,
): Promise<CredentialOutcome<A>[]> {
  const { action, noun } = kind;
  const listed = listTargets(ctx, action, read, {
    unreadable: `could not list the ${noun}s: none was deactivated`,
    none: `the user has no ${noun}`,
  });
  if (!listed.ok) return listed.outcomes;
  return Promise.all(
    listed.targets.map(async (credential): Promise<CredentialOutcome<A>> => {
      const target = targetOf(kind, credential);
      if (credential.status !== 'Active') {
        return {
          action,
          target,
          ...nothingToDo(ctx.dryRun, `${noun} ${credential.id} is already ${credential.status}`),
          before: credential,
        };
      }
      return changeTarget(ctx.dryRun, {
        action,
        target,
        before: credential,
        planned: `would set ${noun} ${credential.id} Inactive`,
        done: `${noun} ${credential.id} set Inactive`,
        failed: `could not set ${noun} ${credential.id} Inactive`,
        gone: `${noun} ${credential.id} no longer exists: nothing to deactivate`,
        apply: () => kind.setStatus(ctx.iam, ctx.userName, credential.id, 'Inactive'),
      });
    }),
  );
}

/** Sets every credential that containment deactivated (or tried to) back to its recorded status. */
export async function restoreCredentialStatuses<A extends string, R extends string>(
  kind: CredentialKind<A, R>,
  ctx: RestoreContext,
  recorded: readonly ActionOutcome<string, CredentialState | null>[],
  current: Read<readonly CredentialState[]>,
): Promise<ActionOutcome<R, CredentialState>[]> {
  const { restoreAction: action, noun } = kind;
  const changed = changedTargets(recorded.filter((outcome) => outcome.action === kind.action)).filter(
    (before) => before.status === 'Active',
  );
  return Promise.all(
    changed.map((before) =>
      restoreTarget(ctx.dryRun, current, {
        action,
        target: targetOf(kind, before),
        before,
        unreadable: `could not list the ${noun}s`,
        settled: (credentials: readonly CredentialState[]): SettledTarget | undefined => {
          const now = credentials.find((credential) => credential.id === before.id);
          if (!now) {
            return {
              status: 'failed',
              detail: `${noun} ${before.id} no longer exists: it cannot be set back to ${before.status}`,
              error: { name: 'NoSuchEntityException', message: `${noun} ${before.id} was not found` },
            };
          }
          return now.status === before.status
            ? { status: 'already-done', detail: `${noun} ${before.id} is ${before.status}` }
            : undefined;
        },
        planned: `would set ${noun} ${before.id} back to ${before.status}`,
        done: `${noun} ${before.id} set back to ${before.status}`,
        failed: `could not set ${noun} ${before.id} back to ${before.status}`,
        apply: () => kind.setStatus(ctx.iam, ctx.userName, before.id, 'Active'),
      }),
    ),
  );
}
