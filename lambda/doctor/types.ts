/**
 * What `cordon doctor` finds: one result per check (the trail, GuardDuty in a region, Cordon's rules
 * in a region), each passed, a warning, missing (something Cordon needs is absent or off) or could
 * not be checked (the API refused or is absent). A check that could not run is never a pass.
 */
import type { ActionError } from '../actions/types';

export type CheckStatus = 'passed' | 'warning' | 'missing' | 'could-not-check';

/** The three prerequisites of detection the doctor checks. */
export type CheckKind = 'trail' | 'guardduty' | 'rules';

export interface CheckResult {
  readonly kind: CheckKind;
  /** The region checked; absent for the trail, which is account-wide. */
  readonly region?: string;
  readonly status: CheckStatus;
  /** One line saying what was found. */
  readonly summary: string;
  /** Each problem found, in words (empty when passed). */
  readonly problems: readonly string[];
  /** What to run or change to fix it: exact commands or config changes. */
  readonly fixes: readonly string[];
  /** The errors that kept (part of) the check from running. */
  readonly errors: readonly ActionError[];
}

export interface DoctorReport {
  readonly checks: readonly CheckResult[];
  /** The worst status of all checks (`passed` when every one passed). */
  readonly status: CheckStatus;
}

const SEVERITY: Readonly<Record<CheckStatus, number>> = {
  passed: 0,
  warning: 1,
  'could-not-check': 2,
  missing: 3,
};

/**
 * The worst of these statuses: missing (certainly wrong) over could-not-check (unknown) over a
 * warning over passed.
 */
export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>(
    (worst, status) => (SEVERITY[status] > SEVERITY[worst] ? status : worst),
    'passed',
  );
}
