/**
 * The doctor's checklist for a terminal: one line per check (✔ passed, ! warning, ✘ missing,
 * ? could not check) with what was found, then each problem, error and fix indented below it.
 */
import type { CheckKind, CheckResult, CheckStatus, DoctorReport } from './types';

const MARK: Readonly<Record<CheckStatus, string>> = {
  passed: '✔',
  warning: '!',
  missing: '✘',
  'could-not-check': '?',
};

const TITLE: Readonly<Record<CheckKind, string>> = {
  trail: 'CloudTrail trail',
  guardduty: 'GuardDuty',
  rules: "Cordon's EventBridge rules",
};

function renderCheck(check: CheckResult): string[] {
  const where = check.region ? ` (${check.region})` : '';
  const lines = [`${MARK[check.status]} ${TITLE[check.kind]}${where}: ${check.summary}`];
  for (const problem of check.problems) lines.push(`    ${problem}`);
  for (const error of check.errors) lines.push(`    could not check: ${error.name}: ${error.message}`);
  for (const fix of check.fixes) lines.push(`    fix: ${fix}`);
  return lines;
}

const VERDICT: Readonly<Record<CheckStatus, string>> = {
  passed: 'Everything Cordon needs is in place.',
  warning: 'Everything Cordon needs is in place; see the warnings above.',
  missing: 'Something Cordon needs is missing or off: run the fixes above.',
  'could-not-check':
    'Some checks could not run (see the errors above): nothing missing was found in the rest.',
};

export function renderDoctorReport(report: DoctorReport): string {
  return `${[...report.checks.flatMap(renderCheck), '', VERDICT[report.status]].join('\n')}\n`;
}
