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
  type UpdateItemCommandInput,
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
  ])('surfaces %s on claim as an error, never as a silent duplicate', async (name, error) => {
    const clients = makeClients();
    clients.dynamodbMock.on(UpdateItemCommand).rejects(error());
    const claim = awsStore(clients).claim(claimOf(freshIncidentId()));
    await expect(claim).rejects.toMatchObject({ name });
    await expect(claim).rejects.toThrow(/throughput/);
  });

  it.each([
    ['completed', { state: { S: 'completed' } }],
    // A claim stored before claims had states was a finished incident.
    ['completed', {}],
    ['in-progress', { state: { S: 'in-progress' }, leaseUntil: { S: '2026-01-15T09:32:12.000Z' } }],
  ])('on ConditionalCheckFailedException reads the claim: %s for %j', async (expected, attributes) => {
    const clients = makeClients();
    clients.dynamodbMock.on(UpdateItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: metadata(400),
      }),
    );
    clients.dynamodbMock.on(GetItemCommand).resolves({ Item: { pk: { S: 'x' }, ...attributes } });
    await expect(awsStore(clients).claim(claimOf(freshIncidentId()))).resolves.toBe(expected);
    expect(clients.dynamodbMock.commandCalls(GetItemCommand)[0].args[0].input.ConsistentRead).toBe(true);
  });

  it("claims with one conditional UpdateItem: 'resumed' when an unfinished claim was there", async () => {
    const clients = makeClients();
    clients.dynamodbMock
      .on(UpdateItemCommand)
      .resolvesOnce({})
      .resolvesOnce({ Attributes: { pk: { S: 'INCIDENT#x' }, state: { S: 'released' } } });
    const store = awsStore(clients);
    await expect(store.claim(claimOf(freshIncidentId()))).resolves.toBe('claimed');
    await expect(store.claim(claimOf(freshIncidentId()))).resolves.toBe('resumed');
    expect(clients.dynamodbMock.commandCalls(UpdateItemCommand)[0].args[0].input.ConditionExpression).toBe(
      'attribute_not_exists(pk) OR #state = :released OR (#state = :inProgress AND leaseUntil < :claimedAt)',
    );
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

  it('makes only the calls the responder role allows (s3:PutObject/GetObject, dynamodb:UpdateItem/PutItem/Query)', async () => {
    const clients = makeClients();
    clients.s3Mock.onAnyCommand().rejects(new Error('not allowed'));
    clients.dynamodbMock.onAnyCommand().rejects(new Error('not allowed'));
    clients.s3Mock.on(PutObjectCommand).resolves({});
    clients.s3Mock.on(GetObjectCommand).resolves({ Body: body('{"ok":true}') });
    clients.dynamodbMock.on(PutItemCommand).resolves({});
    clients.dynamodbMock.on(QueryCommand).resolves({ Count: 1 });
    // Allowed by the role: GetItem reads a claim that exists (not the case here).
    clients.dynamodbMock.on(GetItemCommand).resolves({});
    clients.dynamodbMock.on(UpdateItemCommand).resolves({});

    const store = awsStore(clients);
    const id = freshIncidentId();
    await store.claim(claimOf(id, { detection: 'd' }));
    await store.completeClaim(id, new Date());
    await store.putDocument(id, 'event', {});
    await expect(store.getDocument(id, 'event')).resolves.toEqual({ ok: true });
    await store.recordContainment(id, new Date());
    await expect(store.countContainmentsSince(new Date(0))).resolves.toBe(1);

    const s3Calls = clients.s3Mock.calls().map((call) => call.args[0].constructor.name);
    const dynamodbCalls = clients.dynamodbMock.calls().map((call) => call.args[0].constructor.name);
    expect(new Set(s3Calls)).toEqual(new Set(['PutObjectCommand', 'GetObjectCommand']));
    expect(new Set(dynamodbCalls)).toEqual(new Set(['UpdateItemCommand', 'PutItemCommand', 'QueryCommand']));
    const keys = clients.s3Mock.calls().map((call) => (call.args[0].input as { Key: string }).Key);
    expect(keys.every((key) => key.startsWith('incidents/'))).toBe(true);
  });

  it("gives exactly one 'claimed' to concurrent claims when the table is atomic", async () => {
    const clients = makeClients();
    const items = new Set<string>();
    clients.dynamodbMock.on(UpdateItemCommand).callsFake(async (input: UpdateItemCommandInput) => {
      await jitter();
      const key = `${input.Key?.pk?.S}|${input.Key?.sk?.S}`;
      // The item is held (in progress, lease not expired): the condition fails for every other claim.
      if (input.ConditionExpression?.startsWith('attribute_not_exists(pk)') && items.has(key)) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: metadata(400),
        });
      }
      items.add(key);
      return {};
    });
    clients.dynamodbMock.on(GetItemCommand).resolves({
      Item: { state: { S: 'in-progress' }, leaseUntil: { S: '2026-01-15T09:32:12.000Z' } },
    });
    const store = awsStore(clients);
    const id = freshIncidentId();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(claimOf(id))));
    expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result === 'in-progress')).toHaveLength(19);
  });
});

describe('S3IncidentStore against AWS errors (aws-sdk-client-mock)', () => {
  function s3Store() {
    const s3 = new S3Client({ region: 'us-east-1' });
    const s3Mock = mockClient(s3);
    const store: IncidentStore = new S3IncidentStore({ s3, bucket: 'evidence' });
    return { s3Mock, store };
  }

  it('claims with a conditional PutObject of incidents/<id>/claim.json; on 412 reads the claim', async () => {
    const { s3Mock, store } = s3Store();
    const id = freshIncidentId();
    s3Mock
      .on(PutObjectCommand)
      .resolvesOnce({})
      .rejects(
        s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'),
      );
    s3Mock.on(GetObjectCommand).resolves({ Body: body('{"state":"completed"}'), ETag: '"e1"' });
    await expect(store.claim(claimOf(id))).resolves.toBe('claimed');
    await expect(store.claim(claimOf(id))).resolves.toBe('completed');
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
    settled.s3Mock.on(GetObjectCommand).resolves({ Body: body('{"state":"completed"}'), ETag: '"e1"' });
    await expect(settled.store.claim(claimOf(freshIncidentId()))).resolves.toBe('completed');
    expect(settled.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(2);

    const stuck = s3Store();
    stuck.s3Mock.on(PutObjectCommand).rejects(conflict());
    await expect(stuck.store.claim(claimOf(freshIncidentId()))).rejects.toThrow(
      'A conflicting conditional operation',
    );
    expect(stuck.s3Mock.commandCalls(PutObjectCommand)).toHaveLength(4);
  });

  it('takes a released claim again only with If-Match on its ETag: one retry resumes, a racing one is held', async () => {
    const { s3Mock, store } = s3Store();
    s3Mock.on(GetObjectCommand).resolves({ Body: body('{"state":"released"}'), ETag: '"e1"' });
    s3Mock
      .on(PutObjectCommand, { IfNoneMatch: '*' })
      .rejects(
        s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'),
      );
    s3Mock
      .on(PutObjectCommand, { IfMatch: '"e1"' })
      .resolvesOnce({})
      .rejects(
        s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'),
      );
    const id = freshIncidentId();
    await expect(store.claim(claimOf(id))).resolves.toBe('resumed');
    await expect(store.claim(claimOf(id))).resolves.toBe('in-progress');
  });

  it('surfaces AccessDenied on claim as an error, never as a duplicate', async () => {
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
    s3Mock.on(GetObjectCommand).resolves({
      Body: body('{"state":"in-progress","leaseUntil":"2026-01-15T09:32:12.000Z"}'),
      ETag: '"e1"',
    });
    const id = freshIncidentId();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(claimOf(id))));
    expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result === 'in-progress')).toHaveLength(19);
    expect(conflicts).toBe(5);
  });
});
