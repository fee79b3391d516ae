/**
 * The LookupEvents fixture answers a real CloudTrailClient as CloudTrail does: the region from the
 * request's signature, one attribute and a time range filtered, newest first, pages of MaxResults
 * with NextTokens only the same query accepts, throttles in the SDK's own ThrottlingException, and
 * real-format generated records.
 */
import {
  CloudTrailClient,
  InvalidNextTokenException,
  LookupEventsCommand,
  paginateLookupEvents,
  ThrottlingException,
  type Event as LookupEvent,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudTrailFixture,
  FIXTURE_ACCOUNT,
  generateTimeline,
  keyRecord,
  regionOfAuthorization,
  type TimelineShape,
} from './cloudtrail-fixture';

const KEY = 'AKIAFIXTUREKEY000001';
const SHAPE: TimelineShape = {
  accessKeyId: KEY,
  userName: 'mallory',
  events: { 'us-east-1': 7, 'eu-west-1': 3 },
  newest: new Date('2024-09-12T08:00:00Z'),
  stepMs: 60_000,
};

const clientOf = (fixture: CloudTrailFixture, region: string) =>
  new CloudTrailClient({
    region,
    endpoint: fixture.url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
  });

async function allEvents(client: CloudTrailClient, input: LookupEventsCommandInput) {
  const events: LookupEvent[] = [];
  let pages = 0;
  for await (const page of paginateLookupEvents({ client, pageSize: input.MaxResults }, input)) {
    pages += 1;
    events.push(...(page.Events ?? []));
  }
  return { events, pages };
}

describe('the CloudTrail LookupEvents fixture', () => {
  let fixture: CloudTrailFixture;
  beforeEach(async () => {
    fixture = await CloudTrailFixture.start({ timeline: generateTimeline(SHAPE) });
  });
  afterEach(() => fixture.stop());

  it("answers each region's own timeline, newest first, in pages of MaxResults", async () => {
    const { events, pages } = await allEvents(clientOf(fixture, 'us-east-1'), {
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }],
      MaxResults: 3,
    });
    expect(pages).toBe(3);
    expect(events).toHaveLength(7);
    const times = events.map((event) => event.EventTime?.getTime() ?? NaN);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(events[0]).toMatchObject({ AccessKeyId: KEY, Username: 'mallory', EventTime: SHAPE.newest });
    expect(JSON.parse(events[0].CloudTrailEvent ?? '')).toMatchObject({ awsRegion: 'us-east-1' });

    const ireland = await allEvents(clientOf(fixture, 'eu-west-1'), {});
    expect(ireland.events.map((event) => JSON.parse(event.CloudTrailEvent ?? '').awsRegion)).toEqual([
      'eu-west-1',
      'eu-west-1',
      'eu-west-1',
    ]);
    expect(fixture.statsOf('us-east-1')).toEqual({ requests: 3, pages: 3, throttles: 0 });
  });

  it('filters by the lookup attribute and the time range (both ends included)', async () => {
    const client = clientOf(fixture, 'us-east-1');
    fixture.addRecords('us-east-1', [
      keyRecord({ ...SHAPE, accessKeyId: 'AKIAOTHERKEY00000000', userName: 'bob' }, 'us-east-1', 1),
    ]);
    const byKey = await allEvents(client, {
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }],
    });
    const byUser = await allEvents(client, {
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'bob' }],
    });
    expect(byKey.events).toHaveLength(7);
    expect(byUser.events.map((event) => event.AccessKeyId)).toEqual(['AKIAOTHERKEY00000000']);

    const inRange = await allEvents(client, {
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }],
      StartTime: new Date(SHAPE.newest.getTime() - 3 * 60_000),
      EndTime: new Date(SHAPE.newest.getTime() - 60_000),
    });
    expect(inRange.events.map((event) => event.EventTime)).toEqual(
      [1, 2, 3].map((n) => new Date(SHAPE.newest.getTime() - n * 60_000)),
    );
  });

  it("refuses another query's NextToken, as CloudTrail does", async () => {
    const client = clientOf(fixture, 'us-east-1');
    const first = await client.send(new LookupEventsCommand({ MaxResults: 2 }));
    expect(first.NextToken).toBeDefined();
    await expect(
      client.send(
        new LookupEventsCommand({
          MaxResults: 2,
          NextToken: first.NextToken,
          LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'mallory' }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
  });

  it("refuses a region's requests beyond its rate within a second, with the SDK's ThrottlingException", async () => {
    let now = 0;
    const limited = await CloudTrailFixture.start({
      timeline: generateTimeline(SHAPE),
      requestsPerSecond: 2,
      now: () => now,
    });
    try {
      const client = clientOf(limited, 'us-east-1');
      const send = () => client.send(new LookupEventsCommand({ MaxResults: 1 }));
      await send();
      await send();
      await expect(send()).rejects.toBeInstanceOf(ThrottlingException);
      // Another region has its own limit.
      await clientOf(limited, 'eu-west-1').send(new LookupEventsCommand({ MaxResults: 1 }));
      now = 999;
      await expect(send()).rejects.toMatchObject({
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      });
      now = 1001;
      await send();
      expect(limited.statsOf('us-east-1')).toEqual({ requests: 5, pages: 3, throttles: 2 });
      expect(limited.statsOf('eu-west-1')).toEqual({ requests: 1, pages: 1, throttles: 0 });
    } finally {
      await limited.stop();
    }
  });

  it('refuses every request of a region told to (a throttle storm)', async () => {
    fixture.throttleNext('eu-west-1', Infinity);
    await expect(clientOf(fixture, 'eu-west-1').send(new LookupEventsCommand({}))).rejects.toBeInstanceOf(
      ThrottlingException,
    );
    await clientOf(fixture, 'us-east-1').send(new LookupEventsCommand({}));
    expect(fixture.allStats()).toEqual({
      'eu-west-1': { requests: 1, pages: 0, throttles: 1 },
      'us-east-1': { requests: 1, pages: 1, throttles: 0 },
    });
  });

  it('generates real-format CloudTrail records, IAM calls only in us-east-1', () => {
    const timeline = generateTimeline({ ...SHAPE, events: { 'us-east-1': 10, 'ap-south-1': 10 } });
    for (const record of [...timeline['us-east-1'], ...timeline['ap-south-1']]) {
      expect(record).toMatchObject({
        eventVersion: expect.any(String),
        userIdentity: { type: 'IAMUser', accessKeyId: KEY, userName: 'mallory', accountId: FIXTURE_ACCOUNT },
        eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        eventSource: expect.stringMatching(/\.amazonaws\.com$/),
        eventName: expect.any(String),
        sourceIPAddress: expect.any(String),
        userAgent: expect.any(String),
        eventID: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/),
        readOnly: expect.any(Boolean),
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: FIXTURE_ACCOUNT,
        eventCategory: 'Management',
      });
      expect(record).toHaveProperty('requestParameters');
      expect(record).toHaveProperty('responseElements');
    }
    expect(timeline['ap-south-1'].map((record) => record.awsRegion)).toEqual(Array(10).fill('ap-south-1'));
    expect(timeline['ap-south-1'].some((record) => record.eventSource === 'iam.amazonaws.com')).toBe(false);
    expect(timeline['us-east-1'].some((record) => record.eventSource === 'iam.amazonaws.com')).toBe(true);
    expect(new Set(timeline['us-east-1'].map((record) => record.eventID)).size).toBe(10);
  });

  it('reads the region from the SigV4 credential scope', () => {
    expect(
      regionOfAuthorization(
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240912/ap-southeast-2/cloudtrail/aws4_request, SignedHeaders=host, Signature=abc',
      ),
    ).toBe('ap-southeast-2');
    expect(regionOfAuthorization(undefined)).toBeUndefined();
  });
});
