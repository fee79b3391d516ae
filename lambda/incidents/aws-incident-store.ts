/**
 * The Lambda's incident store: documents in the evidence bucket (S3), claims and the circuit
 * breaker's containment count in the incidents table (DynamoDB).
 *
 * Calls only what the responder's role allows: s3:PutObject and s3:GetObject under
 * `incidents/*`, dynamodb:UpdateItem, GetItem, PutItem and Query on the table.
 *
 * Table items (key schema `pk` S, `sk` S; TTL attribute `expiresAt`, epoch seconds):
 * - `{pk: "INCIDENT#<id>", sk: "INCIDENT", incidentId, createdAt, summary (map), expiresAt,
 *   state ("in-progress" | "completed" | "released"), leaseUntil, claimedAt, attempts, stateAt}`
 * - `{pk: "CONTAINMENTS", sk: "<ISO time>#<id>", incidentId, at, expiresAt}`
 */
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { errorName, S3Documents } from './s3-documents';
import {
  assertIncidentId,
  existingClaimResult,
  INCIDENT_TTL_ATTRIBUTE,
  isoTime,
  type ClaimResult,
  type ClaimState,
  type IncidentClaim,
  type IncidentStore,
  type IncidentSummary,
} from './store';

/** The table's TTL attribute (the stack makes the table with the same constant). */
export const TTL_ATTRIBUTE = INCIDENT_TTL_ATTRIBUTE;

export const INCIDENT_SORT_KEY = 'INCIDENT';
export const CONTAINMENTS_PARTITION = 'CONTAINMENTS';

/** Environment variables the stack gives the responder. */
export const EVIDENCE_BUCKET_ENV = 'CORDON_EVIDENCE_BUCKET';
export const INCIDENTS_TABLE_ENV = 'CORDON_INCIDENTS_TABLE';

const DAY_SECONDS = 24 * 60 * 60;

export interface AwsIncidentStoreOptions {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly bucket: string;
  readonly table: string;
  /** Days an incident's table item lives (its S3 documents stay). Default 400. */
  readonly incidentTtlDays?: number;
  /** Days a containment item lives; must exceed the circuit breaker's window. Default 90. */
  readonly containmentTtlDays?: number;
  /** The clock for TTLs. Default: the system clock. */
  readonly now?: () => Date;
}

export function incidentPartitionKey(incidentId: string): string {
  return `INCIDENT#${incidentId}`;
}

function marshalSummary(summary: IncidentSummary): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(summary)) {
    if (typeof value === 'string') map[key] = { S: value };
    else if (typeof value === 'boolean') map[key] = { BOOL: value };
    else if (typeof value === 'number' && Number.isFinite(value)) map[key] = { N: String(value) };
    else
      throw new Error(
        `incident summary field ${JSON.stringify(key)} is not a string, finite number or boolean`,
      );
  }
  return map;
}

function positiveDays(value: number | undefined, fallback: number, what: string): number {
  const days = value ?? fallback;
  if (!Number.isFinite(days) || days <= 0) throw new Error(`${what} must be a positive number of days`);
  return days;
}

export class AwsIncidentStore implements IncidentStore {
  private readonly documents: S3Documents;
  private readonly dynamodb: DynamoDBClient;
  private readonly table: string;
  private readonly incidentTtlSeconds: number;
  private readonly containmentTtlSeconds: number;
  private readonly now: () => Date;

  constructor(options: AwsIncidentStoreOptions) {
    if (options.table.trim() === '') throw new Error('the incidents table name is empty');
    this.documents = new S3Documents(options.s3, options.bucket);
    this.dynamodb = options.dynamodb;
    this.table = options.table;
    this.incidentTtlSeconds = Math.round(
      positiveDays(options.incidentTtlDays, 400, 'incidentTtlDays') * DAY_SECONDS,
    );
    this.containmentTtlSeconds = Math.round(
      positiveDays(options.containmentTtlDays, 90, 'containmentTtlDays') * DAY_SECONDS,
    );
    this.now = options.now ?? (() => new Date());
  }

  /** The store the stack configures: bucket and table names from the responder's environment. */
  static fromEnvironment(
    clients: { s3: S3Client; dynamodb: DynamoDBClient },
    env: NodeJS.ProcessEnv = process.env,
  ): AwsIncidentStore {
    const bucket = env[EVIDENCE_BUCKET_ENV];
    const table = env[INCIDENTS_TABLE_ENV];
    const missing = [...(bucket ? [] : [EVIDENCE_BUCKET_ENV]), ...(table ? [] : [INCIDENTS_TABLE_ENV])];
    if (!bucket || !table) throw new Error(`missing environment variable(s): ${missing.join(', ')}`);
    return new AwsIncidentStore({ ...clients, bucket, table });
  }

  get bucket(): string {
    return this.documents.bucket;
  }

  async claim(incident: IncidentClaim): Promise<ClaimResult> {
    assertIncidentId(incident.incidentId);
    const summary = marshalSummary(incident.summary);
    const key = {
      pk: { S: incidentPartitionKey(incident.incidentId) },
      sk: { S: INCIDENT_SORT_KEY },
    };
    try {
      // A new claim, or one taken again: released after a failure, or its lease expired.
      const { Attributes } = await this.dynamodb.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression:
            'SET #state = :inProgress, leaseUntil = :leaseUntil, claimedAt = :claimedAt, ' +
            'incidentId = :incidentId, createdAt = if_not_exists(createdAt, :claimedAt), ' +
            'summary = if_not_exists(summary, :summary), #ttl = if_not_exists(#ttl, :ttl) ' +
            'ADD attempts :one',
          ConditionExpression:
            'attribute_not_exists(pk) OR #state = :released OR (#state = :inProgress AND leaseUntil < :claimedAt)',
          ExpressionAttributeNames: { '#state': 'state', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':inProgress': { S: 'in-progress' },
            ':released': { S: 'released' },
            ':leaseUntil': { S: incident.leaseUntil },
            ':claimedAt': { S: incident.createdAt },
            ':incidentId': { S: incident.incidentId },
            ':summary': { M: summary },
            ':ttl': { N: String(this.epochSeconds(this.now()) + this.incidentTtlSeconds) },
            ':one': { N: '1' },
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes?.pk ? 'resumed' : 'claimed';
    } catch (error) {
      // Only a failed condition means "held or done"; throttling and the rest must surface.
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
    const { Item } = await this.dynamodb.send(
      new GetItemCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    const decision = existingClaimResult(Item?.state?.S, Item?.leaseUntil?.S, incident.createdAt);
    // Released or expired between the two calls: another run is taking it now.
    return decision === 'retake' ? 'in-progress' : decision;
  }

  completeClaim(incidentId: string, at: Date): Promise<void> {
    return this.setClaimState(incidentId, 'completed', at);
  }

  releaseClaim(incidentId: string, at: Date): Promise<void> {
    return this.setClaimState(incidentId, 'released', at);
  }

  private async setClaimState(incidentId: string, state: ClaimState, at: Date): Promise<void> {
    assertIncidentId(incidentId);
    await this.dynamodb.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: incidentPartitionKey(incidentId) }, sk: { S: INCIDENT_SORT_KEY } },
        UpdateExpression: 'SET #state = :state, stateAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':state': { S: state }, ':at': { S: isoTime(at, 'at') } },
      }),
    );
  }

  putDocument(incidentId: string, name: string, document: unknown): Promise<void> {
    return this.documents.put(incidentId, name, document);
  }

  getDocument(incidentId: string, name: string): Promise<unknown> {
    return this.documents.get(incidentId, name);
  }

  async countContainmentsSince(since: Date): Promise<number> {
    const from = isoTime(since, 'since');
    let count = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page: QueryCommandOutput = await this.dynamodb.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk >= :since',
          ExpressionAttributeValues: { ':pk': { S: CONTAINMENTS_PARTITION }, ':since': { S: from } },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return count;
  }

  async recordContainment(incidentId: string, at: Date): Promise<void> {
    assertIncidentId(incidentId);
    const time = isoTime(at, 'at');
    await this.dynamodb.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          pk: { S: CONTAINMENTS_PARTITION },
          sk: { S: `${time}#${incidentId}` },
          incidentId: { S: incidentId },
          at: { S: time },
          [TTL_ATTRIBUTE]: { N: String(this.epochSeconds(at) + this.containmentTtlSeconds) },
        },
      }),
    );
  }

  locationOf(incidentId: string): string {
    return this.documents.locationOf(incidentId);
  }

  private epochSeconds(date: Date): number {
    return Math.floor(date.getTime() / 1000);
  }
}
