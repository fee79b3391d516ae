/**
 * The exit code of a doctor run: 0 when everything passed (warnings included), one code when
 * something is missing and another when some check could not run, so that CI can tell "fix the
 * account" from "give the doctor more access". Missing wins when both: it is certain.
 */
import { EXIT_CODES } from '../cli/exit-codes';
import type { CheckStatus, DoctorReport } from './types';

export const DOCTOR_EXIT_CODES = {
  ok: EXIT_CODES.ok,
  missing: EXIT_CODES.missing,
  unchecked: EXIT_CODES.unchecked,
} as const;

const BY_STATUS: Readonly<Record<CheckStatus, number>> = {
  passed: DOCTOR_EXIT_CODES.ok,
  warning: DOCTOR_EXIT_CODES.ok,
  missing: DOCTOR_EXIT_CODES.missing,
  'could-not-check': DOCTOR_EXIT_CODES.unchecked,
};

export function doctorExitCode(report: DoctorReport): number {
  return BY_STATUS[report.status];
}
