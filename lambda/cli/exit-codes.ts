/**
 * The exit codes of `cordon respond`, `contain`, `restore`, `sweep` and `doctor`: one per outcome, so that runbooks
 * and CI can branch on what happened. The README's table is checked against this list.
 */
import type { IncidentOutcome } from '../responder/incident-record';

export const EXIT_CODES = {
  /** Contained (every action done), or restored. */
  ok: 0,
  /** Cordon itself failed: an unexpected error, the store or the report topic unreachable. */
  error: 1,
  /** Bad command line or input: unknown option, unreadable event, bad config, no such incident. */
  usage: 2,
  /** The deny holds, but some step failed (see "What failed"). A restore with failed steps. */
  partial: 3,
  /** Containment was attempted and the principal is NOT known to be denied. */
  failed: 4,
  /** Containment was asked for and held back: protected, circuit breaker, threshold, root, not automated. */
  heldBack: 5,
  /** Dry run: planned and reported, nothing changed. */
  dryRun: 6,
  /** No detection asked for containment: reported only. */
  reported: 7,
  /** The event could not be parsed, or is for another account: recorded and reported, nothing done. */
  rejected: 8,
  /** The event was handled before (or is being handled now): nothing done again. */
  duplicate: 9,
  /** Restore left something in place because a later, still-open incident holds it. */
  leftInPlace: 10,
  /** A sweep stopped at its time budget: its state is saved; `cordon sweep --incident ID` continues it. */
  incomplete: 11,
  /** `doctor`: something Cordon needs is missing or off. */
  missing: 12,
  /** `doctor`: some check could not run (access denied, an API the endpoint lacks). */
  unchecked: 13,
} as const;

export type ExitCodeName = keyof typeof EXIT_CODES;

/** What each code means, for the README table and `--help`. */
export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCodeName, string>> = {
  ok: 'contained or reverted (every action done); for `restore`, restored',
  error: 'Cordon itself failed (unexpected error, store or topic unreachable)',
  usage: 'bad command line or input: unknown option, unreadable event or config, no such incident',
  partial:
    'partially contained (the deny holds but some step failed) or partially reverted; for `restore`, some step failed',
  failed: 'containment failed: the principal is NOT known to be denied',
  heldBack:
    'held back: protected principal, circuit breaker, below threshold, sample finding, root, not automated yet',
  dryRun: 'dry run: planned and reported, nothing changed',
  reported: 'reported only: no detection asked for containment',
  rejected: 'rejected: the event could not be parsed, or is for another account; recorded, nothing done',
  duplicate: 'duplicate: this event was already handled (or is being handled now); nothing done again',
  leftInPlace:
    '`restore` only: restored except what a later, still-open incident on the same principal holds',
  incomplete:
    '`sweep` only: stopped at its time budget, state saved; `cordon sweep --incident ID` continues it',
  missing: '`doctor` only: something Cordon needs is missing or off (warnings alone exit 0)',
  unchecked: '`doctor` only: some check could not run, and nothing missing was found in the rest',
};

const BY_OUTCOME: Readonly<Record<IncidentOutcome, ExitCodeName>> = {
  contained: 'ok',
  'partially-contained': 'partial',
  reverted: 'ok',
  'partially-reverted': 'partial',
  failed: 'failed',
  'dry-run': 'dryRun',
  'held-back': 'heldBack',
  reported: 'reported',
  unparsed: 'rejected',
  rejected: 'rejected',
};

/** The exit code of an incident's outcome. */
export function exitCodeOf(outcome: IncidentOutcome): number {
  return EXIT_CODES[BY_OUTCOME[outcome]];
}

/** The table of codes for usage texts. */
export function exitCodesUsage(
  names: readonly ExitCodeName[] = Object.keys(EXIT_CODES) as ExitCodeName[],
): string {
  return [
    'Exit codes:',
    ...names.map((name) => `  ${String(EXIT_CODES[name]).padStart(2)}  ${EXIT_CODE_MEANINGS[name]}`),
  ].join('\n');
}
