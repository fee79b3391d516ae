/**
 * What every EC2 isolation module shares: the context of one isolation, the names of Cordon's
 * groups and tags, and the targets' names in outcomes.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ActionError, ActionOutcome, ActionStatus } from '../types';

export interface IsolateContext {
  readonly ec2: EC2Client;
  readonly instanceId: string;
  readonly region: string;
  readonly incidentId: string;
  readonly dryRun: boolean;
  readonly now: Date;
}

/** The group with no rule at all that an isolated instance ends in, one per VPC. */
export const ISOLATION_GROUP_NAME = 'cordon-isolation';
/** The group that allows all traffic, which the instance passes through so that its tracked connections are cut. */
export const UNTRACK_GROUP_NAME = 'cordon-isolation-untrack';
/** On Cordon's groups: what they are for (`isolation`, `untrack`). */
export const PURPOSE_TAG = 'cordon:purpose';
/** On the instance: when it was isolated. */
export const ISOLATED_AT_TAG = 'cordon:isolated-at';
/** On a snapshot: the instance and the volume it was taken of. */
export const SNAPSHOT_INSTANCE_TAG = 'cordon:instance';
export const SNAPSHOT_VOLUME_TAG = 'cordon:volume';

export const instanceTarget = (instanceId: string) => `instance/${instanceId}`;

export function outcome<A extends string, B>(
  action: A,
  target: string,
  status: ActionStatus,
  detail: string,
  before: B,
  error?: ActionError,
): ActionOutcome<A, B> {
  return { action, target, status, detail, before, ...(error ? { error } : {}) };
}

export const describeError = (error: ActionError) => `${error.name}: ${error.message}`;
