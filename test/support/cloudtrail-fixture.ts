/**
 * CloudTrail LookupEvents served from memory, because moto has none (it answers HTTP 500). An
 * HTTP server on 127.0.0.1 that speaks CloudTrail's JSON 1.1 protocol to a real CloudTrailClient
 * (`X-Amz-Target: CloudTrail_20131101.LookupEvents`, the full service-qualified target too):
 * per region (read from the SigV4 credential scope of the `Authorization` header) a timeline of
 * events, filtered by one LookupAttribute (AccessKeyId, Username, EventName) and StartTime/EndTime,
 * answered newest first in pages of MaxResults (at most 50) with opaque NextTokens that only the
 * same query accepts.
 *
 * It can enforce LookupEvents' rate (a region answered more than N times within any second gets a
 * real-shaped ThrottlingException: HTTP 400, `__type`), refuse a region outright (a throttle
 * storm), delay every answer by a fixed time (the bench's round trip), and counts requests, pages
 * and throttles per region. `generateTimeline` makes real-format CloudTrail records for a key across
 * regions; hand-written records and raw events (an unparseable CloudTrailEvent) can be added.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { CloudTrailRecord } from '../../lambda/actions/reverts/types';

export const FIXTURE_ACCOUNT = '123456789012';
const TARGETS = new Set([
  'CloudTrail_20131101.LookupEvents',
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
]);
const MAX_RESULTS = 50;

/** One event as the fixture stores it: LookupEvents' own fields and the record's JSON string. */
export interface StoredEvent {
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string;
  readonly eventTime: Date;
  readonly readOnly?: string;
  readonly accessKeyId?: string;
  readonly username?: string;
  readonly resources?: readonly { readonly ResourceType?: string; readonly ResourceName?: string }[];
  /** The `CloudTrailEvent` string, as sent: normally JSON.stringify(record), anything for a broken one. */
  readonly cloudTrailEvent: string;
}

export interface RegionStats {
  requests: number;
  pages: number;
  throttles: number;
}

export interface CloudTrailFixtureOptions {
  /** Records per region to start with. */
  readonly timeline?: Readonly<Record<string, readonly CloudTrailRecord[]>>;
  /** Refuse a region's request when it was already answered this many times within the last second. */
  readonly requestsPerSecond?: number;
  /** A fixed delay before every answer (the bench's injected round trip), in ms. */
  readonly delayMs?: number;
  /** The clock the rate window is counted on, in ms (default performance.now). */
  readonly now?: () => number;
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * LookupEvents' `Username` of a record: the IAM user's name, or the session name of an assumed
 * role (the last part of its ARN), as CloudTrail fills it.
 */
export function usernameOf(record: CloudTrailRecord): string | undefined {
  const identity = record.userIdentity;
  const userName = asString(fieldOf(identity, 'userName'));
  if (userName) return userName;
  const arn = asString(fieldOf(identity, 'arn'));
  return fieldOf(identity, 'type') === 'AssumedRole' && arn ? arn.split('/').pop() : undefined;
}

/** The stored form of a record: what LookupEvents answers for it. */
export function storedEventOf(record: CloudTrailRecord): StoredEvent {
  const resources = Array.isArray(record.resources)
    ? (record.resources as unknown[]).map((resource) => ({
        ResourceType: asString(fieldOf(resource, 'type')),
        ResourceName: asString(fieldOf(resource, 'ARN')),
      }))
    : undefined;
  return {
    eventId: String(record.eventID),
    eventName: String(record.eventName),
    eventSource: String(record.eventSource),
    eventTime: new Date(String(record.eventTime)),
    readOnly:
      typeof record.readOnly === 'boolean' || typeof record.readOnly === 'string'
        ? String(record.readOnly)
        : undefined,
    accessKeyId: asString(fieldOf(record.userIdentity, 'accessKeyId')),
    username: usernameOf(record),
    resources,
    cloudTrailEvent: JSON.stringify(record),
  };
}

interface LookupAttributeInput {
  readonly AttributeKey?: string;
  readonly AttributeValue?: string;
}

interface LookupRequest {
  readonly LookupAttributes?: readonly LookupAttributeInput[];
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly MaxResults?: number;
  readonly NextToken?: string;
}

class ClientError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The region of a SigV4 request: `Credential=AKID/20240912/eu-west-1/cloudtrail/aws4_request`. */
export function regionOfAuthorization(header: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\/cloudtrail\/aws4_request/.exec(header ?? '')?.[1];
}

export class CloudTrailFixture {
  private readonly events = new Map<string, StoredEvent[]>();
  private readonly stats = new Map<string, RegionStats>();
  private readonly answered = new Map<string, number[]>();
  private readonly refusals = new Map<string, number>();
  /** Each query's events, kept between its pages (a timeline of 100,000 events is not filtered again per page). */
  private readonly selections = new Map<string, readonly StoredEvent[]>();
  private readonly now: () => number;
  private readonly options: Omit<CloudTrailFixtureOptions, 'timeline'>;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    { timeline, ...options }: CloudTrailFixtureOptions,
  ) {
    // The records are kept as LookupEvents answers them (their JSON), not held twice.
    this.options = options;
    this.now = options.now ?? (() => performance.now());
    for (const [region, records] of Object.entries(timeline ?? {})) this.addRecords(region, records);
  }

  /** Starts the fixture on a free port of 127.0.0.1. Stop it with `stop()`. */
  static async start(options: CloudTrailFixtureOptions = {}): Promise<CloudTrailFixture> {
    const started: { fixture?: CloudTrailFixture } = {};
    const server = createServer((request, response) => {
      if (!started.fixture) throw new Error('cloudtrail fixture: request before start');
      void started.fixture.handle(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const fixture = new CloudTrailFixture(server, `http://127.0.0.1:${port}`, options);
    started.fixture = fixture;
    return fixture;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  addRecords(region: string, records: readonly CloudTrailRecord[]): void {
    this.addEvents(region, records.map(storedEventOf));
  }

  /** Adds events as stored (a `cloudTrailEvent` that is not JSON, for instance). */
  addEvents(region: string, events: readonly StoredEvent[]): void {
    const timeline = this.events.get(region) ?? [];
    timeline.push(...events);
    // Newest first; equal times in a stable order (by event id), as pages must not shift.
    timeline.sort(
      (a, b) => b.eventTime.getTime() - a.eventTime.getTime() || a.eventId.localeCompare(b.eventId),
    );
    this.events.set(region, timeline);
  }

  /** Refuses the next `count` requests of a region with a ThrottlingException (Infinity: all of them). */
  throttleNext(region: string, count: number): void {
    this.refusals.set(region, count);
  }

  statsOf(region: string): RegionStats {
    return { ...(this.stats.get(region) ?? { requests: 0, pages: 0, throttles: 0 }) };
  }

  /** Every region's figures, for regions that got a request. */
  allStats(): Readonly<Record<string, RegionStats>> {
    return Object.fromEntries([...this.stats].map(([region, stats]) => [region, { ...stats }]));
  }

  /** The events a region holds, newest first. */
  eventsOf(region: string): readonly StoredEvent[] {
    return this.events.get(region) ?? [];
  }

  private statsFor(region: string): RegionStats {
    let stats = this.stats.get(region);
    if (!stats) {
      stats = { requests: 0, pages: 0, throttles: 0 };
      this.stats.set(region, stats);
    }
    return stats;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The request's arrival, as CloudTrail counts it: before its body is read.
    const arrival = this.now();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const region = regionOfAuthorization(request.headers.authorization);
    const target = request.headers['x-amz-target'];
    try {
      if (!region)
        throw new ClientError('IncompleteSignatureException', 'no SigV4 credential scope for cloudtrail');
      if (typeof target !== 'string' || !TARGETS.has(target)) {
        throw new ClientError(
          'UnknownOperationException',
          `the fixture answers LookupEvents only, not ${String(target)}`,
        );
      }
      const stats = this.statsFor(region);
      stats.requests += 1;
      if (this.refuse(region, arrival)) {
        stats.throttles += 1;
        if (this.options.delayMs) await sleepFor(this.options.delayMs);
        throw new ClientError('ThrottlingException', 'Rate exceeded');
      }
      const body = this.lookup(
        region,
        JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as LookupRequest,
      );
      if (this.options.delayMs) await sleepFor(this.options.delayMs);
      stats.pages += 1;
      this.send(response, 200, body);
    } catch (error) {
      const known = error instanceof ClientError;
      this.send(response, known ? 400 : 500, {
        __type: known ? error.type : 'InternalFailure',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** A forced refusal, or more than `requestsPerSecond` answers within the last second. */
  private refuse(region: string, now: number): boolean {
    const forced = this.refusals.get(region) ?? 0;
    if (forced > 0) {
      this.refusals.set(region, forced - 1);
      return true;
    }
    const limit = this.options.requestsPerSecond;
    if (limit === undefined) return false;
    const recent = (this.answered.get(region) ?? []).filter((at) => at > now - 1000);
    if (recent.length >= limit) {
      this.answered.set(region, recent);
      return true;
    }
    recent.push(now);
    this.answered.set(region, recent);
    return false;
  }

  private lookup(region: string, input: LookupRequest): Record<string, unknown> {
    const attributes = input.LookupAttributes ?? [];
    if (attributes.length > 1)
      throw new ClientError('InvalidLookupAttributesException', 'only one lookup attribute');
    const maxResults = input.MaxResults ?? MAX_RESULTS;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
      throw new ClientError('InvalidMaxResultsException', `MaxResults must be 1 to ${MAX_RESULTS}`);
    }
    const [attribute] = attributes;
    const queryKey = createHash('sha256')
      .update(JSON.stringify([region, attribute ?? null, input.StartTime ?? null, input.EndTime ?? null]))
      .digest('hex')
      .slice(0, 16);
    let selected = this.selections.get(queryKey);
    if (!selected) {
      const matches = this.matcher(attribute);
      const start = input.StartTime === undefined ? -Infinity : input.StartTime * 1000;
      const end = input.EndTime === undefined ? Infinity : input.EndTime * 1000;
      selected = this.eventsOf(region).filter(
        (event) => matches(event) && event.eventTime.getTime() >= start && event.eventTime.getTime() <= end,
      );
      this.selections.set(queryKey, selected);
    }
    const offset = input.NextToken === undefined ? 0 : this.offsetOf(input.NextToken, queryKey);
    const page = selected.slice(offset, offset + maxResults);
    const next = offset + page.length;
    return {
      Events: page.map((event) => ({
        EventId: event.eventId,
        EventName: event.eventName,
        ReadOnly: event.readOnly,
        AccessKeyId: event.accessKeyId,
        EventTime: event.eventTime.getTime() / 1000,
        EventSource: event.eventSource,
        Username: event.username,
        Resources: event.resources,
        CloudTrailEvent: event.cloudTrailEvent,
      })),
      ...(next < selected.length
        ? { NextToken: Buffer.from(JSON.stringify({ q: queryKey, o: next })).toString('base64') }
        : {}),
    };
  }

  private matcher(attribute: LookupAttributeInput | undefined): (event: StoredEvent) => boolean {
    if (!attribute) return () => true;
    const value = attribute.AttributeValue;
    switch (attribute.AttributeKey) {
      case 'AccessKeyId':
        return (event: StoredEvent) => event.accessKeyId === value;
      case 'Username':
        return (event: StoredEvent) => event.username === value;
      case 'EventName':
        return (event: StoredEvent) => event.eventName === value;
      default:
        throw new ClientError(
          'InvalidLookupAttributesException',
          `the fixture filters by AccessKeyId, Username or EventName, not ${String(attribute.AttributeKey)}`,
        );
    }
  }

  /** A NextToken is only good for the query that returned it, as CloudTrail's. */
  private offsetOf(token: string, queryKey: string): number {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
        q?: unknown;
        o?: unknown;
      };
      if (parsed.q === queryKey && typeof parsed.o === 'number') return parsed.o;
    } catch {
      // Reported below, as CloudTrail does.
    }
    throw new ClientError('InvalidNextTokenException', 'Invalid NextToken');
  }

  private send(response: ServerResponse, status: number, body: Record<string, unknown>): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    response.end(text);
  }
}

/** The kinds of call a generated timeline cycles through (IAM's only in us-east-1, where CloudTrail logs them). */
const CATALOGUE: readonly {
  readonly eventSource: string;
  readonly eventName: string;
  readonly readOnly: boolean;
  readonly global?: boolean;
  readonly request: (n: number) => Record<string, unknown> | null;
  readonly response: (n: number) => Record<string, unknown> | null;
}[] = [
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    readOnly: true,
    request: () => ({ instancesSet: {}, filterSet: {} }),
    response: () => null,
  },
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    readOnly: false,
    request: (n) => ({
      instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890', minCount: 1, maxCount: 1 }] },
      instanceType: 'p3.16xlarge',
      clientToken: `token-${n}`,
    }),
    response: (n) => ({
      reservationId: `r-${n.toString(16).padStart(17, '0')}`,
      instancesSet: {
        items: [{ instanceId: `i-${n.toString(16).padStart(17, '0')}`, instanceType: 'p3.16xlarge' }],
      },
    }),
  },
  {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    readOnly: false,
    request: (n) => ({
      groupId: `sg-${n.toString(16).padStart(17, '0')}`,
      ipPermissions: {
        items: [
          { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } },
        ],
      },
    }),
    response: (n) => ({
      _return: true,
      securityGroupRuleSet: { items: [{ securityGroupRuleId: `sgr-${n.toString(16).padStart(17, '0')}` }] },
    }),
  },
  {
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    readOnly: true,
    request: () => ({ Host: 's3.amazonaws.com' }),
    response: () => null,
  },
  {
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    readOnly: false,
    global: true,
    request: (n) => ({ userName: `backdoor-${n}` }),
    response: (n) => ({
      accessKey: {
        accessKeyId: `AKIA${n.toString().padStart(16, '0')}`,
        status: 'Active',
        userName: `backdoor-${n}`,
        createDate: 'Sep 12, 2024 8:00:00 AM',
      },
    }),
  },
];

/** A deterministic event id in CloudTrail's UUID form. */
export function eventIdOf(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface TimelineShape {
  readonly accessKeyId: string;
  readonly userName: string;
  /** How many events of the key each region holds. */
  readonly events: Readonly<Record<string, number>>;
  /** The newest event's time; older ones are `stepMs` apart before it. */
  readonly newest: Date;
  readonly stepMs?: number;
  readonly accountId?: string;
}

/** One real-format CloudTrail record of the key: the `n`th event of `region`'s timeline. */
export function keyRecord(shape: TimelineShape, region: string, n: number): CloudTrailRecord {
  const regional = CATALOGUE.filter((kind) => !kind.global || region === 'us-east-1');
  const kind = regional[n % regional.length];
  const accountId = shape.accountId ?? FIXTURE_ACCOUNT;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPRINCIPAL1',
      arn: `arn:aws:iam::${accountId}:user/${shape.userName}`,
      accountId,
      accessKeyId: shape.accessKeyId,
      userName: shape.userName,
    },
    eventTime: new Date(shape.newest.getTime() - n * (shape.stepMs ?? 1000))
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    eventSource: kind.eventSource,
    eventName: kind.eventName,
    awsRegion: region,
    sourceIPAddress: '198.51.100.23',
    userAgent: 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9',
    requestParameters: kind.request(n),
    responseElements: kind.response(n),
    requestID: randomUUID(),
    eventID: eventIdOf(`event/${shape.accessKeyId}/${region}/${n}`),
    readOnly: kind.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${kind.eventSource.split('.')[0]}.${region}.amazonaws.com`,
    },
  };
}

/** A timeline of the key across regions: `events[region]` real-format records per region, newest first. */
export function generateTimeline(shape: TimelineShape): Record<string, CloudTrailRecord[]> {
  return Object.fromEntries(
    Object.entries(shape.events).map(([region, count]) => [
      region,
      Array.from({ length: count }, (_, n) => keyRecord(shape, region, n)),
    ]),
  );
}
