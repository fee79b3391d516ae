import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { AwsIncidentStore } from '../incidents/aws-incident-store';
import { SnsReportPublisher } from '../notify/publisher';
import { createAwsClients } from '../responder/clients';
import { readResponderEnvironment } from '../responder/environment';
import { parseVerificationRequest } from '../responder/verification';
import { verifyContainment, type VerifyContainmentInput } from '../responder/verify-containment';

const logger = new Logger({ serviceName: 'cordon-verifier' });

type Dependencies = Omit<VerifyContainmentInput, 'request' | 'now'>;
let dependencies: Dependencies | undefined;

function containerDependencies(): Dependencies {
  if (!dependencies) {
    const environment = readResponderEnvironment();
    const clients = createAwsClients();
    dependencies = {
      iam: clients.iam,
      store: new AwsIncidentStore({
        s3: clients.s3,
        dynamodb: clients.dynamodb,
        bucket: environment.bucket,
        table: environment.table,
      }),
      publisher: new SnsReportPublisher(clients.sns, environment.topicArn),
    };
  }
  return dependencies;
}

/**
 * Entry point for the verification queue: each message is one round of one user (delayed by SQS
 * past IAM's propagation window). A round that fails is reported back as a batch item failure, so
 * that SQS delivers it again and, after its retries, keeps it in the queue's dead-letter queue.
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const message of event.Records) {
    try {
      const request = parseVerificationRequest(message.body);
      const result = await verifyContainment({ ...containerDependencies(), request });
      logger.info('verification done', {
        incidentId: result.incidentId,
        userName: result.userName,
        round: result.round,
        skipped: result.skipped,
        escalated: result.escalated,
        redone: result.redone.map((o) => `${o.action} ${o.target}`),
      });
    } catch (error) {
      logger.error('verification failed', { messageId: message.messageId, error: error as Error });
      failures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures: failures };
};
