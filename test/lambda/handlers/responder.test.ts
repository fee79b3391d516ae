import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type * as LambdaSdk from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { maliciousIpCallerFinding } from '../../../lambda/demo/guardduty-finding';
import { incidentIdFor } from '../../../lambda/incidents/incident-id';
import { parse } from '../../../lambda/signal/parse';
import { stageCompromisedUser, type StagedAccount } from '../../../lambda/demo/stage-compromised-user';
import { createEmulatedEvidence } from '../../support/evidence';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';

type LambdaContext = { invokedFunctionArn: string; getRemainingTimeInMillis: () => number };
type Handler = (event: unknown, context: LambdaContext) => Promise<{ incidentId: string; outcome: string }>;

/**
 * The Lambda entry point as deployed: configuration from the environment the stack sets, records
 * in S3 and DynamoDB, the report on SNS (read back through an SQS subscription), all on moto.
 */
function incidentIdOf(event: unknown): string {
  const signal = parse(event);
  if (signal.kind !== 'signal') throw new Error('not a signal');
  return incidentIdFor(signal.eventId, signal.time);
}

describe('responder Lambda handler', () => {
  const saved = { ...process.env };
  let staged: StagedAccount;
  let invoke: Handler;
  let queueUrl: string;
  let verifyQueueUrl: string;
  let topicName: string;
  let tableName: string;
  let bucket: string;
  const config = () => emulatorClientConfig(sharedMotoUrl());

  beforeAll(async () => {
    staged = await stageCompromisedUser(sharedMotoUrl(), {
      admin: uniqueName('admin'),
      victim: uniqueName('victim'),
    });
    const evidence = await createEmulatedEvidence(sharedMotoUrl());
    bucket = evidence.bucket;
    const table = evidence.table;
    tableName = table;
    const sns = new SNSClient(config());
    const sqs = new SQSClient(config());
    topicName = uniqueName('reports');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topicName }));
    ({ QueueUrl: queueUrl } = (await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueName('reports') }),
    )) as { QueueUrl: string });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));

    ({ QueueUrl: verifyQueueUrl } = (await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueName('verify') }),
    )) as { QueueUrl: string });
    Object.assign(process.env, {
      CORDON_VERIFY_QUEUE_URL: verifyQueueUrl,
      AWS_ENDPOINT_URL: sharedMotoUrl(),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: staged.admin.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: staged.admin.credentials.secretAccessKey,
      CORDON_CONFIG: JSON.stringify({ protectedPrincipals: [staged.admin.arn] }),
      CORDON_TOPIC_ARN: TopicArn,
      CORDON_EVIDENCE_BUCKET: bucket,
      CORDON_INCIDENTS_TABLE: table,
    });
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the environment is set, as Lambda does
      ({ handler: invoke } = require('../../../lambda/handlers/responder') as { handler: Handler });
    });
  }, 60_000);
  afterAll(() => {
    process.env = saved;
  });

  /** As Lambda calls it: the function's ARN gives the account, the remaining time the claim's lease. */
  const handler = (event: unknown) =>
    invoke(event, {
      invokedFunctionArn: `arn:aws:lambda:us-east-1:${staged.accountId}:function:cordon-responder`,
      getRemainingTimeInMillis: () => 120_000,
    });
  /** A new compromised user of its own, and the GuardDuty finding on its stolen key. */
  const findingForFreshVictim = async () => {
    const victim = await stageCompromisedUser(sharedMotoUrl(), {
      admin: uniqueName('admin'),
      victim: uniqueName('victim'),
    });
    return maliciousIpCallerFinding({
      accountId: victim.accountId,
      userName: victim.victim.userName,
      accessKeyId: victim.victim.keys[0].accessKeyId,
    });
  };
  const receiveReports = async () =>
    (
      await new SQSClient(config()).send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      )
    ).Messages ?? [];

  it('contains the user, keeps the record in S3, publishes the report with its attributes, and ignores a re-delivery', async () => {
    const finding = maliciousIpCallerFinding({
      accountId: staged.accountId,
      userName: staged.victim.userName,
      accessKeyId: staged.victim.keys[0].accessKeyId,
    });
    const first = await handler(finding);
    // moto lacks ListServiceSpecificCredentials: that one step fails, every other is done.
    expect(first.outcome).toBe('partially-contained');

    const object = await new S3Client({ ...config(), forcePathStyle: true }).send(
      new GetObjectCommand({ Bucket: bucket, Key: `incidents/${first.incidentId}/record.json` }),
    );
    const record = JSON.parse(await object.Body!.transformToString()) as {
      containments: { denied: boolean; userName: string }[];
    };
    expect(record.containments).toEqual([
      expect.objectContaining({ denied: true, userName: staged.victim.userName }),
    ]);
    // Both verification rounds are in the queue, held for their delays.
    expect((record as { verification?: unknown }).verification).toEqual({
      scheduled: true,
      delaysSeconds: [20, 120],
    });
    const { Attributes: verify } = await new SQSClient(config()).send(
      new GetQueueAttributesCommand({ QueueUrl: verifyQueueUrl, AttributeNames: ['All'] }),
    );
    expect(
      Number(verify?.ApproximateNumberOfMessagesDelayed ?? 0) +
        Number(verify?.ApproximateNumberOfMessages ?? 0),
    ).toBe(2);

    const { Messages } = await new SQSClient(config()).send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
    );
    expect(Messages).toHaveLength(1);
    const envelope = JSON.parse(Messages![0].Body!) as {
      Subject: string;
      Message: string;
      MessageAttributes: Record<string, { Value: string }>;
    };
    expect(envelope.Subject.length).toBeLessThan(100);
    expect(envelope.Subject).toContain(staged.victim.userName);
    expect(JSON.parse(envelope.Message)).toMatchObject({
      incidentId: first.incidentId,
      outcome: 'partially-contained',
    });
    expect(envelope.MessageAttributes).toMatchObject({
      detection: { Value: 'guardduty-iam-credential-finding' },
      principalType: { Value: 'IAMUser' },
      outcome: { Value: 'partially-contained' },
      severity: { Value: 'high' },
    });

    await expect(handler(finding)).resolves.toEqual({
      incidentId: first.incidentId,
      outcome: 'duplicate-completed',
    });
  });

  it('runs one of two concurrent deliveries of an event; the other is refused while it runs', async () => {
    const finding = await findingForFreshVictim();
    // The second delivery arrives once the first has claimed the incident (moto's conditional
    // writes are not atomic under a true race: that race is covered against a mock of DynamoDB).
    const first = handler(finding);
    const claimKey = { pk: { S: `INCIDENT#${incidentIdOf(finding)}` }, sk: { S: 'INCIDENT' } };
    const dynamodb = new DynamoDBClient(config());
    while (!(await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: claimKey }))).Item) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const second = await handler(finding);
    expect(second.outcome).toBe('duplicate-in-progress');
    expect((await first).outcome).toBe('partially-contained');
    expect(await receiveReports()).toHaveLength(1);
  });

  it('loses no report when SNS fails: the failed run throws and releases its claim, the retry publishes it', async () => {
    const finding = await findingForFreshVictim();
    const sns = new SNSClient(config());
    const topicArn = `arn:aws:sns:us-east-1:${staged.accountId}:${topicName}`;
    // The topic is gone: Publish fails, as it would on a KMS or SNS outage.
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await expect(handler(finding)).rejects.toMatchObject({ name: 'NotFoundException' });
    const item = await new DynamoDBClient(config()).send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: `INCIDENT#${incidentIdOf(finding)}` }, sk: { S: 'INCIDENT' } },
      }),
    );
    expect(item.Item?.state).toEqual({ S: 'released' });

    // The topic is back (same ARN, same subscriber): Lambda's retry finishes the incident.
    await sns.send(new CreateTopicCommand({ Name: topicName }));
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Subscriptions![0].Endpoint }),
    );
    const retry = await handler(finding);
    expect(retry.outcome).toBe('partially-contained');
    const reports = await receiveReports();
    expect(reports).toHaveLength(1);
    const message = JSON.parse((JSON.parse(reports[0].Body!) as { Message: string }).Message) as {
      record: { resumed?: boolean; containments: { denied: boolean }[] };
    };
    // The record written by the failed run is the one reported: its before-state is the true one.
    expect(message.record.resumed).toBeUndefined();
    expect(message.record.containments).toEqual([expect.objectContaining({ denied: true })]);
    await expect(handler(finding)).resolves.toMatchObject({ outcome: 'duplicate-completed' });
  });

  it('records and reports an event it cannot parse', async () => {
    const result = await handler({ hello: 'world' });
    expect(result.outcome).toBe('unparsed');
  });
});

describe('responder Lambda handler, starting the sweep', () => {
  const saved = { ...process.env };
  let invoke: Handler;
  let lambda: ReturnType<typeof mockClient>;
  let InvokeCommand: typeof LambdaSdk.InvokeCommand;
  const SWEEPER = 'arn:aws:lambda:us-east-1:123456789012:function:cordon-sweeper-us-east-1';

  beforeAll(async () => {
    const evidence = await createEmulatedEvidence(sharedMotoUrl());
    const { TopicArn } = await new SNSClient(emulatorClientConfig(sharedMotoUrl())).send(
      new CreateTopicCommand({ Name: uniqueName('reports') }),
    );
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: sharedMotoUrl(),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      CORDON_CONFIG: JSON.stringify({}),
      CORDON_TOPIC_ARN: TopicArn,
      CORDON_EVIDENCE_BUCKET: evidence.bucket,
      CORDON_INCIDENTS_TABLE: evidence.table,
      CORDON_SWEEPER_FUNCTION: SWEEPER,
    });
    delete process.env.CORDON_VERIFY_QUEUE_URL;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the environment is set, as Lambda does
      ({ handler: invoke } = require('../../../lambda/handlers/responder') as { handler: Handler });
      // The handler's own copy of the SDK (isolated modules): mocked there; moto runs no function.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the isolated registry's module
      const sdk = require('@aws-sdk/client-lambda') as typeof LambdaSdk;
      lambda = mockClient(sdk.LambdaClient);
      InvokeCommand = sdk.InvokeCommand;
    });
  }, 60_000);
  afterAll(() => {
    process.env = saved;
    lambda.restore();
  });

  const handler = (event: unknown, accountId: string) =>
    invoke(event, {
      invokedFunctionArn: `arn:aws:lambda:us-east-1:${accountId}:function:cordon-responder`,
      getRemainingTimeInMillis: () => 120_000,
    });

  it('starts the sweep of the contained key after the report; a failed start is retried by the re-delivery', async () => {
    const victim = await stageCompromisedUser(sharedMotoUrl(), {
      admin: uniqueName('admin'),
      victim: uniqueName('victim'),
    });
    const finding = maliciousIpCallerFinding({
      accountId: victim.accountId,
      userName: victim.victim.userName,
      accessKeyId: victim.victim.keys[0].accessKeyId,
    });
    lambda.reset();
    lambda
      .on(InvokeCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }));
    await expect(handler(finding, victim.accountId)).rejects.toThrow('throttled');
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    // Lambda's retry: the incident is complete, so only the missing sweep is started.
    await expect(handler(finding, victim.accountId)).resolves.toMatchObject({
      outcome: 'duplicate-completed',
    });
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(2);
    const event = JSON.parse(
      new TextDecoder().decode(calls[1].args[0].input.Payload as Uint8Array),
    ) as unknown;
    expect(calls[1].args[0].input).toMatchObject({ FunctionName: SWEEPER, InvocationType: 'Event' });
    expect(event).toMatchObject({
      start: {
        accessKeyId: victim.victim.keys[0].accessKeyId,
        userName: victim.victim.userName,
        dryRun: false,
      },
    });
  });
});
