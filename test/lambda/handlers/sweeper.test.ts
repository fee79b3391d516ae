import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type * as LambdaSdk from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailFixture } from '../../support/cloudtrail-fixture';
import { cloudTrailRecord } from '../../support/cloudtrail-records';
import { createEmulatedEvidence } from '../../support/evidence';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';

type LambdaContext = { invokedFunctionArn: string; getRemainingTimeInMillis: () => number };
type Handler = (event: unknown, context: LambdaContext) => Promise<{ incidentId: string; done: boolean }>;

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:cordon-sweeper-us-east-1';

/**
 * The sweeper's entry point as deployed: configuration from the environment, the sweep's state in
 * the S3 evidence store, LookupEvents from the fixture, the rest on moto. Lambda itself is
 * aws-sdk-client-mock: moto runs no function here, and the continuation is an Invoke.
 */
describe('sweeper Lambda handler', () => {
  const saved = { ...process.env };
  let invoke: Handler;
  let bucket: string;
  let fixture: CloudTrailFixture;
  let lambda: ReturnType<typeof mockClient>;
  let InvokeCommand: typeof LambdaSdk.InvokeCommand;

  beforeAll(async () => {
    const url = sharedMotoUrl();
    const evidence = await createEmulatedEvidence(url);
    bucket = evidence.bucket;
    const { TopicArn } = await new SNSClient(emulatorClientConfig(url)).send(
      new CreateTopicCommand({ Name: uniqueName('reports') }),
    );
    const read = cloudTrailRecord({
      accessKeyId: 'AKIAEXAMPLESWEEPER01',
      userName: 'stolen',
      region: 'us-east-1',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'CreateKeyPair',
      time: new Date('2026-12-01T10:00:00Z'),
      requestParameters: { keyName: 'attacker' },
    });
    fixture = await CloudTrailFixture.start({ timeline: { 'us-east-1': [read] } });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: fixture.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      CORDON_CONFIG: JSON.stringify({}),
      CORDON_TOPIC_ARN: TopicArn,
      CORDON_EVIDENCE_BUCKET: bucket,
      CORDON_INCIDENTS_TABLE: evidence.table,
    });
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the environment is set, as Lambda does
      ({ handler: invoke } = require('../../../lambda/handlers/sweeper') as { handler: Handler });
      // The handler's own copy of the SDK (isolated modules): mocked there.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the isolated registry's module
      const sdk = require('@aws-sdk/client-lambda') as typeof LambdaSdk;
      lambda = mockClient(sdk.LambdaClient);
      InvokeCommand = sdk.InvokeCommand;
    });
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    lambda.restore();
    await fixture.stop();
  });

  it('refuses an event that is not a sweeper event', async () => {
    await expect(
      invoke({ detail: {} }, { invokedFunctionArn: FUNCTION_ARN, getRemainingTimeInMillis: () => 900_000 }),
    ).rejects.toThrow('not a sweeper event');
  });

  it('out of time, saves the state and continues in a new invocation of itself, which finishes the sweep', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const incidentId = `cordon-20261201T1000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
    const start = { accessKeyId: 'AKIAEXAMPLESWEEPER01', firstSeen: '2026-12-01T10:00:00Z', dryRun: false };
    // The invocation has less time left than the sweep keeps for its end: no page is read.
    const first = await invoke(
      { incidentId, start },
      { invokedFunctionArn: FUNCTION_ARN, getRemainingTimeInMillis: () => 1_000 },
    );
    expect(first).toEqual({ incidentId, done: false });
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toMatchObject({ FunctionName: FUNCTION_ARN, InvocationType: 'Event' });
    const continuation = JSON.parse(
      new TextDecoder().decode(calls[0].args[0].input.Payload as Uint8Array),
    ) as unknown;
    expect(continuation).toEqual({ incidentId });

    const second = await invoke(continuation, {
      invokedFunctionArn: FUNCTION_ARN,
      getRemainingTimeInMillis: () => 900_000,
    });
    expect(second).toEqual({ incidentId, done: true });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    const stored = await new S3Client({
      ...emulatorClientConfig(sharedMotoUrl()),
      forcePathStyle: true,
    }).send(new GetObjectCommand({ Bucket: bucket, Key: `incidents/${incidentId}/sweep.json` }));
    const state = JSON.parse(await stored.Body!.transformToString()) as {
      runs: number;
      reportedAt?: string;
      needsReview: { service: string; count: number }[];
    };
    expect(state.runs).toBe(2);
    expect(state.reportedAt).toBeDefined();
    expect(state.needsReview).toEqual([expect.objectContaining({ service: 'ec2', count: 1 })]);
  });
});
