/**
 * What every EC2 isolation module shares: the context of one isolation, the names of Cordon's
 * groups and tags, the targets' names in outcomes, and the EC2 error names they tell apart.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { nothingToDo } from '../iam-user/context';
import type { ActionError, ActionOutcome, ActionStatus } from '../types';

export interface IsolateContext {
  /** For the instance's region. */
  readonly ec2: EC2Client;
  readonly instanceId: string;
  readonly region: string;
  readonly incidentId: string;
  /** Read and plan; make no write call. */
  readonly dryRun: boolean;
  /** The isolation instant: the `cordon:isolated-at` tag carries it. */
  readonly now: Date;
}

/** The group with no rule at all that an isolated instance ends in, one per VPC, shared. */
export const ISOLATION_GROUP_NAME = 'cordon-isolation';
/** The group that allows all traffic, which the instance passes through so that its tracked connections are cut. */
export const UNTRACK_GROUP_NAME = 'cordon-isolation-untrack';
/** On Cordon's groups: what they are for. */
export const PURPOSE_TAG = 'cordon:purpose';
export const ISOLATION_PURPOSE = 'isolation';
export const UNTRACK_PURPOSE = 'untrack';
/** On the instance: when it was isolated (`cordon:incident`, from iam-user/tags.ts, says by which incident). */
export const ISOLATED_AT_TAG = 'cordon:isolated-at';
/** On a snapshot: the instance and the volume it was taken of. */
export const SNAPSHOT_INSTANCE_TAG = 'cordon:instance';
export const SNAPSHOT_VOLUME_TAG = 'cordon:volume';
/** Set by EC2 Auto Scaling on the instances it launches. */
export const AUTO_SCALING_GROUP_TAG = 'aws:autoscaling:groupName';

export const instanceTarget = (instanceId: string) => `instance/${instanceId}`;
export const interfaceTarget = (networkInterfaceId: string) => `network-interface/${networkInterfaceId}`;
export const volumeTarget = (volumeId: string) => `volume/${volumeId}`;
export const vpcTarget = (vpcId: string) => `vpc/${vpcId}`;

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

/**
 * A target already in the wanted state: `already-done`, or in a dry run `planned` with "nothing to
 * do" (as in the IAM families: a dry run's outcomes are all planned).
 */
export function unchanged<A extends string, B>(
  action: A,
  target: string,
  dryRun: boolean,
  detail: string,
  before: B,
): ActionOutcome<A, B> {
  const { status, detail: said } = nothingToDo(dryRun, detail);
  return outcome(action, target, status, said, before);
}

export const describeError = (error: ActionError) => `${error.name}: ${error.message}`;

/** The name of a thrown SDK error, or undefined. */
export function errorName(thrown: unknown): string | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { name } = thrown as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}

/** A list of group ids for a sentence: `sg-a, sg-b`, or `no group`. */
export const groupList = (groupIds: readonly string[]) => groupIds.join(', ') || 'no group';

/** Whether an interface is in exactly this one group. */
export const onlyIn = (groupIds: readonly string[], groupId: string | null) =>
  groupId !== null && groupIds.length === 1 && groupIds[0] === groupId;
