/**
 * What every IAM-role action gets, and the helpers they share. The generic ones (error names,
 * policy comparison, `nothingToDo`) are the IAM-user family's: one definition of each.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { ActionError } from '../types';

export {
  isNoSuchEntity,
  isoDate,
  nothingToDo,
  PAGE_SIZE,
  samePolicyDocument,
  withError,
} from '../iam-user/context';

/** What every IAM-role action gets when it contains. */
export interface RoleContainContext {
  /** Configured by the caller (bounded retry, region, credentials). */
  readonly iam: IAMClient;
  readonly roleName: string;
  readonly incidentId: string;
  /** Plan and report; make no write call. */
  readonly dryRun: boolean;
  /** The containment instant. */
  readonly now: Date;
}

/** What every IAM-role action gets when it undoes a containment. */
export interface RoleRestoreContext {
  readonly iam: IAMClient;
  readonly roleName: string;
  readonly incidentId: string;
  readonly dryRun: boolean;
}

export function roleTarget(roleName: string): string {
  return `role/${roleName}`;
}

export function describeError(error: ActionError): string {
  return `${error.name}: ${error.message}`;
}
