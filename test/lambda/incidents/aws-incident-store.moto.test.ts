import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { INCIDENT_TTL_ATTRIBUTE } from '../../../lib/constructs/evidence-store';
import { AwsIncidentStore } from '../../../lambda/incidents/aws-incident-store';
import { createEmulatedEvidence } from '../../support/evidence';
import { emulatorClientConfig, sharedMotoUrl } from '../../support/moto';
import { claimOf, describeIncidentStoreContract, freshIncidentId } from './support/store-contract';

const s3 = new S3Client({ ...emulatorClientConfig(sharedMotoUrl()), forcePathStyle: true });
const dynamodb = new DynamoDBClient(emulatorClientConfig(sharedMotoUrl()));

/** A bucket and a table with the stack's key schema, both new. */
const createEvidence = () => createEmulatedEvidence(sharedMotoUrl());

afterAll(() => {
  s3.destroy();
  dynamodb.destroy();
});

describe('AwsIncidentStore on moto (S3 + DynamoDB)', () => {
  describeIncidentStoreContract({
    makeStore: async () => new AwsIncidentStore({ s3, dynamodb, ...(await createEvidence()) }),
    expectedLocation: (store, id) => `s3://${(store as AwsIncidentStore).bucket}/incidents/${id}/`,
    atomicUnderConcurrency: false,
  });

  describe('what it writes', () => {
    const now = new Date('2026-01-15T09:30:12.000Z');
    let bucket: string;
    let table: string;
    let store: AwsIncidentStore;
    beforeEach(async () => {
      ({ bucket, table } = await createEvidence());
      store = new AwsIncidentStore({ s3, dynamodb, bucket, table, now: () => now });
    });

    it('claims with an INCIDENT item that keeps the first summary and expires after 400 days', async () => {
      const id = freshIncidentId();
      await store.claim(claimOf(id, { detection: 'iam-user-key-abuse', severity: 8.5, dryRun: false }));
      await store.claim(claimOf(id, { detection: 'replayed' }));

      const item = await dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: `INCIDENT#${id}` }, sk: { S: 'INCIDENT' } } }),
      );
      expect(item.Item).toEqual({
        pk: { S: `INCIDENT#${id}` },
        sk: { S: 'INCIDENT' },
        incidentId: { S: id },
        createdAt: { S: '2026-01-15T09:30:12.000Z' },
        summary: {
          M: { detection: { S: 'iam-user-key-abuse' }, severity: { N: '8.5' }, dryRun: { BOOL: false } },
        },
        [INCIDENT_TTL_ATTRIBUTE]: { N: String(now.getTime() / 1000 + 400 * 86_400) },
        state: { S: 'in-progress' },
        leaseUntil: { S: '2026-01-15T09:32:12.000Z' },
        claimedAt: { S: '2026-01-15T09:30:12.000Z' },
        attempts: { N: '1' },
      });
    });

    it('writes documents as application/json under incidents/<id>/<name>.json', async () => {
      const id = freshIncidentId();
      await store.putDocument(id, 'event', { id: 'evt-1' });
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: `incidents/${id}/event.json` }),
      );
      expect(head.ContentType).toBe('application/json');
      const object = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: `incidents/${id}/event.json` }),
      );
      expect(JSON.parse(await object.Body!.transformToString())).toEqual({ id: 'evt-1' });
    });

    it('records containments in the CONTAINMENTS partition, keyed by time then id, with a TTL', async () => {
      const id = freshIncidentId();
      const at = new Date('2026-01-15T09:31:00.000Z');
      await store.recordContainment(id, at);
      const page = await dynamodb.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'CONTAINMENTS' } },
        }),
      );
      expect(page.Items).toEqual([
        {
          pk: { S: 'CONTAINMENTS' },
          sk: { S: `2026-01-15T09:31:00.000Z#${id}` },
          incidentId: { S: id },
          at: { S: '2026-01-15T09:31:00.000Z' },
          [INCIDENT_TTL_ATTRIBUTE]: { N: String(at.getTime() / 1000 + 90 * 86_400) },
        },
      ]);
    });

    it('records the same containment twice as one', async () => {
      const id = freshIncidentId();
      const at = new Date('2026-01-15T09:31:00.000Z');
      await store.recordContainment(id, at);
      await store.recordContainment(id, at);
      await expect(store.countContainmentsSince(new Date('2026-01-15T00:00:00Z'))).resolves.toBe(1);
    });

    it('refuses a summary value DynamoDB cannot hold, before writing', async () => {
      const id = freshIncidentId();
      await expect(store.claim(claimOf(id, { score: Number.NaN }))).rejects.toThrow(/"score"/);
      await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
    });
  });

  it('is built from the responder environment, and names what is missing', () => {
    const store = AwsIncidentStore.fromEnvironment(
      { s3, dynamodb },
      { CORDON_EVIDENCE_BUCKET: 'evidence-bucket', CORDON_INCIDENTS_TABLE: 'incidents' },
    );
    expect(store.locationOf('cordon-x')).toBe('s3://evidence-bucket/incidents/cordon-x/');
    expect(() => AwsIncidentStore.fromEnvironment({ s3, dynamodb }, {})).toThrow(
      'missing environment variable(s): CORDON_EVIDENCE_BUCKET, CORDON_INCIDENTS_TABLE',
    );
    expect(() => AwsIncidentStore.fromEnvironment({ s3, dynamodb }, { CORDON_EVIDENCE_BUCKET: 'b' })).toThrow(
      'missing environment variable(s): CORDON_INCIDENTS_TABLE',
    );
  });
});
