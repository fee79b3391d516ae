import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  parseVerificationRequest,
  SqsVerificationScheduler,
  VERIFICATION_DELAYS_SECONDS,
  verificationRequests,
} from '../../../lambda/responder/verification';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';

describe('verification scheduling', () => {
  it('asks for one round per delay and user', () => {
    expect(verificationRequests('cordon-x', ['alice'])).toEqual(
      VERIFICATION_DELAYS_SECONDS.map((_, index) => ({
        incidentId: 'cordon-x',
        userName: 'alice',
        round: index + 1,
      })),
    );
  });

  it('holds each round in SQS for its delay: no Lambda waits', async () => {
    const sqs = new SQSClient(emulatorClientConfig(sharedMotoUrl()));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('verify') }));
    await new SqsVerificationScheduler(sqs, QueueUrl!).schedule(
      verificationRequests('cordon-x', ['alice']),
      [0, 900],
    );
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: QueueUrl!, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    // The first round is visible at once (delay 0); the second is held for 900 s.
    expect(Messages?.map((m) => parseVerificationRequest(m.Body!))).toEqual([
      { incidentId: 'cordon-x', userName: 'alice', round: 1 },
    ]);
  });

  it('refuses a message that is not a verification request, naming it', () => {
    expect(() => parseVerificationRequest('{"incidentId":"x"}')).toThrow(/not a verification request/);
  });
});
