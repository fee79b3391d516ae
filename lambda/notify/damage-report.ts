/**
 * The damage report: the second message of an incident, once its sweep has read the attacker's
 * timeline. Per region, what was reverted, what failed and what needs review; then every action
 * with its outcome, the credentials followed, and the write events left for a person, by service.
 */
import type { SweepState } from '../sweep/sweep';
import { MAX_SUBJECT_LENGTH, type Report } from './report';

/** One word for the sweep, for the subject, the SNS attribute and the CLI's exit code. */
export type SweepOutcome = 'swept' | 'swept-with-failures' | 'sweep-dry-run' | 'sweep-incomplete';

export function sweepOutcomeOf(state: SweepState): SweepOutcome {
  if (!state.done) return 'sweep-incomplete';
  if (state.dryRun) return 'sweep-dry-run';
  const failed = Object.values(state.byRegion).some((tally) => tally.failed > 0) || state.errors.length > 0;
  return failed ? 'swept-with-failures' : 'swept';
}

function totals(state: SweepState) {
  const tallies = Object.values(state.byRegion);
  const sum = (pick: (t: (typeof tallies)[number]) => number) => tallies.reduce((n, t) => n + pick(t), 0);
  return {
    reverted: sum((t) => t.reverted),
    failed: sum((t) => t.failed),
    needsReview: sum((t) => t.needsReview),
    events: sum((t) => t.eventsRead),
    pages: sum((t) => t.pagesRead),
    throttled: sum((t) => t.throttled),
  };
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length ? ['', `${title}:`, ...lines.map((line) => `  - ${line}`)] : [];
}

export function renderDamageReport(state: SweepState): Report {
  const outcome = sweepOutcomeOf(state);
  const total = totals(state);
  const verb = state.dryRun ? 'would revert' : 'reverted';
  const key = state.credentials[0]?.accessKeyId ?? '?';
  const rawSubject = `[Cordon] ${outcome}: ${key}: ${total.reverted} ${verb}, ${total.failed} failed, ${total.needsReview} to review`;
  const subject =
    rawSubject.length > MAX_SUBJECT_LENGTH ? `${rawSubject.slice(0, MAX_SUBJECT_LENGTH - 1)}…` : rawSubject;
  const regions = Object.entries(state.byRegion)
    .filter(([, t]) => t.eventsRead > 0 || t.reverted > 0 || t.failed > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([region, t]) =>
        `${region}: ${t.reverted} ${verb}, ${t.failed} failed, ${t.needsReview} need review (${t.eventsRead} events, ${t.pagesRead} pages${t.throttled ? `, ${t.throttled} throttled and retried` : ''})`,
    );
  const quiet = state.regions.filter((region) => !(state.byRegion[region]?.eventsRead ?? 0));
  const actions = state.actions.flatMap((record) =>
    record.outcomes.map((o) => `${o.status}: ${o.action} ${o.target}: ${o.detail}`),
  );
  const failed = state.actions.flatMap((record) =>
    record.outcomes
      .filter((o) => o.status === 'failed')
      .map((o) => `${o.action} ${o.target}: ${o.error?.name ?? 'Error'}: ${o.error?.message ?? o.detail}`),
  );
  const review = state.needsReview.flatMap((group) => [
    `${group.service}: ${group.count} write event${group.count === 1 ? '' : 's'}${group.count > group.events.length ? ` (the newest ${group.events.length} listed)` : ''}`,
    ...group.events.map((e) => `  ${e.time} ${e.region} ${e.eventName} ${e.resource} (${e.eventId})`),
  ]);
  const manual = state.actions.flatMap((record) => record.manualSteps ?? []);
  const text = [
    `Cordon incident ${state.incidentId}: damage report (${outcome})`,
    ...section('What was read', [
      `CloudTrail from ${state.since} to ${state.until}, ${state.regions.length} regions: ${total.events} events in ${total.pages} pages`,
      ...state.credentials.map(
        (c) =>
          `credentials ${c.accessKeyId}${c.userName ? ` (user ${c.userName})` : ''}: ${c.via}${c.depth ? `, ${c.depth} hop${c.depth === 1 ? '' : 's'} from the incident's` : ''}${c.done ? '' : ' — NOT read to the end yet'}`,
      ),
      ...(state.regionsNote ? [state.regionsNote] : []),
      ...(quiet.length ? [`no event in ${quiet.join(', ')}`] : []),
      ...(state.done ? [] : ['the sweep is still running: a later message reports the rest']),
    ]),
    ...section('Per region', regions),
    ...section(state.dryRun ? 'What would be done (nothing was changed)' : 'What was done', actions),
    ...section('What failed', [...failed, ...state.errors]),
    ...section('Needs review (changed by the attacker, not undone by Cordon)', review),
    ...section('What a human must still do', [
      ...manual,
      ...(total.needsReview
        ? ['Review every write event listed above: undo what the attacker changed, or record why it stays.']
        : []),
      ...(state.dryRun ? ['This was a dry run: run the sweep without --dry-run to revert.'] : []),
    ]),
  ].join('\n');
  return {
    subject,
    text,
    json: JSON.stringify({ incidentId: state.incidentId, outcome, sweep: state }),
    attributes: {
      severity: total.failed > 0 || total.needsReview > 0 ? 'high' : 'medium',
      detection: 'sweep',
      principalType: 'AccessKey',
      outcome,
    },
  };
}
