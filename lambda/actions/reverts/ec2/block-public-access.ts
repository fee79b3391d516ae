/**
 * Turning an account's (per region) block public access for EBS snapshots or AMIs back on after an
 * event turned it off. The earlier state is not in the event, so the revert sets
 * `block-new-sharing`, which breaks no share that worked before (unlike `block-all-sharing` for
 * snapshots), and says so; its `before` is the state read first, which `undo` puts back.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { attempt, type Read } from '../../types';
import type { RevertibleChange, RevertOutcome } from '../types';
import { describeError, eventOf, outcome, undoAction, type AccountOfChange } from './outcomes';

export const BLOCK_NEW_SHARING = 'block-new-sharing';
export const UNBLOCKED = 'unblocked';

/** The three calls of one kind of block public access (snapshots or images). */
export interface BlockPublicAccessCalls {
  /** `snapshots`, `images`: what it blocks, in words. */
  readonly of: string;
  readonly read: (ec2: EC2Client) => Promise<Read<string>>;
  readonly enable: (ec2: EC2Client, state: string) => Promise<unknown>;
  readonly disable: (ec2: EC2Client) => Promise<unknown>;
}

export type BlockPublicAccessDetails = AccountOfChange & {
  readonly kind: 'block-public-access';
  /** The state the event's response reports (`unblocked`), null when it says none. */
  readonly stateAfterEvent: string | null;
};

export type BlockPublicAccessBefore = { readonly state: string };

export async function reblockPublicAccess(
  action: string,
  calls: BlockPublicAccessCalls,
  change: RevertibleChange<BlockPublicAccessDetails>,
  ec2: EC2Client,
  dryRun: boolean,
): Promise<RevertOutcome> {
  const what = `block public access for ${calls.of} in ${change.region}`;
  const current = await calls.read(ec2);
  if (!current.ok)
    return outcome(
      action,
      change.target,
      'failed',
      `${what} could not be read, NOT enabled again (${eventOf(change)}): ${describeError(current.error)}`,
      null,
      current.error,
    );
  const before: BlockPublicAccessBefore = { state: current.value };
  if (current.value !== UNBLOCKED)
    return outcome(action, change.target, 'already-done', `${what} is already on (${current.value})`, before);
  const why = `${eventOf(change)} turned it off; its state before that is not in the event, so ${BLOCK_NEW_SHARING} is set, which breaks no share made before`;
  if (dryRun) return outcome(action, change.target, 'planned', `would enable ${what} (${why})`, before);
  const error = await attempt(() => calls.enable(ec2, BLOCK_NEW_SHARING));
  return error
    ? outcome(
        action,
        change.target,
        'failed',
        `${what} NOT enabled again: ${describeError(error)}`,
        before,
        error,
      )
    : outcome(
        action,
        change.target,
        'done',
        `enabled ${what} again as ${BLOCK_NEW_SHARING} (${why})`,
        before,
      );
}

function beforeOf(outcomes: readonly RevertOutcome[]): BlockPublicAccessBefore | undefined {
  const done = outcomes.find((revert) => revert.status === 'done');
  const state = (done?.before as Partial<BlockPublicAccessBefore> | null | undefined)?.state;
  return typeof state === 'string' ? { state } : undefined;
}

/** Puts the state read before the revert back: disabled again when it was `unblocked`. */
export async function restoreBlockPublicAccess(
  action: string,
  calls: BlockPublicAccessCalls,
  change: RevertibleChange<BlockPublicAccessDetails>,
  outcomes: readonly RevertOutcome[],
  ec2: EC2Client,
  dryRun: boolean,
): Promise<RevertOutcome> {
  const undo = undoAction(action);
  const what = `block public access for ${calls.of} in ${change.region}`;
  const before = beforeOf(outcomes);
  if (!before)
    return outcome(
      undo,
      change.target,
      'already-done',
      `the revert of ${eventOf(change)} changed nothing: nothing to put back`,
      null,
    );
  const current = await calls.read(ec2);
  if (!current.ok)
    return outcome(
      undo,
      change.target,
      'failed',
      `${what} NOT put back: ${describeError(current.error)}`,
      before,
      current.error,
    );
  if (current.value === before.state)
    return outcome(undo, change.target, 'already-done', `${what} is already ${before.state}`, before);
  const wanted = before.state === UNBLOCKED ? 'turned off (unblocked)' : `set to ${before.state}`;
  if (dryRun) return outcome(undo, change.target, 'planned', `would have ${what} ${wanted} again`, before);
  const error = await attempt(() =>
    before.state === UNBLOCKED ? calls.disable(ec2) : calls.enable(ec2, before.state),
  );
  return error
    ? outcome(undo, change.target, 'failed', `${what} NOT put back: ${describeError(error)}`, before, error)
    : outcome(undo, change.target, 'done', `${what} ${wanted} again, as before the revert`, before);
}
