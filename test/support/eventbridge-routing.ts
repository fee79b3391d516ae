import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { EventPattern } from '../../lambda/detections/types';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from './moto';

/**
 * Where moto 5.2.1's EventBridge rule matching departs from EventBridge's documented semantics, so
 * agreement with moto is not evidence there. Found by reading moto/events/models.py (EventPattern) and by
 * the routing tests in test/lambda/detections/event-pattern-matcher.moto.test.ts. Patterns and events
 * that avoid these are checkable through motoRoutes.
 */
export const MOTO_EVENTBRIDGE_DEVIATIONS = [
  {
    topic: 'arrays of objects and nested arrays',
    reason:
      'moto flattens nested objects but keeps an array as one opaque value, so a nested pattern over an ' +
      'array of objects (e.g. detail.requestParameters.ipPermissions.items.ipRanges.items.cidrIp) never ' +
      'matches in moto, nor does a value inside an array of arrays; EventBridge matches when one element ' +
      'matches.',
  },
  {
    topic: 'empty arrays and empty objects',
    reason:
      'moto keeps [] and {} as leaf values: exists:true matches them and exists:false does not; EventBridge ' +
      'sees no leaf there (exists:false matches, exists:true does not).',
  },
  {
    topic: 'booleans versus numbers',
    reason:
      'moto compares in Python, where True == 1 and False == 0 and bool is an int: [1] matches true, ' +
      '[true] matches 1, numeric matches booleans, anything-but [1] rejects true. EventBridge keeps JSON types apart.',
  },
  {
    topic: 'cidr on non-strings and host bits',
    reason:
      'moto passes the value to Python ipaddress.ip_address, which takes an integer (123 is 0.0.0.123), and ' +
      'ip_network(strict), which rejects a block with host bits set (10.0.0.1/24) so nothing matches it. ' +
      'EventBridge matches strings only and masks the block.',
  },
  {
    topic: 'wildcard and newlines',
    reason: "moto turns * into the regular expression .* without DOTALL, so * does not match across '\\n'.",
  },
  {
    topic: 'envelope fields',
    reason:
      'PutEvents cannot set id, version or account: moto generates id, sets version "0" and uses the ' +
      'account of the request (motoRoutes sends the x-moto-account-id header, so a 12-digit account in ' +
      'the event is honoured). moto matches `time` as epoch seconds (a number), not the ISO-8601 string ' +
      'EventBridge delivers, so any pattern on time, or on id, is not checkable. moto also adds ingestion-time.',
  },
  {
    topic: 'keys with dots',
    reason:
      'moto joins keys with "." when flattening, so a key "a.b" and a path a → b are the same field ' +
      '(EventBridge does the same, undocumented; the local matcher keeps them apart).',
  },
] as const;

export interface RoutingCase {
  pattern: EventPattern;
  event: Record<string, unknown>;
}

const DEFAULT_REGION = 'us-east-1';
const CONCURRENCY = 16;
const PUT_EVENTS_BATCH = 10;

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
) {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Sets moto's account header on an outgoing request, so the call acts in that account. */
function setAccountHeader(request: unknown, account: string): void {
  const headers = (request as { headers?: Record<string, string> } | undefined)?.headers;
  if (headers) headers['x-moto-account-id'] = account;
}

const ACCOUNT_MIDDLEWARE = { step: 'build', name: 'motoAccountHeader' } as const;

interface PreparedCase {
  readonly index: number;
  readonly pattern: EventPattern;
  readonly entry: Omit<PutEventsRequestEntry, 'EventBusName'>;
  readonly account: string | undefined;
  readonly region: string;
}

function optionalString(event: Record<string, unknown>, field: string, index: number): string | undefined {
  const value = event[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`motoRoutes case ${index}: ${field} must be a string`);
  return value;
}

/** Turns an EventBridge envelope into a PutEvents entry, or explains why it cannot be one. */
function prepare(routingCase: RoutingCase, index: number): PreparedCase {
  const { event, pattern } = routingCase;
  const source = optionalString(event, 'source', index);
  const detailType = optionalString(event, 'detail-type', index);
  if (!source || !detailType) {
    throw new Error(`motoRoutes case ${index}: PutEvents needs a non-empty source and detail-type`);
  }
  const detail = event.detail ?? {};
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    throw new Error(`motoRoutes case ${index}: detail must be a JSON object`);
  }
  const resources = event.resources ?? [];
  if (!Array.isArray(resources) || !resources.every((r): r is string => typeof r === 'string')) {
    throw new Error(`motoRoutes case ${index}: resources must be an array of strings`);
  }
  const timeText = optionalString(event, 'time', index);
  const time = timeText === undefined ? undefined : new Date(timeText);
  if (time !== undefined && Number.isNaN(time.getTime())) {
    throw new Error(`motoRoutes case ${index}: time ${timeText} is not a date`);
  }
  const account = optionalString(event, 'account', index);
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new Error(`motoRoutes case ${index}: account ${account} is not a 12-digit account id`);
  }
  const region = optionalString(event, 'region', index) ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new Error(`motoRoutes case ${index}: region ${region} is not an AWS region name`);
  }
  return {
    index,
    pattern,
    account,
    region,
    entry: {
      Source: source,
      DetailType: detailType,
      Detail: JSON.stringify(detail),
      Resources: resources,
      ...(time ? { Time: time } : {}),
    },
  };
}

interface Bus {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly cases: PreparedCase[];
}

/**
 * Routes the cases of one account and region through moto. Cases that share a pattern share a custom event
 * bus holding one rule with that pattern; its SQS target (one queue for all buses) receives the id of each
 * event it matched, through an input transformer. PutEvents returns each event's id, so a message names
 * exactly one case. moto delivers inside PutEvents, so the queue is complete once PutEvents returns.
 *
 * Cost, measured: moto spends ~10 ms per API call and ~30 ms per delivery (it re-parses the target's
 * input-path JSONPath each time; one path is the least it accepts), so buses are per pattern, not per case.
 */
async function routeGroup(url: string, group: readonly PreparedCase[], delivered: boolean[]): Promise<void> {
  const { account, region } = group[0];
  const events = new EventBridgeClient(emulatorClientConfig(url, region));
  const sqs = new SQSClient(emulatorClientConfig(url, region));
  if (account !== undefined) {
    events.middlewareStack.add(
      (next) => (args) => {
        setAccountHeader(args.request, account);
        return next(args);
      },
      ACCOUNT_MIDDLEWARE,
    );
    sqs.middlewareStack.add(
      (next) => (args) => {
        setAccountHeader(args.request, account);
        return next(args);
      },
      ACCOUNT_MIDDLEWARE,
    );
  }
  const run = uniqueName('ebr');
  const byPattern = new Map<string, Bus>();
  for (const c of group) {
    const key = JSON.stringify(c.pattern);
    const bus = byPattern.get(key);
    if (bus) bus.cases.push(c);
    else byPattern.set(key, { name: `${run}-${byPattern.size}`, pattern: c.pattern, cases: [c] });
  }
  const buses = [...byPattern.values()];
  const ruleName = 'route';
  const created: Bus[] = [];
  let queueUrl: string | undefined;
  try {
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: run }))).QueueUrl;
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const queueArn = attributes.Attributes?.QueueArn;
    if (!queueUrl || !queueArn) throw new Error('moto did not return the routing queue');

    await mapLimit(buses, CONCURRENCY, async (bus) => {
      await events.send(new CreateEventBusCommand({ Name: bus.name }));
      created.push(bus);
      await events.send(
        new PutRuleCommand({
          Name: ruleName,
          EventBusName: bus.name,
          EventPattern: JSON.stringify(bus.pattern),
          State: 'ENABLED',
        }),
      );
      await events.send(
        new PutTargetsCommand({
          Rule: ruleName,
          EventBusName: bus.name,
          Targets: [
            {
              Id: 'queue',
              Arn: queueArn,
              InputTransformer: {
                InputPathsMap: { id: '$.id' },
                InputTemplate: `{"run": ${JSON.stringify(run)}, "id": "<id>"}`,
              },
            },
          ],
        }),
      );
    });

    const entries = buses.flatMap((bus) =>
      bus.cases.map((c) => ({ c, entry: { ...c.entry, EventBusName: bus.name } })),
    );
    const batches: (typeof entries)[] = [];
    for (let i = 0; i < entries.length; i += PUT_EVENTS_BATCH)
      batches.push(entries.slice(i, i + PUT_EVENTS_BATCH));
    const caseOfEventId = new Map<string, number>();
    await mapLimit(batches, CONCURRENCY, async (batch) => {
      const result = await events.send(new PutEventsCommand({ Entries: batch.map(({ entry }) => entry) }));
      const ids = (result.Entries ?? []).map((e) => e.EventId);
      if (result.FailedEntryCount || ids.length !== batch.length) {
        throw new Error(`moto rejected events: ${JSON.stringify(result.Entries)}`);
      }
      batch.forEach(({ c }, i) => caseOfEventId.set(String(ids[i]), c.index));
    });

    for (;;) {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 300,
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages) {
        const body = JSON.parse(message.Body ?? 'null') as { run?: unknown; id?: unknown } | null;
        const index = typeof body?.id === 'string' ? caseOfEventId.get(body.id) : undefined;
        if (body?.run !== run || index === undefined) {
          throw new Error(`unexpected message on routing queue: ${message.Body}`);
        }
        delivered[index] = true;
      }
    }
  } finally {
    // moto drops a bus's rules and targets with the bus.
    await Promise.allSettled([
      ...(queueUrl ? [sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }))] : []),
      mapLimit(created, CONCURRENCY, (bus) =>
        Promise.allSettled([events.send(new DeleteEventBusCommand({ Name: bus.name }))]),
      ),
    ]);
    events.destroy();
    sqs.destroy();
  }
}

/**
 * For each case, whether moto's EventBridge routes the event to a rule with the pattern: a real rule on a
 * fresh custom event bus, a real PutEvents (Source, DetailType, Detail, Resources, Time from the envelope;
 * region and 12-digit account honoured), and a real SQS target. Uses the shared moto_server (MOTO_URL).
 * Throws when a case cannot be expressed as PutEvents, or when moto rejects a rule (an invalid pattern).
 * See MOTO_EVENTBRIDGE_DEVIATIONS for what moto matches differently from EventBridge.
 */
export async function motoRoutes(
  cases: { pattern: EventPattern; event: Record<string, unknown> }[],
): Promise<boolean[]> {
  const url = sharedMotoUrl();
  const prepared = cases.map(prepare);
  const groups = new Map<string, PreparedCase[]>();
  for (const c of prepared) {
    const key = `${c.account ?? ''}/${c.region}`;
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  const delivered = cases.map(() => false);
  await Promise.all([...groups.values()].map((group) => routeGroup(url, group, delivered)));
  return delivered;
}
