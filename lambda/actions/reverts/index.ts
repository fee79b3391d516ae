/**
 * Every reverter, from one list: the single-event revert (a `revert` detection matched), the sweep
 * (the attacker's timeline), the grants of the responder and the sweeper, and the generated docs
 * all read CHANGE_REVERTERS. A new kind of revert is one module in an area folder, listed in that
 * area's index.
 */
import { COMPUTE_REVERTERS } from './compute';
import { DATA_REVERTERS } from './data';
import { EC2_REVERTERS } from './ec2';
import { IAM_LOGGING_REVERTERS } from './iam-logging';
import type { ChangeReverter, CloudTrailRecord, RevertibleChange } from './types';

export const CHANGE_REVERTERS: readonly ChangeReverter[] = Object.freeze([
  ...EC2_REVERTERS,
  ...COMPUTE_REVERTERS,
  ...DATA_REVERTERS,
  ...IAM_LOGGING_REVERTERS,
]);

/** The reverter named by a change, or undefined (a plan written by another version). */
export function reverterOf(change: Pick<RevertibleChange, 'revert'>): ChangeReverter | undefined {
  return CHANGE_REVERTERS.find((reverter) => reverter.action === change.revert);
}

/** Every change of the record that some reverter undoes. Pure; never throws. */
export function revertibleChangesOf(record: CloudTrailRecord): readonly RevertibleChange[] {
  return CHANGE_REVERTERS.flatMap((reverter) => {
    try {
      return reverter.changesOf(record);
    } catch {
      // changesOf must never throw; a bug in one reverter must not hide the others' changes.
      return [];
    }
  });
}

export type * from './types';
