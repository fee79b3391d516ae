/**
 * Deletes every inline policy except Cordon's own deny. Each document is read first (the one
 * read that has to wait for the list) and kept in the record, both as evidence and for restore;
 * in a containment each policy is deleted as soon as its own document is in, whatever the others
 * do. A policy whose document could not be read is left in place rather than lost.
 */
import {
  DeleteUserPolicyCommand,
  GetUserPolicyCommand,
  paginateListUserPolicies,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { settle, type ActionError, type ActionModule, type ActionOutcome, type Read } from '../types';
import {
  PAGE_SIZE,
  samePolicyDocument,
  withError,
  type ContainContext,
  type RestoreContext,
} from './context';
import {
  changeTarget,
  changedTargets,
  restoreTarget,
  listTargets,
  type SettledTarget,
} from './target-change';
import { DENY_ALL_POLICY_NAME } from './deny-policy';

export const inlinePolicies = {
  action: 'delete-inline-policy',
  permissions: ['iam:ListUserPolicies', 'iam:GetUserPolicy', 'iam:DeleteUserPolicy'],
  restorePermissions: ['iam:ListUserPolicies', 'iam:GetUserPolicy', 'iam:PutUserPolicy'],
} as const satisfies ActionModule;

export interface InlinePolicyState {
  readonly policyName: string;
  /** The policy document, URL-decoded, exactly as IAM returned it; null when it could not be read. */
  readonly document: string | null;
  readonly documentError?: ActionError;
}

export type DeleteInlinePolicyOutcome = ActionOutcome<typeof inlinePolicies.action, InlinePolicyState | null>;
export type RestoreInlinePolicyOutcome = ActionOutcome<'restore-inline-policy', InlinePolicyState>;

const action = inlinePolicies.action;
const targetOf = (policyName: string) => `inline-policy/${policyName}`;

export async function listInlinePolicyNames(iam: IAMClient, userName: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListUserPolicies(
    { client: iam, pageSize: PAGE_SIZE },
    { UserName: userName },
  )) {
    names.push(...(page.PolicyNames ?? []));
  }
  return names;
}

/** IAM returns policy documents URL-encoded (RFC 3986). */
export function decodePolicyDocument(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** One document, its failure kept as data (never rejects). */
export async function readInlinePolicyDocument(
  iam: IAMClient,
  userName: string,
  policyName: string,
): Promise<InlinePolicyState> {
  const read = await settle(() =>
    iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName })),
  );
  if (!read.ok) return { policyName, document: null, documentError: read.error };
  const encoded = read.value.PolicyDocument;
  if (encoded === undefined) {
    return {
      policyName,
      document: null,
      documentError: { name: 'EmptyResponse', message: 'no PolicyDocument' },
    };
  }
  return { policyName, document: decodePolicyDocument(encoded) };
}

/** Every document at once, each read kept or failed on its own. */
export async function readInlinePolicyDocuments(
  iam: IAMClient,
  userName: string,
  names: readonly string[],
): Promise<InlinePolicyState[]> {
  return Promise.all(names.map((policyName) => readInlinePolicyDocument(iam, userName, policyName)));
}

/** A listed inline policy whose document is in flight. */
export interface InlinePolicyRead {
  readonly policyName: string;
  /** Settles (never rejects) as soon as this policy's own GetUserPolicy has answered. */
  readonly state: Promise<InlinePolicyState>;
}

/** The list, then each document as soon as the list is in, so that each can be used on its own. */
export type InlinePolicyReads = Promise<Read<readonly InlinePolicyRead[]>>;

/** Starts the list now; each GetUserPolicy goes out as soon as the list has answered. */
export function startInlinePolicyReads(iam: IAMClient, userName: string): InlinePolicyReads {
  return settle(async () =>
    (await listInlinePolicyNames(iam, userName)).map((policyName) => ({
      policyName,
      state: readInlinePolicyDocument(iam, userName, policyName),
    })),
  );
}

/** Every document of `startInlinePolicyReads`, as `readInlinePolicies` would have read them. */
export async function collectInlinePolicies(reads: InlinePolicyReads): Promise<Read<InlinePolicyState[]>> {
  const listed = await reads;
  if (!listed.ok) return listed;
  return { ok: true, value: await Promise.all(listed.value.map((policy) => policy.state)) };
}

/** The list, then every document: two round trips, all documents awaited. */
export async function readInlinePolicies(iam: IAMClient, userName: string): Promise<InlinePolicyState[]> {
  return readInlinePolicyDocuments(iam, userName, await listInlinePolicyNames(iam, userName));
}

const LIST_WORDS = {
  unreadable: 'could not list the inline policies: none was deleted',
  none: `no inline policy other than ${DENY_ALL_POLICY_NAME}`,
} as const;

/** Deletes one policy whose document has been read; one whose document is missing stays. */
async function deleteInlinePolicy(
  ctx: ContainContext,
  policy: InlinePolicyState,
): Promise<DeleteInlinePolicyOutcome> {
  const target = targetOf(policy.policyName);
  if (policy.document === null) {
    return {
      action,
      target,
      status: 'failed',
      detail: `could not read the document of ${policy.policyName}: left in place so that it is not lost`,
      ...withError(policy.documentError),
      before: policy,
    };
  }
  return changeTarget(ctx.dryRun, {
    action,
    target,
    before: policy,
    planned: `would delete ${policy.policyName} (document kept)`,
    done: `${policy.policyName} deleted (document kept)`,
    failed: `could not delete ${policy.policyName}`,
    gone: `${policy.policyName} no longer exists`,
    apply: () =>
      ctx.iam.send(new DeleteUserPolicyCommand({ UserName: ctx.userName, PolicyName: policy.policyName })),
  });
}

/** Their policies, Cordon's own deny left out. */
function theirs<T extends { readonly policyName: string }>(read: Read<readonly T[]>): Read<readonly T[]> {
  return read.ok
    ? { ok: true, value: read.value.filter((policy) => policy.policyName !== DENY_ALL_POLICY_NAME) }
    : read;
}

/** Deletes every policy of a read whose documents are all in. */
export async function deleteInlinePolicies(
  ctx: ContainContext,
  read: Read<readonly InlinePolicyState[]>,
): Promise<DeleteInlinePolicyOutcome[]> {
  const listed = listTargets(ctx, action, theirs(read), LIST_WORDS);
  if (!listed.ok) return listed.outcomes;
  return Promise.all(listed.targets.map((policy) => deleteInlinePolicy(ctx, policy)));
}

/** Deletes each policy as soon as its own document is in: a slow or failed document delays no other. */
export async function deleteInlinePoliciesAsRead(
  ctx: ContainContext,
  reads: InlinePolicyReads,
): Promise<DeleteInlinePolicyOutcome[]> {
  const listed = listTargets(ctx, action, theirs(await reads), LIST_WORDS);
  if (!listed.ok) return listed.outcomes;
  return Promise.all(listed.targets.map(async (policy) => deleteInlinePolicy(ctx, await policy.state)));
}

export async function restoreInlinePolicies(
  ctx: RestoreContext,
  recorded: readonly DeleteInlinePolicyOutcome[],
  current: Read<readonly InlinePolicyState[]>,
): Promise<RestoreInlinePolicyOutcome[]> {
  const deleted = changedTargets(recorded).flatMap((before) =>
    before.document !== null ? [{ ...before, document: before.document }] : [],
  );
  return Promise.all(
    deleted.map((before) =>
      restoreTarget(ctx.dryRun, current, {
        action: 'restore-inline-policy',
        target: targetOf(before.policyName),
        before,
        unreadable: 'could not list the inline policies',
        settled: (policies: readonly InlinePolicyState[]): SettledTarget | undefined => {
          const now = policies.find((policy) => policy.policyName === before.policyName);
          return now?.document != null && samePolicyDocument(now.document, before.document)
            ? {
                status: 'already-done',
                detail: `${before.policyName} is in place with its recorded document`,
              }
            : undefined;
        },
        planned: `would put ${before.policyName} back with its recorded document`,
        done: `${before.policyName} put back with its recorded document`,
        failed: `could not put ${before.policyName} back`,
        apply: () =>
          ctx.iam.send(
            new PutUserPolicyCommand({
              UserName: ctx.userName,
              PolicyName: before.policyName,
              PolicyDocument: before.document,
            }),
          ),
      }),
    ),
  );
}
