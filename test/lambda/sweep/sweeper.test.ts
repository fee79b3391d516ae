import { parseConfig } from '../../../lambda/config/load';
import { LocalIncidentStore } from '../../../lambda/incidents/local-incident-store';
import type { Report } from '../../../lambda/notify/report';
import type { IncidentRecord } from '../../../lambda/responder/incident-record';
import { ownDeploymentOf } from '../../../lambda/responder/own-deployment';
import { SWEEP_DOCUMENT, type SweepState } from '../../../lambda/sweep/sweep';
import { sweepOnce, sweepStartOf, type SweeperDependencies } from '../../../lambda/sweep/sweeper';
import { useTempDir } from '../../support/temp-dir';

const config = parseConfig({});

function record(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    kind: 'cordon/incident',
    schemaVersion: 1,
    incidentId: 'inc-1',
    createdAt: '2026-12-01T10:00:05Z',
    detections: [],
    signal: {
      kind: 'signal',
      source: 'guardduty',
      eventId: 'e-1',
      time: '2026-12-01T10:00:00Z',
      region: 'us-east-1',
      accountId: '123456789012',
      principal: { type: 'IAMUser', userName: 'stolen' },
      accessKeyId: 'AKIAEXAMPLESTOLEN001',
      credentialKind: 'long-term',
    },
    rejection: null,
    plan: {
      response: 'contain',
      severity: 'high',
      enforce: true,
      actions: [{ kind: 'contain-iam-user', userName: 'stolen', reason: 'test' }],
      manualSteps: [],
      reasons: [],
    },
    containments: [],
    errors: [],
    location: '.cordon/incidents/inc-1/',
    ...overrides,
  };
}

describe('sweepStartOf', () => {
  it("starts from the contained principal's key, at the first malicious event; a dry run sweeps dry", () => {
    expect(sweepStartOf(record(), config)).toEqual({
      start: {
        accessKeyId: 'AKIAEXAMPLESTOLEN001',
        userName: 'stolen',
        firstSeen: new Date('2026-12-01T10:00:00Z'),
        dryRun: false,
      },
    });
    const dry = record({
      plan: { ...record().plan!, enforce: false, heldBack: { reason: 'dry-run', message: 'dry run' } },
    });
    expect(sweepStartOf(dry, config)).toMatchObject({ start: { dryRun: true } });
  });

  it('says why there is no sweep', () => {
    expect(sweepStartOf(record(), parseConfig({ sweep: { enabled: false } }))).toEqual({
      skipped: 'sweep.enabled is off',
    });
    const held = record({
      plan: {
        ...record().plan!,
        enforce: false,
        heldBack: { reason: 'protected-principal', message: 'protected' },
      },
    });
    expect(sweepStartOf(held, config)).toEqual({
      skipped: 'containment was held back (protected-principal)',
    });
    const keyless = record({ signal: { ...record().signal!, accessKeyId: undefined } });
    expect(sweepStartOf(keyless, config)).toEqual({ skipped: 'the event names no access key to follow' });
    const reverts = record({ plan: { ...record().plan!, actions: [] } });
    expect(sweepStartOf(reverts, config)).toEqual({ skipped: 'no principal was contained' });
  });
});

describe('sweepOnce', () => {
  const dir = useTempDir('cordon-sweeper-');

  it('sends the damage report once, from the run that finishes the sweep', async () => {
    const store = new LocalIncidentStore({ cwd: dir() });
    const finished: SweepState = {
      kind: 'cordon/sweep',
      schemaVersion: 1,
      incidentId: 'inc-1',
      dryRun: false,
      startedAt: '2026-12-01T10:01:00Z',
      updatedAt: '2026-12-01T10:02:00Z',
      since: '2026-11-30T10:00:00Z',
      until: '2026-12-01T10:01:00Z',
      regions: ['us-east-1'],
      credentials: [],
      done: true,
      runs: 1,
      byRegion: {},
      actions: [],
      handledPrincipals: [],
      needsReview: [],
      errors: [],
    };
    await store.putDocument('inc-1', SWEEP_DOCUMENT, finished);
    const published: Report[] = [];
    const deps = {
      store,
      publisher: { publish: (report: Report) => Promise.resolve(void published.push(report)) },
      config,
      own: ownDeploymentOf(config, '123456789012'),
      // A finished sweep reads nothing: every client would fail loudly.
      clients: undefined as never,
      cloudtrail: () => {
        throw new Error('no LookupEvents for a finished sweep');
      },
      regions: () => Promise.reject(new Error('no regions for a finished sweep')),
    } satisfies SweeperDependencies;
    const first = await sweepOnce({ incidentId: 'inc-1', deadline: Date.now() + 60_000 }, deps);
    expect(first.report?.subject).toContain('[Cordon] swept');
    expect(first.state.reportedAt).toBeDefined();
    const again = await sweepOnce({ incidentId: 'inc-1', deadline: Date.now() + 60_000 }, deps);
    expect(again.report).toBeUndefined();
    expect(published).toHaveLength(1);
  });
});
