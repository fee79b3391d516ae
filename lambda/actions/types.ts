/**
 * Types shared by every containment action, whatever the principal.
 *
 * An action is a small module that declares the IAM actions it needs, reads its before-state,
 * applies one change per target, reports one outcome per target, and knows how to undo itself
 * from the before-state it recorded. Everything here is plain JSON data: a record survives a
 * round trip through S3 or DynamoDB and can be handed back to restore.
 */

/**
 * - `done`: this run made the change.
 * - `already-done`: the target was already in the wanted state; nothing was changed.
 * - `failed`: the change (or the read it needs) was refused; `error` says why.
 * - `planned`: dry run; `detail` says what a real run would do. Nothing was changed.
 */
export type ActionStatus = 'done' | 'already-done' | 'failed' | 'planned';

/** An AWS error as the SDK names it (`ThrottlingException`, `LimitExceededException`, ...). */
export interface ActionError {
  readonly name: string;
  readonly message: string;
}

/** What one action did to one target. */
export interface ActionOutcome<A extends string = string, B = unknown> {
  /** The action, named for what it does to the principal: `deactivate-access-key`, `deny-all`, ... */
  readonly action: A;
  /** What it acted on: `user/alice`, `access-key/AKIA...`, `managed-policy/arn:...`. */
  readonly target: string;
  readonly status: ActionStatus;
  /** One readable sentence for the report. */
  readonly detail: string;
  readonly error?: ActionError;
  /** The target's state before the action: what an undo brings back. Null when it could not be read. */
  readonly before: B;
}

/** A read that may have failed: kept as data so that one failed read never stops the others. */
export type Read<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ActionError };

/** The declaration every action module exports, from which the stack builds least-privilege policies. */
export interface ActionModule {
  /** The action's name in outcomes. */
  readonly action: string;
  /** IAM actions needed to read the before-state and contain. */
  readonly permissions: readonly string[];
  /** IAM actions needed to read the current state and undo. */
  readonly restorePermissions: readonly string[];
}

/** The union of the modules' declarations, sorted, each once. */
export function permissionsOf(
  modules: readonly ActionModule[],
  which: 'permissions' | 'restorePermissions',
): readonly string[] {
  return Object.freeze([...new Set(modules.flatMap((module) => module[which]))].sort());
}

/** Any thrown value as an ActionError (AWS SDK errors carry their service error name). */
export function errorOf(thrown: unknown): ActionError {
  if (thrown instanceof Error) return { name: thrown.name, message: thrown.message };
  if (typeof thrown === 'object' && thrown !== null) {
    const { name, message } = thrown as { name?: unknown; message?: unknown };
    return {
      name: typeof name === 'string' ? name : 'Error',
      message: typeof message === 'string' ? message : JSON.stringify(thrown),
    };
  }
  return { name: 'Error', message: String(thrown) };
}

/** Runs a read and keeps its failure as data. */
export async function settle<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (thrown) {
    return { ok: false, error: errorOf(thrown) };
  }
}

/** Runs a write; resolves to undefined on success or to the error, never rejects. */
export async function attempt(write: () => Promise<unknown>): Promise<ActionError | undefined> {
  try {
    await write();
    return undefined;
  } catch (thrown) {
    return errorOf(thrown);
  }
}
