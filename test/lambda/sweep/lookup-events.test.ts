/**
 * Reading the attacker's timeline from LookupEvents, served by the fixture (moto has no
 * LookupEvents) to real CloudTrailClients: every event of every region read exactly once, newest
 * first; LookupEvents' 2 a second per region respected with the fixture refusing more; a read
 * stopped and resumed from its JSON cursors missing nothing and reading nothing twice; one page
 * held at a time; an unparseable CloudTrailEvent delivered, marked; a throttle storm ending in an
 * error that names the region and the call. No assertion is on the wall clock: time shows only as
 * request counts, and the back-off sleeps are injected.
 */
import { LookupEventsCommand, ThrottlingException } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailRecord } from '../../../lambda/actions/reverts/types';
import {
  isUnparsedRecord,
  LookupEventsError,
  lookupEventsClient,
  lookupEventsClients,
  readRegion,
  readTimeline,
  START_CURSOR,
  THROTTLE_ATTEMPTS,
  TimelineReadError,
  UNPARSED_MARKER,
  type LookupQuery,
  type RegionCursor,
} from '../../../lambda/sweep/lookup-events';
import { RateLimiter, RegionRateLimiters } from '../../../lambda/sweep/rate-limiter';
import { CloudTrailFixture, generateTimeline, type TimelineShape } from '../../support/cloudtrail-fixture';

const KEY = 'AKIAATTACKERKEY00001';
const NEWEST = new Date('2024-09-12T08:00:00Z');
const QUERY: LookupQuery = {
  attribute: { key: 'AccessKeyId', value: KEY },
  startTime: new Date('2024-09-01T00:00:00Z'),
  endTime: new Date('2024-09-13T00:00:00Z'),
};
/** 4, 3 and 2 pages of 50. */
const SHAPE: TimelineShape = {
  accessKeyId: KEY,
  userName: 'mallory',
  events: { 'us-east-1': 180, 'eu-west-1': 150, 'ap-southeast-2': 51 },
  newest: NEWEST,
  stepMs: 30_000,
};
const REGIONS = Object.keys(SHAPE.events);
const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };
const unlimited = () => new RegionRateLimiters({ requestsPerSecond: Infinity });
const noSleep = { sleep: () => Promise.resolve() };

/** Every record each region delivered, in the order delivered. */
class Delivered {
  readonly byRegion: Record<string, CloudTrailRecord[]> = {};
  readonly onPage = (region: string, records: readonly CloudTrailRecord[]) => {
    (this.byRegion[region] ??= []).push(...records);
    return Promise.resolve();
  };
  ids(region: string): string[] {
    return (this.byRegion[region] ?? []).map((record) => String(record.eventID));
  }
}

describe('reading the timeline from LookupEvents', () => {
  let fixture: CloudTrailFixture;
  let clientFor: ReturnType<typeof lookupEventsClients>;

  beforeEach(async () => {
    fixture = await CloudTrailFixture.start({ timeline: generateTimeline(SHAPE) });
    // A record of someone else's key in each region, which no query of the attacker's returns.
    for (const region of REGIONS) {
      fixture.addRecords(
        region,
        generateTimeline({ ...SHAPE, accessKeyId: 'AKIABYSTANDER0000001', events: { [region]: 5 } })[region],
      );
    }
    clientFor = lookupEventsClients({ endpoint: fixture.url, credentials: CREDENTIALS });
  });
  afterEach(() => fixture.stop());

  const keyIds = (region: string) =>
    fixture
      .eventsOf(region)
      .filter((event) => event.accessKeyId === KEY)
      .map((event) => event.eventId);

  it('reads every event of every region exactly once, newest first, page after page', async () => {
    const delivered = new Delivered();
    const cursors = await readTimeline({
      regions: REGIONS,
      query: QUERY,
      cursors: {},
      clientFor,
      limiters: unlimited(),
      onPage: delivered.onPage,
      shouldStop: () => false,
    });

    for (const region of REGIONS) {
      expect(delivered.ids(region)).toEqual(keyIds(region));
      const times = delivered.byRegion[region].map((record) => Date.parse(String(record.eventTime)));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(delivered.byRegion[region].every((record) => record.awsRegion === region)).toBe(true);
      const pages = Math.ceil(SHAPE.events[region] / 50);
      expect(cursors[region]).toEqual({
        ...START_CURSOR,
        pagesRead: pages,
        eventsRead: SHAPE.events[region],
        done: true,
      });
      expect(fixture.statsOf(region)).toEqual({ requests: pages, pages, throttles: 0 });
    }
    // The bystander's events are there, and were not asked for.
    expect(fixture.eventsOf('us-east-1')).toHaveLength(SHAPE.events['us-east-1'] + 5);
  });

  it('keeps to 2 requests a second per region when LookupEvents refuses more: every event read, requests within the page count', async () => {
    const limited = await CloudTrailFixture.start({
      requestsPerSecond: 2,
      timeline: generateTimeline({
        ...SHAPE,
        events: { 'us-east-1': 200, 'eu-west-1': 180, 'ap-southeast-2': 151 },
      }),
    });
    try {
      // Both queries of a sweep (the key's and the user's) share each region's limiter.
      const limiters = new RegionRateLimiters();
      const byKey = new Delivered();
      const byUser = new Delivered();
      const read = (query: LookupQuery, delivered: Delivered) =>
        readTimeline({
          regions: REGIONS,
          query,
          cursors: {},
          clientFor: lookupEventsClients({ endpoint: limited.url, credentials: CREDENTIALS }),
          limiters,
          onPage: delivered.onPage,
          shouldStop: () => false,
        });
      const [keyCursors, userCursors] = await Promise.all([
        read(QUERY, byKey),
        read({ ...QUERY, attribute: { key: 'Username', value: 'mallory' } }, byUser),
      ]);

      for (const region of REGIONS) {
        const ids = limited.eventsOf(region).map((event) => event.eventId);
        expect(byKey.ids(region)).toEqual(ids);
        expect(byUser.ids(region)).toEqual(ids);
        const pages = keyCursors[region].pagesRead + userCursors[region].pagesRead;
        expect(pages).toBe(2 * 4);
        const stats = limited.statsOf(region);
        const throttled = keyCursors[region].throttled + userCursors[region].throttled;
        // Every refusal was counted and retried: the requests are the pages plus the retries, and
        // the retries stay few (the limiter, not the back-off, paces the read).
        expect(stats.throttles).toBe(throttled);
        expect(stats.requests).toBe(pages + throttled);
        expect(throttled).toBeLessThanOrEqual(2);
        expect(limiters.for(region).grants).toBe(stats.requests);
      }
    } finally {
      await limited.stop();
    }
  });

  it('stops when told and resumes from the JSON cursors: no event missed, none read twice', async () => {
    const first = new Delivered();
    let pages = 0;
    const stopped = await readTimeline({
      regions: REGIONS,
      query: QUERY,
      cursors: {},
      clientFor,
      limiters: unlimited(),
      onPage: async (region, records) => {
        pages += 1;
        await first.onPage(region, records);
      },
      shouldStop: () => pages >= 4,
    });
    const read = Object.values(stopped).reduce((sum, cursor) => sum + cursor.pagesRead, 0);
    expect(read).toBeGreaterThanOrEqual(4);
    expect(read).toBeLessThan(9);
    // The smallest region (2 pages) may be done; the largest (4 pages) is not.
    expect(stopped['us-east-1'].done).toBe(false);

    // Checkpointed in the incident store and read back in another invocation.
    const checkpoint = JSON.parse(JSON.stringify(stopped)) as Record<string, RegionCursor>;
    const before = fixture.allStats();
    const second = new Delivered();
    const progress: string[] = [];
    const finished = await readTimeline({
      regions: REGIONS,
      query: QUERY,
      cursors: checkpoint,
      clientFor: lookupEventsClients({ endpoint: fixture.url, credentials: CREDENTIALS }),
      limiters: unlimited(),
      onPage: second.onPage,
      shouldStop: () => false,
      onProgress: ({ region, cursor }) => progress.push(`${region}:${cursor.pagesRead}`),
    });

    for (const region of REGIONS) {
      expect([...first.ids(region), ...second.ids(region)]).toEqual(keyIds(region));
      const pagesOfRegion = Math.ceil(SHAPE.events[region] / 50);
      expect(finished[region]).toMatchObject({
        done: true,
        pagesRead: pagesOfRegion,
        eventsRead: SHAPE.events[region],
      });
      // Pages asked for once in all: a region done in the first run is not asked again.
      expect(fixture.statsOf(region).requests).toBe(pagesOfRegion);
      if (checkpoint[region].done) expect(fixture.statsOf(region).requests).toBe(before[region].requests);
    }
    expect(progress).toContain('us-east-1:4');
  });

  it('holds one page: the next is asked for only once the last one is handled', async () => {
    const requestsWhileHandling: number[] = [];
    const cursor = await readRegion({
      region: 'us-east-1',
      query: QUERY,
      client: clientFor('us-east-1'),
      limiter: new RateLimiter({ requestsPerSecond: Infinity }),
      shouldStop: () => false,
      onPage: async (records) => {
        expect(records.length).toBeLessThanOrEqual(50);
        // Time enough for a read ahead to reach the fixture, had there been one.
        await new Promise((resolve) => setTimeout(resolve, 20));
        requestsWhileHandling.push(fixture.statsOf('us-east-1').requests);
      },
    });
    // While the nth page was being handled, n requests had been made, not n + 1.
    expect(requestsWhileHandling).toEqual([1, 2, 3, 4]);
    expect(cursor).toMatchObject({ done: true, pagesRead: 4 });
  });

  it('delivers an event whose CloudTrailEvent does not parse, as a marked record of its LookupEvents fields', async () => {
    fixture.addEvents('eu-west-1', [
      {
        eventId: 'broken-1',
        eventName: 'RunInstances',
        eventSource: 'ec2.amazonaws.com',
        eventTime: new Date(NEWEST.getTime() + 1000),
        readOnly: 'false',
        accessKeyId: KEY,
        username: 'mallory',
        resources: [{ ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0123456789abcdef0' }],
        cloudTrailEvent: '{"eventVersion":"1.09","truncated',
      },
      {
        eventId: 'broken-2',
        eventName: 'DescribeInstances',
        eventSource: 'ec2.amazonaws.com',
        eventTime: new Date(NEWEST.getTime() + 2000),
        accessKeyId: KEY,
        cloudTrailEvent: '["not", "a record"]',
      },
    ]);
    const delivered = new Delivered();
    const cursor = await readRegion({
      region: 'eu-west-1',
      query: QUERY,
      client: clientFor('eu-west-1'),
      limiter: new RateLimiter({ requestsPerSecond: Infinity }),
      onPage: (records) => delivered.onPage('eu-west-1', records),
      shouldStop: () => false,
    });

    const records = delivered.byRegion['eu-west-1'];
    expect(records).toHaveLength(152);
    expect(records[1]).toEqual({
      eventID: 'broken-1',
      eventName: 'RunInstances',
      eventSource: 'ec2.amazonaws.com',
      eventTime: new Date(NEWEST.getTime() + 1000).toISOString(),
      awsRegion: 'eu-west-1',
      readOnly: false,
      userIdentity: { userName: 'mallory', accessKeyId: KEY },
      resources: [{ type: 'AWS::EC2::Instance', ARN: 'i-0123456789abcdef0' }],
      [UNPARSED_MARKER]: expect.stringContaining('not JSON'),
    });
    expect(records[0]).toMatchObject({
      eventID: 'broken-2',
      [UNPARSED_MARKER]: 'CloudTrailEvent is not a JSON object',
    });
    expect(records.filter(isUnparsedRecord).map((record) => record.eventID)).toEqual([
      'broken-2',
      'broken-1',
    ]);
    expect(cursor).toMatchObject({ unparsed: 2, eventsRead: 152, done: true });
  });

  it('retries a throttled page under the limiter with growing back-off, and counts the throttles', async () => {
    fixture.throttleNext('ap-southeast-2', 3);
    const slept: number[] = [];
    const limiter = new RateLimiter({ requestsPerSecond: Infinity });
    const cursor = await readRegion({
      region: 'ap-southeast-2',
      query: QUERY,
      client: clientFor('ap-southeast-2'),
      limiter,
      onPage: () => Promise.resolve(),
      shouldStop: () => false,
      retry: {
        sleep: (ms) => {
          slept.push(ms);
          return Promise.resolve();
        },
      },
    });
    expect(cursor).toMatchObject({ done: true, pagesRead: 2, eventsRead: 51, throttled: 3 });
    expect(slept).toEqual([500, 1000, 2000]);
    expect(fixture.statsOf('ap-southeast-2')).toEqual({ requests: 5, pages: 2, throttles: 3 });
    expect(limiter.grants).toBe(5);
  });

  it('ends a throttle storm beyond the bound with an error naming the region and the call, the other regions read', async () => {
    fixture.throttleNext('eu-west-1', Infinity);
    const delivered = new Delivered();
    const limiters = unlimited();
    const reading = readTimeline({
      regions: REGIONS,
      query: QUERY,
      cursors: {},
      clientFor,
      limiters,
      onPage: delivered.onPage,
      shouldStop: () => false,
      retry: noSleep,
    });
    await expect(reading).rejects.toThrow(TimelineReadError);
    const error = (await reading.catch((thrown: unknown) => thrown)) as TimelineReadError;
    expect(error.message).toMatch(
      /LookupEvents failed in eu-west-1: CloudTrail LookupEvents in eu-west-1 .*page 1.* still throttled after 6 attempts: ThrottlingException/,
    );
    expect(error.failures).toHaveLength(1);
    expect(error.failures[0]).toMatchObject({ region: 'eu-west-1', throttledOut: true });
    expect(error.failures[0].cause).toBeInstanceOf(ThrottlingException);
    expect(error.cursors['eu-west-1']).toEqual({ ...START_CURSOR, throttled: THROTTLE_ATTEMPTS });
    expect(fixture.statsOf('eu-west-1')).toEqual({
      requests: THROTTLE_ATTEMPTS,
      pages: 0,
      throttles: THROTTLE_ATTEMPTS,
    });
    expect(limiters.for('eu-west-1').grants).toBe(THROTTLE_ATTEMPTS);
    expect(error.cursors['us-east-1']).toMatchObject({ done: true });
    expect(delivered.ids('us-east-1')).toEqual(keyIds('us-east-1'));

    // Once the storm is over, the sweep resumes from the error's cursors.
    fixture.throttleNext('eu-west-1', 0);
    const after = new Delivered();
    const finished = await readTimeline({
      regions: REGIONS,
      query: QUERY,
      cursors: error.cursors,
      clientFor,
      limiters,
      onPage: after.onPage,
      shouldStop: () => false,
    });
    expect(after.ids('eu-west-1')).toEqual(keyIds('eu-west-1'));
    expect(after.ids('us-east-1')).toEqual([]);
    expect(finished['eu-west-1']).toMatchObject({ done: true, throttled: THROTTLE_ATTEMPTS });
  });

  it('names the region and the call when LookupEvents refuses a cursor of another query', async () => {
    const first = await readRegion({
      region: 'us-east-1',
      query: QUERY,
      client: clientFor('us-east-1'),
      limiter: new RateLimiter({ requestsPerSecond: Infinity }),
      onPage: () => Promise.resolve(),
      shouldStop: (() => {
        let asked = 0;
        return () => asked++ >= 1;
      })(),
    });
    expect(first).toMatchObject({ pagesRead: 1, done: false, nextToken: expect.any(String) });
    const resumed = readRegion({
      region: 'us-east-1',
      query: { ...QUERY, attribute: { key: 'Username', value: 'mallory' } },
      cursor: first,
      client: clientFor('us-east-1'),
      limiter: new RateLimiter({ requestsPerSecond: Infinity }),
      onPage: () => Promise.resolve(),
      shouldStop: () => false,
    });
    await expect(resumed).rejects.toThrow(LookupEventsError);
    await expect(resumed).rejects.toMatchObject({
      region: 'us-east-1',
      throttledOut: false,
      cursor: first,
      message: expect.stringMatching(
        /^CloudTrail LookupEvents in us-east-1 \(Username mallory, page 2\) failed: InvalidNextTokenException/,
      ),
    });
  });

  describe('the LookupEvents client', () => {
    const saved = process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
    afterEach(() => {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
      else process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = saved;
    });

    it('honours AWS_ENDPOINT_URL_CLOUDTRAIL and makes one attempt per send (the limiter governs every one)', async () => {
      process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = fixture.url;
      const client = lookupEventsClient('eu-west-1', { credentials: CREDENTIALS });
      const page = await client.send(new LookupEventsCommand({ MaxResults: 1 }));
      expect(page.Events).toHaveLength(1);
      fixture.throttleNext('eu-west-1', 1);
      await expect(client.send(new LookupEventsCommand({ MaxResults: 1 }))).rejects.toBeInstanceOf(
        ThrottlingException,
      );
      expect(fixture.statsOf('eu-west-1')).toEqual({ requests: 2, pages: 1, throttles: 1 });
    });
  });
});
