/**
 * The sweep's rate limit on CloudTrail LookupEvents: 2 requests a second per account and region,
 * shared by every query of a sweep in that region (the access key's and the user name's).
 *
 * Fixed spacing, not a token bucket: grants are at least `1000 / requestsPerSecond` ms apart (plus
 * a small margin), so any 1-second window holds at most `requestsPerSecond` of them. A token bucket
 * of capacity 2 refilled at 2 a second sends 3 requests within one second (a burst of 2, then the
 * first refill 0.5 s later), which a service counting a sliding second refuses; spacing respects
 * both a sliding window and a token bucket of any capacity, at the same throughput. The margin
 * absorbs the jitter between the grant here and the request's arrival at CloudTrail: a request
 * granted exactly 500 ms after the previous one can arrive less than 500 ms after it when the
 * previous one was delayed on the way (signing, a busy event loop).
 *
 * Hand-written because nothing installed does it: Node has no rate limiter, `p-limit` (installed
 * as a dependency of a dependency) bounds concurrency, not rate, and the SDK's `adaptive` retry
 * mode only slows a client after it has been throttled, and for every call of that client.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

/** LookupEvents' limit, per account and region. */
export const LOOKUP_EVENTS_REQUESTS_PER_SECOND = 2;
/** Extra spacing between two grants, for the jitter between a grant and the request's arrival. */
export const DEFAULT_MARGIN_MS = 20;

/** Time as the limiter sees it: injectable, so that tests run on a fake clock. */
export interface LimiterClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: LimiterClock = {
  now: () => performance.now(),
  sleep: (ms) => sleepFor(ms),
};

export interface RateLimiterOptions {
  /** Grants per second; `Infinity` lifts the limit (benchmarks of memory, tests of other things). */
  readonly requestsPerSecond?: number;
  readonly marginMs?: number;
  readonly clock?: LimiterClock;
}

/** One region's limit: `acquire()` resolves when the next request may be sent. */
export class RateLimiter {
  readonly intervalMs: number;
  readonly clock: LimiterClock;
  /** When the last grant was (or will be, for a caller still waiting); none yet: -Infinity. */
  private lastGrant = Number.NEGATIVE_INFINITY;
  private grantCount = 0;

  constructor(options: RateLimiterOptions = {}) {
    const rate = options.requestsPerSecond ?? LOOKUP_EVENTS_REQUESTS_PER_SECOND;
    if (!(rate > 0)) throw new RangeError(`requestsPerSecond must be positive, not ${rate}`);
    this.intervalMs =
      rate === Number.POSITIVE_INFINITY ? 0 : 1000 / rate + (options.marginMs ?? DEFAULT_MARGIN_MS);
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** How many grants this limiter has given (or promised to callers still waiting). */
  get grants(): number {
    return this.grantCount;
  }

  /**
   * Waits for the next free slot. The slot is reserved at the call, so concurrent callers are
   * granted in the order they called, each `intervalMs` after the previous.
   */
  async acquire(): Promise<void> {
    this.grantCount += 1;
    if (this.intervalMs === 0) return;
    const now = this.clock.now();
    const slot = Math.max(now, this.lastGrant + this.intervalMs);
    this.lastGrant = slot;
    if (slot > now) await this.clock.sleep(slot - now);
  }
}

/** One limiter per region, made on first use, shared by every query of the sweep in that region. */
export class RegionRateLimiters {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(private readonly options: RateLimiterOptions = {}) {}

  for(region: string): RateLimiter {
    let limiter = this.limiters.get(region);
    if (!limiter) {
      limiter = new RateLimiter(this.options);
      this.limiters.set(region, limiter);
    }
    return limiter;
  }

  /** The regions that have a limiter, with the grants each gave. */
  grantsByRegion(): Readonly<Record<string, number>> {
    return Object.fromEntries([...this.limiters].map(([region, limiter]) => [region, limiter.grants]));
  }
}
