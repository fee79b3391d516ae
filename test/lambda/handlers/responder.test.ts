import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { maliciousIpCallerFinding } from '../../../lambda/demo/guardduty-finding';
import { stageCompromisedUser, type StagedAccount } from '../../../lambda/demo/stage-compromised-user';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';

type Handler = (event: unknown) => Promise<{ incidentId: string; outcome: string }>;

/**
 * The Lambda entry point as deployed: configuration from the environment the stack sets, records
 * in S3 and DynamoDB, the report on SNS (read back through an SQS subscription), all on moto.
 */
describe('responder Lambda handler', () => {
  const saved = { ...process.env };
  let staged: StagedAccount;
  let handler: Handler;
  let queueUrl: string;
  let bucket: string;
  const config = () => emulatorClientConfig(sharedMotoUrl());

  beforeAll(async () => {
    staged = await stageCompromisedUser(sharedMotoUrl(), {
      admin: uniqueName('admin'),
      victim: uniqueName('victim'),
    });
    bucket = uniqueName('evidence').toLowerCase();
    const table = uniqueName('incidents');
    await new S3Client({ ...config(), forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: bucket }),
    );
    await new DynamoDBClient(config()).send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    const sns = new SNSClient(config());
    const sqs = new SQSClient(config());
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('reports') }));
    ({ QueueUrl: queueUrl } = (await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueName('reports') }),
    )) as { QueueUrl: string });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));

    Object.assign(process.env, {
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
      ({ handler } = require('../../../lambda/handlers/responder') as { handler: Handler });
    });
  }, 60_000);
  afterAll(() => {
    process.env = saved;
  });

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

    await expect(handler(finding)).resolves.toEqual({ incidentId: first.incidentId, outcome: 'duplicate' });
  });

  it('records and reports an event it cannot parse', async () => {
    const result = await handler({ hello: 'world' });
    expect(result.outcome).toBe('unparsed');
  });
});
