/**
 * The LookupEvents rate limiter on a fake clock: never more than 2 grants within any second in a
 * region, whatever the arrival of the requests; concurrent callers served in order; regions
 * independent of each other; the limit liftable.
 */
import fc from 'fast-check';
import { RateLimiter, RegionRateLimiters, type LimiterClock } from '../../../lambda/sweep/rate-limiter';

/** A clock that moves only when told: sleeps resolve in the order of their wake-up time. */
class FakeClock implements LimiterClock {
  private time = 0;
  private timers: { at: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.time + ms, wake }));
  }

  /** Moves to `until`, waking each sleeper at its time (and letting its continuation run). */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      // Whatever is due now runs before time moves on.
      await flush();
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.time = next.at;
      next.wake();
    }
    this.time = Math.max(this.time, until);
    await flush();
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The largest number of times within any half-open window [t, t + 1000). */
function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('the LookupEvents rate limiter', () => {
  it('grants at most 2 requests within any second of a region, for any arrival of requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 25 }),
        async (arrivals) => {
          const clock = new FakeClock();
          const limiter = new RateLimiter({ clock, marginMs: 0 });
          const granted: number[] = [];
          const pending: Promise<void>[] = [];
          for (const at of [...arrivals].sort((a, b) => a - b)) {
            await clock.advanceTo(at);
            pending.push(limiter.acquire().then(() => void granted.push(clock.now())));
          }
          await clock.advanceTo(Number.MAX_SAFE_INTEGER);
          await Promise.all(pending);
          expect(granted).toHaveLength(arrivals.length);
          expect(busiestSecond(granted)).toBeLessThanOrEqual(2);
          expect(limiter.grants).toBe(arrivals.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('serves waiting callers in the order they asked, 500 ms plus the margin apart', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ clock, marginMs: 20 });
    const order: [string, number][] = [];
    const all = ['a', 'b', 'c', 'd'].map((name) =>
      limiter.acquire().then(() => void order.push([name, clock.now()])),
    );
    await clock.advanceTo(10_000);
    await Promise.all(all);
    expect(order).toEqual([
      ['a', 0],
      ['b', 520],
      ['c', 1040],
      ['d', 1560],
    ]);
  });

  it('keeps one limiter per region, shared by every query there, independent of the others', async () => {
    const clock = new FakeClock();
    const limiters = new RegionRateLimiters({ clock, marginMs: 0 });
    expect(limiters.for('eu-west-1')).toBe(limiters.for('eu-west-1'));
    const granted: Record<string, number[]> = { 'eu-west-1': [], 'us-east-1': [] };
    const all: Promise<void>[] = [];
    for (let n = 0; n < 6; n++) {
      for (const region of Object.keys(granted)) {
        all.push(
          limiters
            .for(region)
            .acquire()
            .then(() => void granted[region].push(clock.now())),
        );
      }
    }
    await clock.advanceTo(10_000);
    await Promise.all(all);
    // Each region at its own 2 a second, from the start: neither waits for the other.
    for (const times of Object.values(granted)) expect(times).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(busiestSecond([...granted['eu-west-1'], ...granted['us-east-1']])).toBe(4);
    expect(limiters.grantsByRegion()).toEqual({ 'eu-west-1': 6, 'us-east-1': 6 });
  });

  it('lifts the limit at Infinity and refuses a rate that is not positive', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ clock, requestsPerSecond: Infinity });
    await Promise.all(Array.from({ length: 100 }, () => limiter.acquire()));
    expect(clock.now()).toBe(0);
    expect(limiter.grants).toBe(100);
    expect(() => new RateLimiter({ requestsPerSecond: 0 })).toThrow(RangeError);
  });
});
