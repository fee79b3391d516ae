import {
  otherAccountRefusal,
  runStep,
  type Step,
} from '../../../../../lambda/actions/reverts/iam-logging/outcomes';
import type { RevertibleChange } from '../../../../../lambda/actions/reverts/types';

const change: RevertibleChange = {
  revert: 'restart-trail-logging',
  region: 'eu-west-1',
  target: 'trail/org',
  eventId: 'e-1',
  eventName: 'StopLogging',
  eventTime: '2025-03-14T09:26:53Z',
  details: {},
};

function step(overrides: Partial<Step<{ on: boolean }>>, writes: string[]): Step<{ on: boolean }> {
  return {
    action: 'restart-trail-logging',
    target: 'trail/org',
    change,
    dryRun: false,
    read: () => Promise.resolve({ on: false }),
    settled: (state) => (state.on ? 'trail org is already logging' : undefined),
    write: () => {
      writes.push('write');
      return Promise.resolve();
    },
    does: 'start trail org',
    did: 'trail org started',
    reads: 'trail org',
    ...overrides,
  };
}

describe('runStep', () => {
  it('writes once and records the state it read, naming the event', async () => {
    const writes: string[] = [];
    expect(await runStep(step({}, writes))).toEqual({
      action: 'restart-trail-logging',
      target: 'trail/org',
      status: 'done',
      detail: 'trail org started (StopLogging (event e-1) in eu-west-1)',
      before: { on: false },
    });
    expect(writes).toEqual(['write']);
  });

  it('plans without writing on a dry run, and says when nothing is left to do', async () => {
    const writes: string[] = [];
    expect(await runStep(step({ dryRun: true }, writes))).toEqual(
      expect.objectContaining({ status: 'planned', detail: expect.stringMatching(/^would start trail org/) }),
    );
    const settled = { read: () => Promise.resolve({ on: true }) };
    expect(await runStep(step({ ...settled, dryRun: true }, writes))).toEqual(
      expect.objectContaining({ status: 'planned', detail: expect.stringMatching(/^nothing to do/) }),
    );
    expect(await runStep(step(settled, writes))).toEqual(
      expect.objectContaining({ status: 'already-done', before: { on: true } }),
    );
    expect(writes).toEqual([]);
  });

  it('keeps a refused read or write as a failed outcome (never rejects)', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const writes: string[] = [];
    expect(await runStep(step({ read: () => Promise.reject(throttled) }, writes))).toEqual(
      expect.objectContaining({
        status: 'failed',
        before: null,
        error: { name: 'ThrottlingException', message: 'Rate exceeded' },
      }),
    );
    expect(writes).toEqual([]);
    expect(await runStep(step({ write: () => Promise.reject(throttled) }, writes))).toEqual(
      expect.objectContaining({
        status: 'failed',
        before: { on: false },
        error: expect.objectContaining({ name: 'ThrottlingException' }),
      }),
    );
  });
});

describe('otherAccountRefusal', () => {
  it('refuses when any named account is not Cordon’s, and lets an unnamed one through', () => {
    expect(otherAccountRefusal('a', change, [null, '111122223333'], '111122223333')).toBeUndefined();
    expect(otherAccountRefusal('a', change, ['111122223333', '999988887777'], '111122223333')).toEqual(
      expect.objectContaining({ status: 'failed', error: expect.objectContaining({ name: 'OtherAccount' }) }),
    );
  });
});
