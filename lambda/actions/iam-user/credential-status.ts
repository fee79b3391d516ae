/**
 * What access keys, SSH public keys, signing certificates and service-specific credentials have
 * in common: each has an id and an Active/Inactive status. Containment sets every active one
 * Inactive (never deletes it: it is evidence); restore sets each back to its recorded status.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { attempt, type ActionOutcome, type Read } from '../types';
import {
  isNoSuchEntity,
  nothingToDo,
  userTarget,
  withError,
  type ContainContext,
  type RestoreContext,
} from './context';

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
  if (!read.ok) {
    return [
      {
        action,
        target: userTarget(ctx.userName),
        status: 'failed',
        detail: `could not list the ${noun}s: none was deactivated`,
        error: read.error,
        before: null,
      },
    ];
  }
  if (read.value.length === 0) {
    return [
      {
        action,
        target: userTarget(ctx.userName),
        ...nothingToDo(ctx.dryRun, `the user has no ${noun}`),
        before: null,
      },
    ];
  }
  return Promise.all(
    read.value.map(async (credential): Promise<CredentialOutcome<A>> => {
      const target = targetOf(kind, credential);
      if (credential.status !== 'Active') {
        return {
          action,
          target,
          ...nothingToDo(ctx.dryRun, `${noun} ${credential.id} is already ${credential.status}`),
          before: credential,
        };
      }
      if (ctx.dryRun) {
        return {
          action,
          target,
          status: 'planned',
          detail: `would set ${noun} ${credential.id} Inactive`,
          before: credential,
        };
      }
      const error = await attempt(() => kind.setStatus(ctx.iam, ctx.userName, credential.id, 'Inactive'));
      if (!error)
        return {
          action,
          target,
          status: 'done',
          detail: `${noun} ${credential.id} set Inactive`,
          before: credential,
        };
      if (isNoSuchEntity(error)) {
        return {
          action,
          target,
          status: 'already-done',
          detail: `${noun} ${credential.id} no longer exists: nothing to deactivate`,
          before: credential,
        };
      }
      return {
        action,
        target,
        status: 'failed',
        detail: `could not set ${noun} ${credential.id} Inactive`,
        error,
        before: credential,
      };
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
  const changed = recorded.flatMap((outcome) =>
    outcome.action === kind.action &&
    (outcome.status === 'done' || outcome.status === 'failed') &&
    outcome.before !== null &&
    outcome.before.status === 'Active'
      ? [outcome.before]
      : [],
  );
  return Promise.all(
    changed.map(async (before): Promise<ActionOutcome<R, CredentialState>> => {
      const target = targetOf(kind, before);
      if (!current.ok) {
        return {
          action,
          target,
          status: 'failed',
          detail: `could not list the ${noun}s`,
          error: current.error,
          before,
        };
      }
      const now = current.value.find((credential) => credential.id === before.id);
      if (!now) {
        return {
          action,
          target,
          status: 'failed',
          detail: `${noun} ${before.id} no longer exists: it cannot be set back to ${before.status}`,
          error: { name: 'NoSuchEntityException', message: `${noun} ${before.id} was not found` },
          before,
        };
      }
      if (now.status === before.status) {
        return {
          action,
          target,
          status: 'already-done',
          detail: `${noun} ${before.id} is ${before.status}`,
          before,
        };
      }
      if (ctx.dryRun) {
        return {
          action,
          target,
          status: 'planned',
          detail: `would set ${noun} ${before.id} back to ${before.status}`,
          before,
        };
      }
      const error = await attempt(() => kind.setStatus(ctx.iam, ctx.userName, before.id, 'Active'));
      return {
        action,
        target,
        status: error ? 'failed' : 'done',
        detail: error
          ? `could not set ${noun} ${before.id} back to ${before.status}`
          : `${noun} ${before.id} set back to ${before.status}`,
        ...withError(error),
        before,
      };
    }),
  );
}
