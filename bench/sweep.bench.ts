/**
 * The sweep's timeline read over 17 regions: a fixture LookupEvents (test/support/cloudtrail-fixture.ts)
 * that refuses more than 2 requests a second per region and answers every call after a FIXED
 * injected delay of 100 ms, holding one busy region of 12 pages and 16 others of 1 to 3 pages.
 * Prints the time to read every region in parallel (`readTimeline`, each region under its own
 * limiter) against its bound, the busiest region's pages ÷ 2 a second, and the time to read the
 * same regions one after another. Then the peak heap while streaming a 100,000-event timeline
 * (limiter lifted: it measures memory, not pace) against the heap the same timeline takes held
 * whole, as the parsed records.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  lookupEventsClients,
  readRegion,
  readTimeline,
  type LookupQuery,
} from '../lambda/sweep/lookup-events';
import { LOOKUP_EVENTS_REQUESTS_PER_SECOND, RegionRateLimiters } from '../lambda/sweep/rate-limiter';
import {
  CloudTrailFixture,
  generateTimeline,
  keyRecord,
  storedEventOf,
  type StoredEvent,
  type TimelineShape,
} from '../test/support/cloudtrail-fixture';
import type { Benchmark } from './run';

export const DELAY_MS = 100;
export const STREAMED_EVENTS = 100_000;
const PAGE = 50;

/** The 17 regions enabled by default. */
export const BENCH_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
] as const;

/** Pages per region: us-east-1 busy (12 pages), the others 1, 2 or 3 pages. */
export const BENCH_PAGES: Readonly<Record<string, number>> = Object.fromEntries(
  BENCH_REGIONS.map((region, index) => [region, index === 0 ? 12 : (index % 3) + 1]),
);

const KEY = 'AKIABENCHATTACKER001';
const QUERY: LookupQuery = {
  attribute: { key: 'AccessKeyId', value: KEY },
  startTime: new Date('2024-08-01T00:00:00Z'),
  endTime: new Date('2024-09-13T00:00:00Z'),
};
const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'bench' };

/** A timeline of `pages` pages per region, the last one short by a few events. */
function shapeOf(pages: Readonly<Record<string, number>>): TimelineShape {
  return {
    accessKeyId: KEY,
    userName: 'mallory',
    events: Object.fromEntries(Object.entries(pages).map(([region, count]) => [region, count * PAGE - 3])),
    newest: new Date('2024-09-12T08:00:00Z'),
    stepMs: 5_000,
  };
}

/** Checks that a region delivered each of its events exactly once, newest first. */
function checkRead(fixture: CloudTrailFixture, region: string, ids: readonly string[]): void {
  const expected = fixture.eventsOf(region).map((event) => event.eventId);
  if (ids.length !== expected.length || ids.some((id, index) => id !== expected[index])) {
    throw new Error(`bench: ${region} delivered ${ids.length} events, not its ${expected.length} in order`);
  }
}

export interface ReadTimes {
  readonly parallelMs: number;
  readonly sequentialMs: number;
  readonly busiestPages: number;
  readonly pages: number;
  readonly throttles: number;
}

/** Reads the timeline in every region at once, then one region after another, each against a fresh fixture. */
export async function timeReads(
  pages: Readonly<Record<string, number>> = BENCH_PAGES,
  delayMs = DELAY_MS,
): Promise<ReadTimes> {
  const timeline = generateTimeline(shapeOf(pages));
  const regions = Object.keys(pages);
  let throttles = 0;
  const run = async (read: (fixture: CloudTrailFixture, ids: Record<string, string[]>) => Promise<void>) => {
    const fixture = await CloudTrailFixture.start({
      timeline,
      requestsPerSecond: LOOKUP_EVENTS_REQUESTS_PER_SECOND,
      delayMs,
    });
    try {
      const ids: Record<string, string[]> = Object.fromEntries(regions.map((region) => [region, []]));
      const start = performance.now();
      await read(fixture, ids);
      const elapsed = performance.now() - start;
      for (const region of regions) checkRead(fixture, region, ids[region]);
      throttles += Object.values(fixture.allStats()).reduce((sum, stats) => sum + stats.throttles, 0);
      return elapsed;
    } finally {
      await fixture.stop();
    }
  };
  const collect =
    (ids: Record<string, string[]>, region: string) => (records: readonly { eventID?: unknown }[]) => {
      for (const record of records) ids[region].push(String(record.eventID));
      return Promise.resolve();
    };

  const parallelMs = await run(async (fixture, ids) => {
    await readTimeline({
      regions,
      query: QUERY,
      cursors: {},
      clientFor: lookupEventsClients({ endpoint: fixture.url, credentials: CREDENTIALS }),
      limiters: new RegionRateLimiters(),
      onPage: (region, records) => collect(ids, region)(records),
      shouldStop: () => false,
    });
  });
  const sequentialMs = await run(async (fixture, ids) => {
    const clientFor = lookupEventsClients({ endpoint: fixture.url, credentials: CREDENTIALS });
    const limiters = new RegionRateLimiters();
    for (const region of regions) {
      await readRegion({
        region,
        query: QUERY,
        client: clientFor(region),
        limiter: limiters.for(region),
        onPage: collect(ids, region),
        shouldStop: () => false,
      });
    }
  });
  const counts = Object.values(pages);
  return {
    parallelMs,
    sequentialMs,
    busiestPages: Math.max(...counts),
    pages: counts.reduce((sum, count) => sum + count, 0),
    throttles,
  };
}

/** V8's collector, exposed at run time (`npm run bench` runs without --expose-gc); undefined if refused. */
function collector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc !== 'function') return undefined;
    const collect = gc as () => void;
    return () => collect();
  } catch {
    return undefined;
  }
}

/**
 * `count` stored events of the key in a region, made from the generator's records (one of each
 * kind) with each event's own id and time put in: real-format records, made in microseconds each
 * (the generator's full records take about 100 µs each, too slow for 100,000 in the bench).
 */
export function templatedEvents(region: string, regionIndex: number, count: number): StoredEvent[] {
  const shape = shapeOf({});
  const kinds = Array.from({ length: 5 }, (_, n) => keyRecord(shape, region, n));
  const templates = kinds.map((record) => {
    const text = JSON.stringify(record);
    const id = String(record.eventID);
    const time = String(record.eventTime);
    return { record, text: text.replace(id, '\u0001').replace(time, '\u0002') };
  });
  const newest = shape.newest.getTime();
  return Array.from({ length: count }, (_, n) => {
    const { record, text } = templates[n % templates.length];
    const eventId = `${regionIndex.toString(16).padStart(8, '0')}-0000-4000-a000-${n.toString(16).padStart(12, '0')}`;
    const eventTime = new Date(newest - n * 1000);
    const time = eventTime.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      ...storedEventOf(record),
      eventId,
      eventTime,
      // Copied flat: a concatenated string is flattened (allocated again) when first sent, which
      // would show as the reader's memory.
      cloudTrailEvent: Buffer.from(text.replace('\u0001', eventId).replace('\u0002', time)).toString('utf8'),
    };
  });
}

export interface StreamingMemory {
  readonly events: number;
  /** The live heap's peak above its level before the read (after a collection, every SAMPLE_EVERY pages). */
  readonly streamingLiveBytes: number;
  /** The heap's peak above its level before the read, garbage included (sampled on every page). */
  readonly streamingPeakBytes: number;
  /** The heap the parsed records take, all held at once. */
  readonly wholeBytes: number;
  readonly collected: boolean;
}

const SAMPLE_EVERY = 100;

/**
 * Streams `events` events spread over the regions with `readTimeline` (limiter lifted), sampling
 * the heap on every page (and the live heap, after a collection, every SAMPLE_EVERY pages), then
 * measures the same records held whole.
 */
export async function measureStreaming(
  events = STREAMED_EVENTS,
  regions: readonly string[] = BENCH_REGIONS,
): Promise<StreamingMemory> {
  const gc = collector();
  const perRegion = Math.ceil(events / regions.length);
  const fixture = await CloudTrailFixture.start();
  regions.forEach((region, index) => fixture.addEvents(region, templatedEvents(region, index, perRegion)));
  try {
    const heap = () => process.memoryUsage().heapUsed;
    gc?.();
    const baseline = heap();
    let peak = baseline;
    let live = 0;
    let read = 0;
    let pages = 0;
    await readTimeline({
      regions,
      query: QUERY,
      cursors: {},
      clientFor: lookupEventsClients({ endpoint: fixture.url, credentials: CREDENTIALS }),
      limiters: new RegionRateLimiters({ requestsPerSecond: Infinity }),
      onPage: (_region, records) => {
        read += records.length;
        pages += 1;
        peak = Math.max(peak, heap());
        if (gc && pages % SAMPLE_EVERY === 0) {
          gc();
          live = Math.max(live, heap() - baseline);
        }
        return Promise.resolve();
      },
      shouldStop: () => false,
    });
    const total = perRegion * regions.length;
    if (read !== total) throw new Error(`bench: streamed ${read} events of ${total}`);

    gc?.();
    const before = heap();
    const whole = regions.flatMap((region) =>
      fixture.eventsOf(region).map((event) => JSON.parse(event.cloudTrailEvent) as unknown),
    );
    gc?.();
    const wholeBytes = heap() - before;
    if (whole.length !== total) throw new Error(`bench: held ${whole.length} events of ${total}`);
    return {
      events: total,
      streamingLiveBytes: live,
      streamingPeakBytes: peak - baseline,
      wholeBytes,
      collected: gc !== undefined,
    };
  } finally {
    await fixture.stop();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

export const sweepBenchmark: Benchmark = {
  name: 'sweep',
  async run() {
    const times = await timeReads();
    const boundMs = (times.busiestPages / LOOKUP_EVENTS_REQUESTS_PER_SECOND) * 1000;
    const memory = await measureStreaming();
    return [
      `sweep (${BENCH_REGIONS.length} regions, ${times.pages} pages of LookupEvents, busiest ${times.busiestPages}; ${DELAY_MS} ms per call; 2 requests/s per region enforced; ${times.throttles} throttled):`,
      `sweep: regions in parallel ${seconds(times.parallelMs)} (bound: busiest region ${times.busiestPages} pages ÷ 2/s = ${seconds(boundMs)})`,
      `sweep: one region after another ${seconds(times.sequentialMs)}`,
      memory.collected
        ? `sweep: streaming ${memory.events.toLocaleString('en-US')} events (limiter lifted), live heap at most ${megabytes(memory.streamingLiveBytes)} above the start (peak ${megabytes(memory.streamingPeakBytes)} with garbage); the same timeline held whole ${megabytes(memory.wholeBytes)}`
        : `sweep: streaming ${memory.events.toLocaleString('en-US')} events (limiter lifted), peak heap ${megabytes(memory.streamingPeakBytes)} above the start, garbage included (no gc available); the same timeline held whole ${megabytes(memory.wholeBytes)}`,
    ].join('\n');
  },
};
