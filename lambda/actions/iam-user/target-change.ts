/**
 * The one shape every per-target step shares, in containment and in restore: planned in a dry
 * run, else one write whose result becomes the outcome. Modules say what to write and how to word
 * it; this decides the status.
 */
import { attempt, type ActionOutcome, type Read } from '../types';
import { isNoSuchEntity, nothingToDo, userTarget } from './context';

export interface TargetChange<A extends string, B> {
  readonly action: A;
  readonly target: string;
  readonly before: B;
  /** What a dry run would do. */
  readonly planned: string;
  readonly done: string;
  readonly failed: string;
  /** Containment only: IAM's NoSuchEntity means the target is already gone, which is what was wanted. */
  readonly gone?: string;
  apply(): Promise<unknown>;
}

/** One write to one target: `planned` (dry run), `done`, `already-done` (gone) or `failed` with IAM's error. */
export async function changeTarget<A extends string, B>(
  dryRun: boolean,
  change: TargetChange<A, B>,
): Promise<ActionOutcome<A, B>> {
  const { action, target, before } = change;
  if (dryRun) return { action, target, status: 'planned', detail: change.planned, before };
  const error = await attempt(() => change.apply());
  if (!error) return { action, target, status: 'done', detail: change.done, before };
  if (change.gone !== undefined && isNoSuchEntity(error)) {
    return { action, target, status: 'already-done', detail: change.gone, before };
  }
  return { action, target, status: 'failed', detail: change.failed, error, before };
}

/** When restore needs no write: the outcome's status and words (and error, when it cannot be done). */
export type SettledTarget = Pick<ActionOutcome, 'status' | 'detail' | 'error'>;

export interface TargetRestore<A extends string, B, S> extends TargetChange<A, B> {
  /** Why nothing can be decided when the current state could not be read. */
  readonly unreadable: string;
  /** The outcome when the current state needs no write (already in place, or gone for good). */
  settled(current: S): SettledTarget | undefined;
}

/** Undoes one recorded change, reading the current state first so that a second restore changes nothing. */
export async function restoreTarget<A extends string, B, S>(
  dryRun: boolean,
  current: Read<S>,
  change: TargetRestore<A, B, S>,
): Promise<ActionOutcome<A, B>> {
  const { action, target, before } = change;
  if (!current.ok) {
    return { action, target, status: 'failed', detail: change.unreadable, error: current.error, before };
  }
  const settled = change.settled(current.value);
  if (settled) return { action, target, ...settled, before };
  return changeTarget(dryRun, change);
}

/** The before-states of the targets containment changed (done, or failed midway): what restore undoes. */
export function changedTargets<B>(recorded: readonly ActionOutcome<string, B | null>[]): B[] {
  return recorded.flatMap((outcome) =>
    (outcome.status === 'done' || outcome.status === 'failed') && outcome.before !== null
      ? [outcome.before]
      : [],
  );
}

/**
 * The targets to act on one by one, or else the single whole-user outcome: the list could not be
 * read (`failed`), or it is empty (`already-done`, or `planned` with nothing to do).
 */
export function listTargets<A extends string, T>(
  ctx: { readonly userName: string; readonly dryRun: boolean },
  action: A,
  read: Read<readonly T[]>,
  words: { readonly unreadable: string; readonly none: string },
):
  | { readonly ok: true; readonly targets: readonly T[] }
  | { readonly ok: false; readonly outcomes: ActionOutcome<A, null>[] } {
  const target = userTarget(ctx.userName);
  if (!read.ok) {
    return {
      ok: false,
      outcomes: [
        { action, target, status: 'failed', detail: words.unreadable, error: read.error, before: null },
      ],
    };
  }
  if (read.value.length === 0) {
    return {
      ok: false,
      outcomes: [{ action, target, ...nothingToDo(ctx.dryRun, words.none), before: null }],
    };
  }
  return { ok: true, targets: read.value };
}
