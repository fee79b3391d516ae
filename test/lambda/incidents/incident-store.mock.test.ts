/**
 * What moto cannot show: AWS errors (throttling, access denied, 409 conflicts), pagination, the
 * exact calls made, and claims racing on a backend that is atomic (moto's conditional writes are
 * a check then a write without a lock, so a race there can let two claims through).
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
  ThrottlingException,
  UpdateItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsIncidentStore } from '../../../lambda/incidents/aws-incident-store';
import { S3IncidentStore } from '../../../lambda/incidents/s3-incident-store';
import type { IncidentStore } from '../../../lambda/incidents/store';
import { claimOf, freshIncidentId } from './support/store-contract';

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1' });

function s3Error(name: string, httpStatusCode: number, message: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: metadata(httpStatusCode), message });
}

const accessDenied = () =>
  s3Error(
    'AccessDenied',
    403,
    'User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: s3:PutObject',
  );

/** A GetObject body: only what the store reads of it. */
function body(text: string): GetObjectCommandOutput['Body'] {
  return { transformToString: () => Promise.resolve(text) } as unknown as GetObjectCommandOutput['Body'];
}

/** Resolves after a random few milliseconds, so that concurrent calls interleave. */
const jitter = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 5));

function makeClients() {
  const s3 = new S3Client({ region: 'us-east-1' });
  const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
  return { s3, dynamodb, s3Mock: mockClient(s3), dynamodbMock: mockClient(dynamodb) };
}

function awsStore(clients: ReturnType<typeof makeClients>): AwsIncidentStore {
  return new AwsIncidentStore({
    s3: clients.s3,
    dynamodb: clients.dynamodb,
    bucket: 'evidence',
    table: 'incidents',
  });
}

describe('AwsIncidentStore against AWS errors (aws-sdk-client-mock)', () => {
  it.each([
    [
      'ProvisionedThroughputExceededException',
      () =>
        new ProvisionedThroughputExceededException({
          message: 'The level of configured provisioned throughput for the table was exceeded.',
          $metadata: metadata(400),
        }),
    ],
    [
      'ThrottlingException',
      () =>
        new ThrottlingException({
          message: 'Rate of requests exceeds the allowed throughput.',
          $metadata: metadata(400),
        }),
    ],
  ])("surfaces %s on claim as an error, never as a silent 'exists'", async (name, error) => {
    const clients = makeClients();
    clients.dynamodbMock.on(PutItemCommand).rejects(error());
    const claim = awsStore(clients).claim(claimOf(freshIncidentId()));
    await expect(claim).rejects.toMatchObject({ name });
    await expect(claim).rejects.toThrow(/throughput/);
  });

  it("maps only ConditionalCheckFailedException to 'exists'", async () => {
    const clients = makeClients();
    clients.dynamodbMock.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: metadata(400),
      }),
    );
    await expect(awsStore(clients).claim(claimOf(freshIncidentId()))).resolves.toBe('exists');
  });

  it('surfaces throttling while counting, so the circuit breaker never reads a false zero', async () => {
    const clients = makeClients();
    clients.dynamodbMock.on(QueryCommand).rejects(
      new ThrottlingException({
        message: 'Rate of requests exceeds the allowed throughput.',
        $metadata: metadata(400),
      }),
    );
    await expect(awsStore(clients).countContainmentsSince(new Date())).rejects.toThrow(
      'Rate of requests exceeds',
    );
  });

  it('propagates S3 AccessDenied on putDocument with its message', async () => {
    const clients = makeClients();
    clients.s3Mock.on(PutObjectCommand).rejects(accessDenied());
    await expect(awsStore(clients).putDocument(freshIncidentId(), 'record', { a: 1 })).rejects.toThrow(
      'is not authorized to perform: s3:PutObject',
    );
  });

  it('propagates S3 AccessDenied on getDocument (what S3 answers for a missing key without s3:ListBucket)', async () => {
    const clients = makeClients();
    clients.s3Mock.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    await expect(awsStore(clients).getDocument(freshIncidentId(), 'record')).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Access Denied',
    });
  });

  it('names the object of a stored document that is not JSON', async () => {
    const clients = makeClients();
    const id = freshIncidentId();
    clients.s3Mock.on(GetObjectCommand).resolves({ Body: body('{ truncated') });
    await expect(awsStore(clients).getDocument(id, 'record')).rejects.toThrow(
      `s3://evidence/incidents/${id}/record.json is not valid JSON`,
    );
  });

  it('counts containments across every page of the Query', async () => {
    const clients = makeClients();
    const page2Key = { pk: { S: 'CONTAINMENTS' }, sk: { S: '2026-01-15T09:40:00.000Z#cordon-b' } };
    const page3Key = { pk: { S: 'CONTAINMENTS' }, sk: { S: '2026-01-15T09:50:00.000Z#cordon-c' } };
    clients.dynamodbMock
      .on(QueryCommand)
      .resolvesOnce({ Count: 3, LastEvaluatedKey: page2Key })
      .resolvesOnce({ Count: 0, LastEvaluatedKey: page3Key })
      .resolvesOnce({ Count: 2 });
    await expect(
      awsStore(clients).countContainmentsSince(new Date('2026-01-15T09:00:00.000Z')),
    ).resolves.toBe(5);

    const inputs = clients.dynamodbMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs.map((input) => input.ExclusiveStartKey)).toEqual([undefined, page2Key, page3Key]);
    expect(inputs[0]).toEqual({
      TableName: 'incidents',
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: {
        ':pk': { S: 'CONTAINMENTS' },
        ':since': { S: '2026-01-15T09:00:00.000Z' },
      },
      Select: 'COUNT',
      ExclusiveStartKey: undefined,
    });
  });

  it('makes only the calls the responder role allows (s3:PutObject/GetObject, dynamodb:PutItem/Query)', async () => {
    const clients = makeClients();
    clients.s3Mock.onAnyCommand().rejects(new Error('not allowed'));
    clients.dynamodbMock.onAnyCommand().rejects(new Error('not allowed'));
    clients.s3Mock.on(PutObjectCommand).resolves({});
    clients.s3Mock.on(GetObjectCommand).resolves({ Body: body('{"ok":true}') });
    clients.dynamodbMock.on(PutItemCommand).resolves({});
    clients.dynamodbMock.on(QueryCommand).resolves({ Count: 1 });
    // Allowed by the role, not used today; registered so that a future use is not a failure here.
    clients.dynamodbMock.on(GetItemCommand).resolves({});
    clients.dynamodbMock.on(UpdateItemCommand).resolves({});

    const store = awsStore(clients);
    const id = freshIncidentId();
    await store.claim(claimOf(id, { detection: 'd' }));
    await store.putDocument(id, 'event', {});
    await expect(store.getDocument(id, 'event')).resolves.toEqual({ ok: true });
    await store.recordContainment(id, new Date());
    await expect(store.countContainmentsSince(new Date(0))).resolves.toBe(1);

    const s3Calls = clients.s3Mock.calls().map((call) => call.args[0].constructor.name);
    const dynamodbCalls = clients.dynamodbMock.calls().map((call) => call.args[0].constructor.name);
    expect(new Set(s3Calls)).toEqual(new Set(['PutObjectCommand', 'GetObjectCommand']));
    expect(new Set(dynamodbCalls)).toEqual(new Set(['PutItemCommand', 'QueryCommand']));
    const keys = clients.s3Mock.calls().map((call) => (call.args[0].input as { Key: string }).Key);
    expect(keys.every((key) => key.startsWith('incidents/'))).toBe(true);
  });

  it("gives exactly one 'claimed' to concurrent claims when the table is atomic", async () => {
    const clients = makeClients();
    const items = new Set<string>();
    clients.dynamodbMock.on(PutItemCommand).callsFake(async (input: PutItemCommandInput) => {
      await jitter();
      const key = `${input.Item?.pk?.S}|${input.Item?.sk?.S}`;
      if (input.ConditionExpression === 'attribute_not_exists(pk)' && items.has(key)) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: metadata(400),
        });
      }
      items.add(key);
      return {};
    });
    const store = awsStore(clients);
    const id = freshIncidentId();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(claimOf(id))));
    expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result === 'exists')).toHaveLength(19);
  });
});

describe('S3IncidentStore against AWS errors (aws-sdk-client-mock)', () => {
  function s3Store() {
    const s3 = new S3Client({ region: 'us-east-1' });
    const s3Mock = mockClient(s3);
    const store: IncidentStore = new S3IncidentStore({ s3, bucket: 'evidence' });
    return { s3Mock, store };
  }

  it("claims with a conditional PutObject of incidents/<id>/claim.json; 412 → 'exists'", async () => {
    const { s3Mock, store } = s3Store();
    const id = freshIncidentId();
    s3Mock
      .on(PutObjectCommand)
      .resolvesOnce({})
      .rejects(
        s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'),
      );
    await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
    await expect(store.claim(claimOf(id))).resolves.toBe('exists');
    const input = s3Mock.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(input).toMatchObject({
      Bucket: 'evidence',
      Key: `incidents/${id}/claim.json`,
      IfNoneMatch: '*',
      ContentType: 'application/json',
    });
  });

  it('retries a claim after 409 ConditionalRequestConflict, and gives up after three retries', async () => {
    const conflict = () =>
      s3Error(
        'ConditionalRequestConflict',
        409,
        'A conflicting conditional operation is currently in progress against this resource.',
      );
    const settled = s3Store();
    settled.s3Mock
      .on(PutObjectCommand)
      .rejectsOnce(conflict())
      .rejects(
        s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'),
      );
    await expect(settled.store.claim(claimOf(freshIncidentId()))).resolves.toBe('exists');
    expect(settled.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(2);

    const stuck = s3Store();
    stuck.s3Mock.on(PutObjectCommand).rejects(conflict());
    await expect(stuck.store.claim(claimOf(freshIncidentId()))).rejects.toThrow(
      'A conflicting conditional operation',
    );
    expect(stuck.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(4);
  });

  it("surfaces AccessDenied on claim as an error, never as 'exists'", async () => {
    const { s3Mock, store } = s3Store();
    s3Mock.on(PutObjectCommand).rejects(accessDenied());
    await expect(store.claim(claimOf(freshIncidentId()))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('propagates S3 AccessDenied on putDocument with its message', async () => {
    const { s3Mock, store } = s3Store();
    s3Mock.on(PutObjectCommand).rejects(accessDenied());
    await expect(store.putDocument(freshIncidentId(), 'record', {})).rejects.toThrow(
      'is not authorized to perform: s3:PutObject',
    );
  });

  it('counts containments across every page of the listing, starting after containments/<since>', async () => {
    const { s3Mock, store } = s3Store();
    s3Mock
      .on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'a' }, { Key: 'b' }],
        IsTruncated: true,
        NextContinuationToken: 't2',
      })
      .resolvesOnce({ Contents: [{ Key: 'c' }], IsTruncated: false });
    await expect(store.countContainmentsSince(new Date('2026-01-15T09:00:00.000Z'))).resolves.toBe(3);
    const inputs = s3Mock.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
    expect(inputs).toEqual([
      {
        Bucket: 'evidence',
        Prefix: 'containments/',
        StartAfter: 'containments/2026-01-15T09:00:00.000Z',
        ContinuationToken: undefined,
      },
      {
        Bucket: 'evidence',
        Prefix: 'containments/',
        StartAfter: 'containments/2026-01-15T09:00:00.000Z',
        ContinuationToken: 't2',
      },
    ]);
  });

  it("gives exactly one 'claimed' to concurrent claims when S3's conditional write is atomic", async () => {
    const { s3Mock, store } = s3Store();
    const objects = new Set<string>();
    let conflicts = 0;
    s3Mock.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      await jitter();
      const key = input.Key ?? '';
      // As S3 may: a write that races an in-flight one is answered 409 rather than 412.
      if (input.IfNoneMatch === '*' && objects.has(key) && conflicts < 5) {
        conflicts += 1;
        throw s3Error(
          'ConditionalRequestConflict',
          409,
          'A conflicting conditional operation is currently in progress against this resource.',
        );
      }
      if (input.IfNoneMatch === '*' && objects.has(key)) {
        throw s3Error(
          'PreconditionFailed',
          412,
          'At least one of the pre-conditions you specified did not hold',
        );
      }
      objects.add(key);
      return {};
    });
    const id = freshIncidentId();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(claimOf(id))));
    expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result === 'exists')).toHaveLength(19);
    expect(conflicts).toBe(5);
  });
});
