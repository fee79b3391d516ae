import type { IAMClient } from '@aws-sdk/client-iam';
import { partitionOfRegion } from '../../config/regions';
import { canonicalJson } from '../../util/canonical-json';
import type { ActionError } from '../types';

/** What every IAM-user action gets when it contains. */
export interface ContainContext {
  /** Configured by the caller (bounded retry, region, credentials). */
  readonly iam: IAMClient;
  readonly userName: string;
  readonly incidentId: string;
  /** Plan and report; make no write call. */
  readonly dryRun: boolean;
  /** The containment instant. */
  readonly now: Date;
}

/** What every IAM-user action gets when it undoes a containment. */
export interface RestoreContext {
  readonly iam: IAMClient;
  readonly userName: string;
  readonly incidentId: string;
  readonly dryRun: boolean;
}

/** Lists are read in one page: IAM's per-user quotas are far below this. */
export const PAGE_SIZE = 1000;

export function userTarget(userName: string): string {
  return `user/${userName}`;
}

export function isNoSuchEntity(error: ActionError): boolean {
  return error.name === 'NoSuchEntityException' || error.name === 'NoSuchEntity';
}

export function isLimitExceeded(error: ActionError): boolean {
  return error.name === 'LimitExceededException' || error.name === 'LimitExceeded';
}

/** SDK dates as ISO strings, so that records are plain JSON. */
export function isoDate(date: Date | string | undefined): string | null {
  if (date === undefined) return null;
  return typeof date === 'string' ? date : date.toISOString();
}

/** `error` in outcomes is optional: leave the key out when there is none. */
export function withError(error: ActionError | undefined): { error?: ActionError } {
  return error ? { error } : {};
}

/** The partition from an ARN (`arn:aws-cn:iam::...` gives `aws-cn`). */
export function partitionOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts[1] ? parts[1] : undefined;
}

export { partitionOfRegion };

/** The partition of the client's region, `aws` when the client has none. */
export async function clientPartition(iam: IAMClient): Promise<string> {
  try {
    return partitionOfRegion(await iam.config.region());
  } catch {
    return 'aws';
  }
}

/** Compares two IAM policy documents by meaning (IAM may re-serialize what it was given). */
export function samePolicyDocument(a: string, b: string): boolean {
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return a === b;
  }
}

/** A target already in the wanted state: `already-done`, or in a dry run `planned` with nothing to do. */
export function nothingToDo(
  dryRun: boolean,
  detail: string,
): { status: 'planned' | 'already-done'; detail: string } {
  return dryRun
    ? { status: 'planned', detail: `nothing to do: ${detail}` }
    : { status: 'already-done', detail };
}
