/**
 * Reads the attacker's CloudTrail timeline with LookupEvents: every region in parallel, each
 * under its own rate limiter (2 requests a second per account and region), pages followed to the
 * end one at a time, each page's records handed over before the next is asked for (memory holds
 * one page per region, however long the timeline), throttling retried under the limiter, and a
 * plain-JSON cursor per region that a fresh Lambda invocation resumes from exactly where the last
 * one stopped: no page read twice, none skipped.
 *
 * The SDK's own retry is off for these calls (`lookupEventsClient`: one attempt per send). Its
 * retries are sent from inside the client, where the region's limiter cannot see them: each would
 * spend the region's 2 a second that the other query of the sweep shares, the throttles would not
 * be counted in the cursor, and its back-off sleeps on the wall clock, not an injectable one.
 * `readRegion` retries instead, every attempt granted by the limiter.
 */
import {
  CloudTrailClient,
  LookupEventsCommand,
  type Event as LookupEvent,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailRecord } from '../actions/reverts/types';
import { errorOf } from '../actions/types';
import { perRegion, RETRY, withErrorContext, type AwsClientOverrides } from '../responder/clients';
import type { LimiterClock, RateLimiter, RegionRateLimiters } from './rate-limiter';

/** LookupEvents' largest page. */
export const PAGE_SIZE = 50;

/**
 * Attempts per page while CloudTrail throttles: 6 (5 retries), backing off 0.5, 1, 2, 4 and 8 s
 * between them, each attempt also waiting for the limiter. With the limiter, a throttle means
 * someone else spends the account's LookupEvents quota in that region (the console, another tool,
 * another sweep); about 15 s of back-off outlasts such a burst, and a refusal that lasts longer is
 * an error the sweep reports (and resumes from the cursor later) rather than a Lambda spending its
 * budget asleep.
 */
export const THROTTLE_ATTEMPTS = 6;
export const THROTTLE_BASE_DELAY_MS = 500;

/** The field that marks a record built from LookupEvents' own fields because its CloudTrailEvent did not parse. */
export const UNPARSED_MARKER = 'cordonUnparsedCloudTrailEvent';

/** One query of the timeline: one attribute (LookupEvents takes one per call) over a fixed time range. */
export interface LookupQuery {
  readonly attribute: { readonly key: 'AccessKeyId' | 'Username'; readonly value: string };
  readonly startTime: Date;
  /** Fixed when the sweep starts: a resumed read sends the same query, or its NextToken is refused. */
  readonly endTime: Date;
}

/** Where a region's read is (plain JSON: checkpointed in the incident store, resumed in another invocation). */
export interface RegionCursor {
  /** The token of the next page; none before the first page and after the last. */
  readonly nextToken?: string;
  readonly pagesRead: number;
  readonly eventsRead: number;
  /** The last page was read. */
  readonly done: boolean;
  /** Throttled attempts, retried. */
  readonly throttled: number;
  /** Events whose CloudTrailEvent did not parse, delivered as marked minimal records. */
  readonly unparsed: number;
}

export const START_CURSOR: RegionCursor = {
  pagesRead: 0,
  eventsRead: 0,
  done: false,
  throttled: 0,
  unparsed: 0,
};

/** Back-off between throttled attempts; injectable, so that tests do not sleep. */
export interface ThrottleRetry {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: LimiterClock['sleep'];
}

/** A region's read that could not go on: names the region and the call, and carries the cursor to resume from. */
export class LookupEventsError extends Error {
  override readonly name = 'LookupEventsError';

  constructor(
    readonly region: string,
    readonly cursor: RegionCursor,
    readonly throttledOut: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Some regions' reads failed: every region's cursor (the failed ones where they stopped) and the failures. */
export class TimelineReadError extends AggregateError {
  override readonly name = 'TimelineReadError';

  constructor(
    readonly cursors: Readonly<Record<string, RegionCursor>>,
    readonly failures: readonly LookupEventsError[],
  ) {
    super(
      failures,
      `LookupEvents failed in ${failures.map((failure) => failure.region).join(', ')}: ${failures
        .map((failure) => failure.message)
        .join('; ')}`,
    );
  }
}

/**
 * A CloudTrail client for LookupEvents in a region: the project's retry mode, but one attempt per
 * send (see the module comment), and errors that name the call. Honours AWS_ENDPOINT_URL_CLOUDTRAIL
 * (the SDK reads it) and an explicit endpoint.
 */
export function lookupEventsClient(region: string, overrides: AwsClientOverrides = {}): CloudTrailClient {
  return withErrorContext(new CloudTrailClient({ ...RETRY, region, ...overrides, maxAttempts: 1 }));
}

/** LookupEvents clients by region, each made once. */
export function lookupEventsClients(
  overrides: AwsClientOverrides = {},
): (region: string) => CloudTrailClient {
  return perRegion((region) => lookupEventsClient(region, overrides));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record of one LookupEvents event, or a minimal one from its own fields, marked, when CloudTrailEvent does not parse. */
export function recordOf(event: LookupEvent, region: string): { record: CloudTrailRecord; parsed: boolean } {
  let reason = 'no CloudTrailEvent';
  if (event.CloudTrailEvent !== undefined) {
    try {
      const parsed: unknown = JSON.parse(event.CloudTrailEvent);
      if (isObject(parsed)) return { record: parsed, parsed: true };
      reason = 'CloudTrailEvent is not a JSON object';
    } catch (error) {
      reason = `CloudTrailEvent is not JSON: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const record: CloudTrailRecord = {
    eventID: event.EventId,
    eventName: event.EventName,
    eventSource: event.EventSource,
    eventTime: event.EventTime?.toISOString(),
    awsRegion: region,
    readOnly: event.ReadOnly === undefined ? undefined : event.ReadOnly === 'true',
    userIdentity: {
      ...(event.Username === undefined ? {} : { userName: event.Username }),
      ...(event.AccessKeyId === undefined ? {} : { accessKeyId: event.AccessKeyId }),
    },
    resources: (event.Resources ?? []).map((resource) => ({
      type: resource.ResourceType,
      ARN: resource.ResourceName,
    })),
    [UNPARSED_MARKER]: reason,
  };
  return { record, parsed: false };
}

/** A record built by `recordOf` from LookupEvents' fields, because its CloudTrailEvent did not parse. */
export function isUnparsedRecord(record: CloudTrailRecord): boolean {
  return typeof record[UNPARSED_MARKER] === 'string';
}

export const RATE_LIMIT_MIDDLEWARE = 'cordonLookupEventsRateLimit';

/**
 * The command, waiting for the limiter's grant as the last step before it goes on the wire (after
 * the SDK's endpoint, credentials and signing, the last middleware of the finalize step): what
 * CloudTrail counts is the request's arrival, and the work before sending varies most (the first
 * call of a client resolves its credentials and endpoint), so a grant taken before it would let a
 * late request arrive closer to the next one than the limit allows.
 */
function limited(command: LookupEventsCommand, limiter: RateLimiter): LookupEventsCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      await limiter.acquire();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: RATE_LIMIT_MIDDLEWARE },
  );
  return command;
}

function isThrottle(error: unknown): boolean {
  return isObject(error) && (error.name === 'ThrottlingException' || error.name === 'ThrottledException');
}

/** The error in one line: an answer that is not an AWS API's (an HTML page) says so, with its status. */
function messageOf(error: unknown): string {
  const { name, message } = errorOf(error);
  return `${name}: ${message.split('\n')[0]}`;
}

export interface ReadRegionInput {
  readonly region: string;
  readonly query: LookupQuery;
  /** Where to resume; none: from the newest event. */
  readonly cursor?: RegionCursor;
  readonly client: CloudTrailClient;
  /** The region's limiter, shared with every other query of the sweep in the region. */
  readonly limiter: RateLimiter;
  /** Gets each page's records, newest first, and the cursor after it; the next page is asked for once it resolves. */
  onPage(records: readonly CloudTrailRecord[], after: RegionCursor): Promise<void>;
  /** Asked before each request: true ends the read, and the cursor returned resumes it. */
  shouldStop(): boolean;
  readonly retry?: ThrottleRetry;
}

/**
 * Reads one region's pages of the query, from the cursor to the end or until `shouldStop()`, one
 * request at a time under the limiter. Resolves with the cursor to resume from (`done` at the end).
 * Rejects with a LookupEventsError (region, call, cursor before the failed page) when a page stays
 * throttled after THROTTLE_ATTEMPTS attempts or LookupEvents fails otherwise; an `onPage` failure
 * rejects as it is, the page not counted in any cursor (resuming reads it again).
 */
export async function readRegion(input: ReadRegionInput): Promise<RegionCursor> {
  const { region, query, client, limiter } = input;
  const attempts = input.retry?.attempts ?? THROTTLE_ATTEMPTS;
  const baseDelayMs = input.retry?.baseDelayMs ?? THROTTLE_BASE_DELAY_MS;
  const sleep = input.retry?.sleep ?? ((ms: number) => limiter.clock.sleep(ms));
  let cursor: RegionCursor = { ...START_CURSOR, ...input.cursor };
  while (!cursor.done && !input.shouldStop()) {
    const page = await requestPage();
    let unparsed = 0;
    const records = (page.Events ?? []).map((event) => {
      const { record, parsed } = recordOf(event, region);
      if (!parsed) unparsed += 1;
      return record;
    });
    const after: RegionCursor = {
      ...(page.NextToken ? { nextToken: page.NextToken } : {}),
      pagesRead: cursor.pagesRead + 1,
      eventsRead: cursor.eventsRead + records.length,
      done: !page.NextToken,
      throttled: cursor.throttled,
      unparsed: cursor.unparsed + unparsed,
    };
    await input.onPage(records, after);
    cursor = after;
  }
  return cursor;

  async function requestPage(): Promise<LookupEventsCommandOutput> {
    const call = `CloudTrail LookupEvents in ${region} (${query.attribute.key} ${query.attribute.value}, page ${cursor.pagesRead + 1})`;
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.send(
          limited(
            new LookupEventsCommand({
              LookupAttributes: [
                { AttributeKey: query.attribute.key, AttributeValue: query.attribute.value },
              ],
              StartTime: query.startTime,
              EndTime: query.endTime,
              MaxResults: PAGE_SIZE,
              NextToken: cursor.nextToken,
            }),
            limiter,
          ),
        );
      } catch (error) {
        if (!isThrottle(error)) {
          throw new LookupEventsError(region, cursor, false, `${call} failed: ${messageOf(error)}`, {
            cause: error,
          });
        }
        cursor = { ...cursor, throttled: cursor.throttled + 1 };
        if (attempt >= attempts) {
          throw new LookupEventsError(
            region,
            cursor,
            true,
            `${call} still throttled after ${attempts} attempts: ${messageOf(error)}`,
            { cause: error },
          );
        }
        await sleep(Math.min(baseDelayMs * 2 ** (attempt - 1), baseDelayMs * 16));
      }
    }
  }
}

export interface ReadTimelineInput {
  readonly regions: readonly string[];
  readonly query: LookupQuery;
  /** Each region's cursor from the last checkpoint; a region without one starts at its newest event. */
  readonly cursors: Readonly<Record<string, RegionCursor>>;
  clientFor(region: string): CloudTrailClient;
  readonly limiters: RegionRateLimiters;
  onPage(region: string, records: readonly CloudTrailRecord[], after: RegionCursor): Promise<void>;
  shouldStop(): boolean;
  /** Told after each page is handled (the `cordon sweep` progress line, the checkpoint). */
  onProgress?(progress: { readonly region: string; readonly cursor: RegionCursor }): void;
  readonly retry?: ThrottleRetry;
}

/**
 * Reads the query in every region at once, each under its own limiter; regions whose cursor is
 * `done` are not asked again. Resolves with every region's cursor. When a region fails, the others
 * still finish (or stop), then it rejects with a TimelineReadError carrying every cursor.
 */
export async function readTimeline(input: ReadTimelineInput): Promise<Record<string, RegionCursor>> {
  const cursors: Record<string, RegionCursor> = {};
  for (const region of input.regions) cursors[region] = input.cursors[region] ?? START_CURSOR;
  const settled = await Promise.allSettled(
    input.regions
      .filter((region) => !cursors[region].done)
      .map(async (region) => {
        cursors[region] = await readRegion({
          region,
          query: input.query,
          cursor: cursors[region],
          client: input.clientFor(region),
          limiter: input.limiters.for(region),
          retry: input.retry,
          shouldStop: () => input.shouldStop(),
          onPage: async (records, after) => {
            await input.onPage(region, records, after);
            cursors[region] = after;
            input.onProgress?.({ region, cursor: after });
          },
        });
      }),
  );
  const failures: LookupEventsError[] = [];
  for (const result of settled) {
    if (result.status === 'fulfilled') continue;
    const reason: unknown = result.reason;
    if (reason instanceof LookupEventsError) {
      cursors[reason.region] = reason.cursor;
      failures.push(reason);
    } else throw reason;
  }
  if (failures.length > 0) throw new TimelineReadError(cursors, failures);
  return cursors;
}
