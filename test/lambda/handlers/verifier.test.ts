import type { SQSEvent, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { createEmulatedEvidence } from '../../support/evidence';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;

const message = (messageId: string, body: string): SQSRecord => ({ messageId, body }) as SQSRecord;

/** The verifier Lambda as deployed: an SQS batch in, batch item failures out. */
describe('verifier Lambda handler', () => {
  const saved = { ...process.env };
  let handler: Handler;

  beforeAll(async () => {
    const config = emulatorClientConfig(sharedMotoUrl());
    const { bucket, table } = await createEmulatedEvidence(sharedMotoUrl());
    const { TopicArn } = await new SNSClient(config).send(
      new CreateTopicCommand({ Name: uniqueName('reports') }),
    );
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: sharedMotoUrl(),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
      CORDON_CONFIG: '{}',
      CORDON_TOPIC_ARN: TopicArn,
      CORDON_EVIDENCE_BUCKET: bucket,
      CORDON_INCIDENTS_TABLE: table,
    });
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the environment is set, as Lambda does
      ({ handler } = require('../../../lambda/handlers/verifier') as { handler: Handler });
    });
  }, 60_000);
  afterAll(() => {
    process.env = saved;
  });

  it('reports a message it cannot read as a batch item failure, and handles the others', async () => {
    const response = await handler({
      Records: [
        message('bad', '{"incidentId":"x"}'),
        message(
          'unknown',
          JSON.stringify({ incidentId: 'cordon-20261201T0000-000000000000', userName: 'a', round: 1 }),
        ),
      ],
    });
    // An incident without a record is skipped (recorded), not retried.
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });
});
