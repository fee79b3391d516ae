import { renderDamageReport, sweepOutcomeOf } from '../../../lambda/notify/damage-report';
import type { SweepState } from '../../../lambda/sweep/sweep';

const STATE: SweepState = {
  kind: 'cordon/sweep',
  schemaVersion: 1,
  incidentId: 'inc-1',
  dryRun: false,
  startedAt: '2026-12-01T12:00:00Z',
  updatedAt: '2026-12-01T12:01:00Z',
  since: '2026-11-30T12:00:00Z',
  until: '2026-12-01T12:00:00Z',
  regions: ['eu-west-1', 'us-east-1', 'ap-south-1'],
  credentials: [
    {
      accessKeyId: 'AKIAEXAMPLESTOLEN001',
      userName: 'stolen',
      depth: 0,
      via: "the incident's credentials",
      cursors: {},
      done: true,
    },
  ],
  done: true,
  runs: 1,
  byRegion: {
    'eu-west-1': { eventsRead: 120, pagesRead: 3, throttled: 1, reverted: 1, failed: 1, needsReview: 2 },
    'us-east-1': { eventsRead: 60, pagesRead: 2, throttled: 0, reverted: 2, failed: 0, needsReview: 0 },
  },
  actions: [],
  handledPrincipals: [],
  needsReview: [
    {
      service: 'ec2',
      count: 2,
      events: [
        {
          time: '2026-12-01T11:00:00Z',
          region: 'eu-west-1',
          eventName: 'CreateKeyPair',
          eventId: 'e-1',
          resource: 'k',
        },
      ],
    },
  ],
  errors: [],
};

describe('the damage report', () => {
  it('gives each region its tally, the regions without events, and the writes to review, by service', () => {
    const report = renderDamageReport(STATE);
    expect(report.subject).toBe(
      '[Cordon] swept-with-failures: AKIAEXAMPLESTOLEN001: 3 reverted, 1 failed, 2 to review',
    );
    expect(report.text).toContain(
      'eu-west-1: 1 reverted, 1 failed, 2 need review (120 events, 3 pages, 1 throttled and retried)',
    );
    expect(report.text).toContain('no event in ap-south-1');
    expect(report.text).toContain('ec2: 2 write events (the newest 1 listed)');
    expect(report.attributes).toMatchObject({
      detection: 'sweep',
      outcome: 'swept-with-failures',
      severity: 'high',
    });
    expect(JSON.parse(report.json)).toMatchObject({ incidentId: 'inc-1', outcome: 'swept-with-failures' });
  });

  it('tells a clean sweep, a dry run and an unfinished one apart', () => {
    const clean = { ...STATE, byRegion: { 'us-east-1': { ...STATE.byRegion['us-east-1'] } } };
    expect(sweepOutcomeOf(clean)).toBe('swept');
    expect(sweepOutcomeOf({ ...STATE, dryRun: true })).toBe('sweep-dry-run');
    expect(renderDamageReport({ ...STATE, dryRun: true }).text).toContain(
      'This was a dry run: run the sweep without --dry-run to revert.',
    );
    expect(sweepOutcomeOf({ ...STATE, done: false })).toBe('sweep-incomplete');
    expect(renderDamageReport({ ...STATE, done: false }).text).toContain('the sweep is still running');
  });
});
